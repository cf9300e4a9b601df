import { NextResponse, type NextRequest } from 'next/server';
import { env } from '@/lib/config/env';
import { API_CSP, commonSecurityHeaders, newNonce, pageCsp } from '@/lib/http/security-headers';

/**
 * Security headers on every response (lib/http/security-headers.ts). A page request gets a fresh
 * nonce in its Content Security Policy, passed to Next.js on the request's own CSP header (from
 * which Next.js reads it for its scripts), so every page renders dynamically: they already do, as
 * the header reads the session.
 */
export function proxy(request: NextRequest) {
  const https = env().publicUrl.startsWith('https:');
  const common = commonSecurityHeaders(https);
  if (request.nextUrl.pathname.startsWith('/api/')) {
    const response = NextResponse.next();
    for (const [k, v] of Object.entries({ ...common, 'content-security-policy': API_CSP })) response.headers.set(k, v);
    return response;
  }
  const csp = pageCsp(newNonce(), https);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [k, v] of Object.entries({ ...common, 'content-security-policy': csp })) response.headers.set(k, v);
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
