import { and, asc, eq, isNull } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { livenessChecks, removalRequests, requestReferences } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { deleteBlob } from '@/lib/blobs/blob-store';

/**
 * Deletes a request's biometric data: the reference photos (blobs), their sealed descriptors
 * (rows) and the live captures' descriptors. What stays: the request's status, the matches (training-set ids, no face data of the
 * person) and the certificates, which hold only digests. Each photo's blob goes before its row,
 * so a crash half-way leaves rows that a second run (the removal sweep) finishes, never a blob
 * that nothing points to; `purgedAt` is set last.
 */
export async function purgeRequestData(requestId: string, reason: 'completed' | 'failed' | 'withdrawn' | 'idle' | 'account_deleted'): Promise<number> {
  const db = await getDb();
  const refs = await db
    .select({ id: requestReferences.id, blob: requestReferences.photoBlob })
    .from(requestReferences)
    .where(eq(requestReferences.requestId, requestId))
    .orderBy(asc(requestReferences.createdAt));
  for (const r of refs) {
    await deleteBlob(r.blob);
    await db.delete(requestReferences).where(eq(requestReferences.id, r.id));
  }
  await db.transaction(async (tx) => {
    // The live face of each capture goes with the photos (the frames were never stored).
    await tx.update(livenessChecks).set({ liveDescriptorSealed: null }).where(eq(livenessChecks.requestId, requestId));
    const done = await tx
      .update(removalRequests)
      .set({ purgedAt: new Date() })
      .where(and(eq(removalRequests.id, requestId), isNull(removalRequests.purgedAt)))
      .returning();
    if (done.length)
      await recordAuditEvent(tx, {
        actor: { type: 'system' },
        event: { action: 'request.purged', subject: { type: 'removal_request', id: requestId }, data: { reason, references: refs.length } },
      });
  });
  return refs.length;
}
