import { and, eq, inArray } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { removalRequests } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { AppError } from '@/lib/errors/app-error';
import { requireOwnRequest } from './get-request';
import { purgeRequestData } from './retention';

/** Withdraws a request before removal starts; its photos and descriptors are deleted at once. */
export async function withdrawRequest(opts: { userId: string; requestId: string }): Promise<void> {
  const db = await getDb();
  const r = await requireOwnRequest(db, opts.userId, opts.requestId);
  const done = await db.transaction(async (tx) => {
    const rows = await tx.update(removalRequests).set({ status: 'withdrawn', withdrawnAt: new Date() }).where(and(eq(removalRequests.id, r.id), inArray(removalRequests.status, ['draft', 'matching', 'review']))).returning();
    if (rows.length) await recordAuditEvent(tx, { actor: { type: 'user', id: opts.userId }, event: { action: 'request.withdrawn', subject: { type: 'removal_request', id: r.id }, data: {} } });
    return rows.length > 0;
  });
  if (!done) throw new AppError('conflict', 'Removal has already started for this request, so it can no longer be withdrawn; it will complete and you will get its certificate.');
  await purgeRequestData(r.id, 'withdrawn');
}
