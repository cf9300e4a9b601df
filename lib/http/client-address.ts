import net from 'node:net';

/**
 * The client's address for rate limits and throttles, from the TCP peer and the X-Forwarded-For
 * chain: the peer is the client unless `trustedProxies` proxies stand in front of the server, in
 * which case each trusted proxy appended the address it saw, and the client is the entry just
 * before the last `trustedProxies` of the chain [...X-Forwarded-For, peer]. Entries a client
 * wrote itself sit further left and are never read. Anything that is not an IP address is "unknown".
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined, trustedProxies: number): string {
  const chain = [...(forwardedFor ? forwardedFor.split(',').map((s) => s.trim()) : []), peer ?? ''];
  const entry = chain[Math.max(0, chain.length - 1 - trustedProxies)];
  return normaliseAddress(entry);
}

/** An IP address in canonical form (IPv4-mapped IPv6 as IPv4), or "unknown". */
export function normaliseAddress(raw: string): string {
  const s = raw.startsWith('::ffff:') && net.isIPv4(raw.slice(7)) ? raw.slice(7) : raw;
  return net.isIP(s) ? s.toLowerCase() : 'unknown';
}

/**
 * The network an address belongs to, for limits that an attacker should not escape by changing
 * address within one allocation: an IPv4 /24 or an IPv6 /64 (what one subscriber usually holds).
 */
export function networkOf(address: string): string {
  if (net.isIPv4(address)) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  if (!net.isIPv6(address)) return 'unknown';
  const [head, tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
