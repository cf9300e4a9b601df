import 'server-only';
import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { idempotencyKeys } from '@/db/schema';
import { AppError } from '@/lib/errors/app-error';
import { isUniqueViolation } from '@/db/errors';
import type { Principal } from './principal';

/** How long a stored response answers a repeated key. */
const TTL_HOURS = 24;
const IN_PROGRESS = 0;

export function callerOf(p: Principal | null, request: Request): string {
  if (p?.type === 'api_key') return `key:${p.key.keyId}`;
  if (p?.type === 'user') return `user:${p.user.id}`;
  return `anon:${request.headers.get('x-forwarded-for') ?? 'local'}`;
}

/**
 * `Idempotency-Key` on a POST: the first request with a key runs and its response is stored; the
 * same key with the same request (method, path, body) gets that response again, marked
 * `Idempotent-Replayed: true`; with a different request, or while the first is still running, a
 * conflict. Server errors are not stored, so the request can be retried with the same key.
 */
export async function withIdempotency(request: Request, caller: string, run: () => Promise<Response>): Promise<Response> {
  const key = request.headers.get('idempotency-key');
  if (request.method !== 'POST' || key === null) return run();
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) throw new AppError('validation_failed', 'The Idempotency-Key header must be 1 to 255 visible ASCII characters.');
  const body = Buffer.from(await request.clone().arrayBuffer());
  const url = new URL(request.url);
  const requestHash = crypto.createHash('sha256').update(`${request.method} ${url.pathname}${url.search}\n`).update(body).digest('hex');
  const db = await getDb();
  await db
    .delete(idempotencyKeys)
    .where(
      and(eq(idempotencyKeys.caller, caller), eq(idempotencyKeys.key, key), sql`${idempotencyKeys.createdAt} < now() - make_interval(hours => ${TTL_HOURS})`),
    );
  try {
    await db.insert(idempotencyKeys).values({ caller, key, requestHash, statusCode: IN_PROGRESS, body: {} });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const [prior] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.caller, caller), eq(idempotencyKeys.key, key)));
    if (!prior) throw err;
    if (prior.requestHash !== requestHash)
      throw new AppError('conflict', 'This Idempotency-Key was already used with a different request; use a new key for a new request.');
    if (prior.statusCode === IN_PROGRESS) throw new AppError('conflict', 'A request with this Idempotency-Key is still being processed; retry in a moment.');
    return Response.json(prior.body, { status: prior.statusCode, headers: { 'idempotent-replayed': 'true' } });
  }
  let response: Response;
  try {
    response = await run();
  } catch (err) {
    await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.caller, caller), eq(idempotencyKeys.key, key)));
    throw err;
  }
  const json =
    response.status < 500 && /json/.test(response.headers.get('content-type') ?? '')
      ? await response
          .clone()
          .json()
          .catch(() => undefined)
      : undefined;
  if (json === undefined) await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.caller, caller), eq(idempotencyKeys.key, key)));
  else
    await db
      .update(idempotencyKeys)
      .set({ statusCode: response.status, body: json })
      .where(and(eq(idempotencyKeys.caller, caller), eq(idempotencyKeys.key, key)));
  return response;
}
