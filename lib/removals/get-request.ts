import { and, eq } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { removalRequests, type RemovalRequest } from '@/db/schema';
import { AppError } from '@/lib/errors/app-error';

/** The person's own request; another person's id is answered like an unknown one. */
export async function requireOwnRequest(tx: Executor, userId: string, requestId: string): Promise<RemovalRequest> {
  const [r] = await tx.select().from(removalRequests).where(and(eq(removalRequests.id, requestId), eq(removalRequests.userId, userId)));
  if (!r) throw new AppError('not_found', 'No request with this id exists in your account.');
  return r;
}

export function requireStatus(r: RemovalRequest, allowed: RemovalRequest['status'][], doing: string): void {
  if (!allowed.includes(r.status)) throw new AppError('conflict', `This request is ${r.status.replace('_', ' ')}; you can no longer ${doing}.`);
}
