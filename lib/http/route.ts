import 'server-only';
import { z } from 'zod';
import { authenticateApiKey } from '@/lib/api-keys/authenticate-api-key';
import type { ApiScope } from '@/lib/api-keys/scopes';
import { hasAnyRole, type Role } from '@/lib/auth/roles';
import { AppError, isAppError } from '@/lib/errors/app-error';
import { fromZodError } from '@/lib/errors/from-zod';
import { HTTP_STATUS } from '@/lib/errors/http-status';
import { log } from '@/lib/log/logger';
import { callerOf, withIdempotency } from './idempotency';
import type { Principal } from './principal';
import { readJsonBody } from './read-json-body';
import { assertSameOrigin } from './same-origin';

type AuthSpec =
  | 'public'
  | {
      /** Session users must hold one of these roles. */
      roles: readonly Role[];
      /** API keys must hold every one of these scopes; without it, keys are refused. */
      scopes?: readonly ApiScope[];
    };

type Ctx<B, Q, P extends boolean> = {
  request: Request;
  params: Record<string, string>;
  body: B;
  query: Q;
  principal: P extends true ? Principal : Principal | null;
};

/** A JSON error response in the one shape every client sees. */
export function errorResponse(err: AppError): Response {
  return Response.json(
    { error: err.toJSON() },
    { status: HTTP_STATUS[err.code], headers: err.code === 'rate_limited' ? { 'retry-after': String(err.details?.retryAfterSeconds ?? 60) } : {} },
  );
}

async function authenticate(request: Request, spec: AuthSpec): Promise<Principal | null> {
  const header = request.headers.get('authorization');
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new AppError('unauthenticated', 'Send the API key as "Authorization: Bearer fm_…".');
    const key = await authenticateApiKey(m[1]);
    if (spec === 'public') return { type: 'api_key', key };
    if (!spec.scopes) throw new AppError('forbidden', 'This endpoint is for signed-in people, not API keys.');
    const missing = spec.scopes.filter((s) => !key.scopes.includes(s));
    if (missing.length) throw new AppError('forbidden', `This API key lacks the scope(s): ${missing.join(', ')}.`);
    return { type: 'api_key', key };
  }
  if (spec === 'public') return null;
  // Loaded only for cookie sessions, so API-key routes do not pull in Auth.js.
  const { currentUser } = await import('@/lib/auth/current-user');
  const user = await currentUser();
  if (!user) throw new AppError('unauthenticated', 'Sign in, or send an API key.');
  if (!hasAnyRole(user, spec.roles)) throw new AppError('forbidden', 'Your account does not have access to this resource.');
  assertSameOrigin(request);
  return { type: 'user', user };
}

/**
 * The one wrapper for route handlers: authenticates (session or API key) and checks roles and
 * scopes, validates the JSON body and the query with zod, runs the handler, and maps every
 * error to `{ error: { code, message } }` with the status from the one table. Unknown errors
 * become a 500 that leaks nothing. A POST with an `Idempotency-Key` runs once (idempotency.ts).
 */
export function route<B = undefined, Q = undefined, S extends AuthSpec = AuthSpec>(
  spec: { auth: S; body?: z.ZodType<B>; query?: z.ZodType<Q>; maxBodyBytes?: number } & Record<string, unknown>,
  handler: (ctx: Ctx<B, Q, S extends 'public' ? false : true>) => Promise<unknown>,
) {
  return async (request: Request, context?: { params?: Promise<Record<string, string>> }): Promise<Response> => {
    try {
      const principal = await authenticate(request, spec.auth);
      return await withIdempotency(request, callerOf(principal, request), async () => {
        let body = undefined as B;
        if (spec.body) {
          const parsed = spec.body.safeParse(await readJsonBody(request, spec.maxBodyBytes ?? 64 * 1024));
          if (!parsed.success) throw fromZodError(parsed.error);
          body = parsed.data;
        }
        let query = undefined as Q;
        if (spec.query) {
          const parsed = spec.query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
          if (!parsed.success) throw fromZodError(parsed.error);
          query = parsed.data;
        }
        const params = (await context?.params) ?? {};
        const result = await handler({ request, params, body, query, principal: principal as never });
        return result instanceof Response ? result : Response.json(result);
      });
    } catch (err) {
      if (isAppError(err)) return errorResponse(err);
      if (err instanceof z.ZodError) return errorResponse(fromZodError(err));
      const id = crypto.randomUUID();
      log.error('unhandled error in route', { id, url: request.url, error: err instanceof Error ? err.stack : String(err) });
      return errorResponse(new AppError('internal', `Something went wrong on our side (reference ${id}).`));
    }
  };
}
