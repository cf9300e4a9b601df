import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { removalRequests, requestReferences } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { deleteBlob } from '@/lib/blobs/blob-store';
import { defineJob } from '@/lib/jobs/define-job';
import { IDLE_DAYS } from './consent';

/**
 * Deletes a request's biometric data: the reference photos (blobs) and their sealed descriptors
 * (rows). What stays: the request's status, the matches (training-set ids, no face data of the
 * person) and the certificates, which hold only digests.
 */
export async function purgeRequestData(requestId: string, reason: 'completed' | 'withdrawn' | 'idle'): Promise<number> {
  const db = await getDb();
  const refs = await db.delete(requestReferences).where(eq(requestReferences.requestId, requestId)).returning({ blob: requestReferences.photoBlob });
  for (const r of refs) await deleteBlob(r.blob);
  await db.transaction(async (tx) => {
    const done = await tx.update(removalRequests).set({ purgedAt: new Date() }).where(and(eq(removalRequests.id, requestId), isNull(removalRequests.purgedAt))).returning();
    if (done.length) await recordAuditEvent(tx, { actor: { type: 'system' }, event: { action: 'request.purged', subject: { type: 'removal_request', id: requestId }, data: { reason, references: refs.length } } });
  });
  return refs.length;
}

/** Daily: requests idle for IDLE_DAYS before submission are withdrawn and their biometric data deleted. */
export async function purgeIdleRequests(now = new Date()): Promise<number> {
  const db = await getDb();
  const idle = await db
    .update(removalRequests)
    .set({ status: 'withdrawn', withdrawnAt: now })
    .where(and(inArray(removalRequests.status, ['draft', 'review']), lt(removalRequests.lastActivityAt, sql`${new Date(now.getTime() - IDLE_DAYS * 86400_000).toISOString()}::timestamptz`)))
    .returning({ id: removalRequests.id });
  for (const r of idle) await purgeRequestData(r.id, 'idle');
  return idle.length;
}

export const retentionJob = defineJob({
  id: 'removals.retention',
  version: 1,
  schema: z.object({}).loose(),
  key: () => 'removals.retention',
  cron: '17 3 * * *',
  handler: async () => void (await purgeIdleRequests()),
});
