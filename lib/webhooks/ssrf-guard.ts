import dns from 'node:dns';
import net from 'node:net';
import { env } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';

/**
 * Webhook targets are partner-chosen URLs fetched from inside our network, so they must not reach
 * it: loopback, private (RFC 1918, unique local), link-local (cloud metadata at 169.254.169.254),
 * CGNAT, multicast, unspecified and reserved addresses are refused, also behind a DNS name and at
 * connection time (the lookup of each delivery is checked, so DNS rebinding gets nowhere).
 * WEBHOOK_ALLOW_PRIVATE_TARGETS lifts this for local development and tests.
 */
const blocked = new net.BlockList();
for (const [a, p] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(a, p, 'ipv4');
for (const [a, p] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['64:ff9b::', 96],
] as const)
  blocked.addSubnet(a, p, 'ipv6');

export function isForbiddenAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return isForbiddenAddress(mapped[1]);
  const family = net.isIP(ip);
  if (!family) return true;
  return blocked.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

function allowPrivate(): boolean {
  return env().webhookAllowPrivateTargets;
}

/** Checks a webhook URL when it is registered: scheme, credentials, and where its host resolves. */
/** The setting that lifts both rules, named in their refusals; for the platform's operator, never set in production. */
const DEV_SETTING = 'where the operator starts forgetme with WEBHOOK_ALLOW_PRIVATE_TARGETS=1';

export async function checkWebhookUrl(raw: string): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('validation_failed', 'The webhook URL is not a valid URL.');
  }
  const local = allowPrivate();
  if (url.protocol !== 'https:' && !(local && url.protocol === 'http:')) {
    throw new AppError('validation_failed', `Webhook URLs must use https:// (plain http:// is allowed only in development, ${DEV_SETTING}).`);
  }
  if (url.username || url.password) throw new AppError('validation_failed', 'Webhook URLs must not carry credentials; the signature authenticates us to you.');
  if (local) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(host)
    ? [host]
    : await dns.promises.lookup(host, { all: true }).then(
        (r) => r.map((a) => a.address),
        () => null,
      );
  if (!addresses) throw new AppError('validation_failed', `The webhook host "${host}" does not resolve.`);
  const bad = addresses.find(isForbiddenAddress);
  if (bad) {
    const message =
      `The webhook URL points at ${bad}, a private, loopback or link-local address; ` +
      `webhooks can only reach public hosts (in development, ${DEV_SETTING}).`;
    throw new AppError('validation_failed', message);
  }
  return url;
}

/** A `lookup` for http(s).request that refuses forbidden addresses at connection time. */
export const guardedLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 4);
    const list = addresses as unknown as dns.LookupAddress[];
    const ok = allowPrivate() ? list : list.filter((a) => !isForbiddenAddress(a.address));
    if (!ok.length)
      return callback(Object.assign(new Error(`${hostname} resolves only to private, loopback or link-local addresses`), { code: 'EFORBIDDENTARGET' }), '', 4);
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, ok);
    callback(null, ok[0].address, ok[0].family);
  });
};
