/**
 * The client's address as the forgetme server (server.ts) worked it out from the TCP peer and the
 * configured number of trusted proxies (lib/http/client-address.ts): it replaces X-Forwarded-For
 * with that one address before Next.js sees the request. "unknown" when absent.
 */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return (forwarded || 'unknown').slice(0, 64);
}
