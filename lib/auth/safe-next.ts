/** Characters a same-site path, query and fragment may hold as sent (RFC 3986's pchar, `/`, `?`, `#`, `%`). */
const PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?#]*$/;

/**
 * Where to go after sign-in: only a same-site path, so the form cannot be an open redirect, and
 * only characters a Location header can carry (a newline or a control character in `next` would
 * otherwise fail the redirect with a 500). Anything else goes home.
 */
export function safeNext(next: string | undefined): string {
  if (!next || next.length > 2000 || !PATH.test(next) || next.startsWith('//')) return '/home';
  return next;
}
