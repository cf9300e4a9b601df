/**
 * The security headers of every response (set by proxy.ts). Pages get a Content Security Policy
 * whose scripts need this response's nonce (Next.js puts it on its own scripts, read from the
 * request's CSP header), with 'strict-dynamic' so the scripts those load run too, and no
 * 'unsafe-inline' for scripts. Styles keep 'unsafe-inline': React's style attributes (the charts)
 * cannot carry a nonce. Nothing may frame forgetme; HSTS only when the public URL is https.
 */
export function pageCsp(nonce: string, https: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** Headers for every response, pages and API alike. */
export function commonSecurityHeaders(https: boolean): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'permissions-policy': 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()',
    'cross-origin-opener-policy': 'same-origin',
    ...(https ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/** API responses (JSON, PDFs, images) are never framed and run no script. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** A fresh nonce for one page response: 128 random bits, base64. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
}
