import { env } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a cookie-authenticated write that a browser did not send from one of forgetme's own
 * pages (cross-site request forgery): the browser's Sec-Fetch-Site must say same-origin, or, from
 * a browser that does not send it, Origin must be forgetme's public origin or this request's own
 * host. A write with neither header did not come from a page of ours and is refused too. API-key
 * requests carry no ambient credential and are not checked.
 */
export function assertSameOrigin(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return;
  const site = request.headers.get('sec-fetch-site');
  if (site) {
    if (site === 'same-origin') return;
    throw crossSite();
  }
  const origin = request.headers.get('origin');
  if (origin && origin !== 'null' && (origin === new URL(env().publicUrl).origin || origin === ownOrigin(request))) return;
  throw crossSite();
}

function ownOrigin(request: Request): string | null {
  const host = request.headers.get('host');
  return host ? `${new URL(request.url).protocol}//${host}` : null;
}

function crossSite(): AppError {
  return new AppError('forbidden', 'This change must be made from a forgetme page: the request came from another site, so it was refused.');
}
