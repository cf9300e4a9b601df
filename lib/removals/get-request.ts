import { and, eq } from 'drizzle-orm';
import { getDb, type Executor } from '@/db/client';
import { removalRequests, type RemovalRequest } from '@/db/schema';
import { AppError } from '@/lib/errors/app-error';
import { UUID } from '@/lib/http/path-params';

/** The person's own request; another person's id, or a malformed one (a form's hidden field), is answered like an unknown one. */
export async function requireOwnRequest(tx: Executor, userId: string, requestId: string): Promise<RemovalRequest> {
  if (!UUID.test(requestId)) throw new AppError('not_found', 'No request with this id exists in your account.');
  const [r] = await tx
    .select()
    .from(removalRequests)
    .where(and(eq(removalRequests.id, requestId), eq(removalRequests.userId, userId)));
  if (!r) throw new AppError('not_found', 'No request with this id exists in your account.');
  return r;
}

export function requireStatus(r: RemovalRequest, allowed: RemovalRequest['status'][], doing: string): void {
  if (!allowed.includes(r.status)) throw new AppError('conflict', `This request is ${r.status.replace('_', ' ')}; you can no longer ${doing}.`);
}

/** For routes: settles that the request is the person's own before anything else is read. */
export async function requireOwnRequestId(userId: string, requestId: string): Promise<void> {
  await requireOwnRequest(await getDb(), userId, requestId);
}
