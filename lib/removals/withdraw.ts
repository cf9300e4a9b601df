import { getDb } from '@/db/client';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { AppError } from '@/lib/errors/app-error';
import { requireOwnRequest } from './get-request';
import { moveRequest } from './lifecycle';
import { purgeRequestData } from './retention';

/**
 * Withdraws a request before removal starts; its photos and descriptors are deleted at once (a
 * crash before the purge leaves a settled request with data, which the removal sweep purges).
 */
export async function withdrawRequest(opts: { userId: string; requestId: string }): Promise<void> {
  const db = await getDb();
  const r = await requireOwnRequest(db, opts.userId, opts.requestId);
  const done = await db.transaction(async (tx) => {
    const row = await moveRequest(tx, r.id, 'withdrawn', { withdrawnAt: new Date() });
    const event = { action: 'request.withdrawn', subject: { type: 'removal_request', id: r.id }, data: {} } as const;
    if (row) await recordAuditEvent(tx, { actor: { type: 'user', id: opts.userId }, event });
    return !!row;
  });
  if (!done)
    throw new AppError(
      'conflict',
      'Removal has already started for this request, so it can no longer be withdrawn; it will complete and you will get its certificate.',
    );
  await purgeRequestData(r.id, 'withdrawn');
}
