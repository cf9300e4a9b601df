import { and, count, eq, gt, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { datasetItems, datasets, faces, ingests, matchWatches } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { getBlob, putBlob } from '@/lib/blobs/blob-store';
import type { EmbedResult } from '@/lib/faces/embed-image';
import { failpoint } from '@/lib/jobs/failpoint';
import { defineJob, type JobContext } from '@/lib/jobs/define-job';
import { enqueue, prepareJobs } from '@/lib/jobs/enqueue';
import { log } from '@/lib/log/logger';
import { calibratedCohort, calibratedModelCohort, calibration } from '@/lib/matcher/calibration';
import { cohortDistance } from '@/lib/matcher/cohort';
import { refreshLabelTemplates } from '@/lib/matcher/label-templates';
import { watchJob } from '@/lib/removals/match-watch';
import { deliverRecorded, recordEvent } from '@/lib/webhooks/emit-event';
import { findRemovedCopy, removalStamp, removedHashes, type RemovedCopy, type RemovedHashes } from './removed-copies';

/** Items embedded at once: enough to keep every worker thread busy between database round trips. */
const BATCH = 16;

/**
 * Embeds the pending items of one ingest on the worker threads: every face with its descriptor,
 * box, score and a face-crop thumbnail; an image without a face or that cannot be decoded becomes
 * a failed item with its reason. Idempotent: it works from item status, faces are unique per
 * (item, face index), and counts are recomputed, so a crash or a second run adds nothing twice.
 * When no pending item is left, the ingest completes and `dataset.ingested` is sent.
 */
export async function runIngest(ingestId: string, ctx: Pick<JobContext, 'threads'>): Promise<void> {
  const db = await getDb();
  const [ingest] = await db.select().from(ingests).where(eq(ingests.id, ingestId));
  if (!ingest) throw new Error(`ingest ${ingestId} does not exist`);
  if (ingest.status === 'completed') return;
  await db.update(ingests).set({ status: 'running' }).where(eq(ingests.id, ingestId));
  const [ds] = await db.select({ organizationId: datasets.organizationId }).from(datasets).where(eq(datasets.id, ingest.datasetId));
  // Read again whenever a removal of the organisation's was committed since: a batch embedded
  // just before a request's commit is in the set as an image uploaded before it would be.
  let removed = await removedHashes(db, ds.organizationId, ctx.threads);
  for (;;) {
    if ((await removalStamp(db, ds.organizationId)) !== removed.stamp) removed = await removedHashes(db, ds.organizationId, ctx.threads);
    const batch = await db
      .select({ id: datasetItems.id, sha256: datasetItems.sha256 })
      .from(datasetItems)
      .where(and(eq(datasetItems.ingestId, ingestId), eq(datasetItems.status, 'pending')))
      .orderBy(datasetItems.createdAt, datasetItems.id)
      .limit(BATCH);
    if (!batch.length) break;
    await Promise.all(
      batch.map(async (item) => {
        const bytes = await getBlob(item.sha256);
        const r = await ctx.threads.run<EmbedResult>('faces.embed', { bytes: new Uint8Array(bytes), thumbnails: true, hashes: true });
        await storeResult(ingest.datasetId, item.id, r, removed);
      }),
    );
    await refreshCounts(ingestId);
    failpoint('ingest.after-batch');
  }
  const counts = await refreshCounts(ingestId);
  await prepareJobs(watchJob);
  // Completion, its audit event and `dataset.ingested` are written together: a crash loses none of them.
  const deliveryIds = await db.transaction(async (tx) => {
    const [done] = await tx
      .update(ingests)
      .set({ status: 'completed', finishedAt: new Date() })
      .where(and(eq(ingests.id, ingestId), or(eq(ingests.status, 'running'), eq(ingests.status, 'queued'))))
      .returning();
    if (!done) return null;
    // The labels this ingest added photos to get their templates rewritten with the completion.
    const touched = await tx.selectDistinct({ label: datasetItems.label }).from(datasetItems).where(eq(datasetItems.ingestId, ingestId));
    await refreshLabelTemplates(
      tx,
      ingest.datasetId,
      touched.map((t) => t.label),
      calibratedModelCohort(),
    );
    // People who asked to be told about new training sets are searched in it, queued with the completion.
    const [{ watching }] = await tx.select({ watching: count() }).from(matchWatches).where(gt(matchWatches.expiresAt, new Date()));
    if (watching) await enqueue(watchJob, { datasetId: ingest.datasetId }, { tx });
    const embedded = counts.processed - counts.failed;
    await recordAuditEvent(tx, {
      actor: { type: 'system' },
      organizationId: ds.organizationId,
      event: { action: 'dataset.ingested', subject: { type: 'ingest', id: ingestId }, data: { datasetId: ingest.datasetId, embedded, failed: counts.failed } },
    });
    const data = { datasetId: ingest.datasetId, ingestId, items: done.created, embedded, failed: counts.failed, skipped: done.skipped.length };
    return (await recordEvent(tx, { organizationId: ds.organizationId, type: 'dataset.ingested', data })).deliveryIds;
  });
  if (deliveryIds) await deliverRecorded(deliveryIds);
}

async function storeResult(datasetId: string, itemId: string, r: EmbedResult, removed: RemovedHashes): Promise<void> {
  const db = await getDb();
  const cohort = calibratedCohort();
  const copy = r.ok && r.imageHash && r.faces.length ? await findRemovedCopy(db, removed, { imageHash: r.imageHash, faces: r.faces }) : null;
  const failure = !r.ok ? r.error : !r.faces.length ? { code: 'no_face', message: 'No face was found in this image.' } : copy ? copyError(copy) : null;
  if (failure || !r.ok) {
    await db.update(datasetItems).set({ status: 'failed', error: failure }).where(eq(datasetItems.id, itemId));
    return;
  }
  const thumbs = await Promise.all(r.faces.map(async (f) => (f.thumbnail ? (await putBlob(f.thumbnail)).sha256 : null)));
  await db.transaction(async (tx) => {
    await tx
      .insert(faces)
      .values(
        r.faces.map((f, i) => ({
          itemId,
          datasetId,
          faceIndex: i,
          box: f.box,
          score: f.score,
          thumbnailSha256: thumbs[i],
          embedding: f.descriptor,
          embeddingModel: r.model,
          cohortDistance: cohort && r.model === calibration().model ? cohortDistance(f.descriptor, cohort) : null,
          regionHash: f.hash ? BigInt.asIntN(64, f.hash.hash) : null,
        })),
      )
      .onConflictDoNothing();
    await tx
      .update(datasetItems)
      .set({
        status: 'embedded',
        error: r.truncated ? { code: 'truncated', message: 'The file ended early; the part that could be decoded was used.' } : null,
        imageHash: r.imageHash ? BigInt.asIntN(64, r.imageHash.hash) : null,
      })
      .where(eq(datasetItems.id, itemId));
  });
}

/** The refusal of a copy of a removed image: the partner learns which of its own items it copies, as its webhooks already told it. */
function copyError(copy: RemovedCopy): { code: string; message: string } {
  const what = copy.kind === 'picture' ? 'the same picture' : 'the same face, cropped, framed or turned differently';
  return {
    code: 'removed_image_copy',
    message:
      `This image looks like a copy of "${copy.externalId}" in set "${copy.dataset}" (${what}), ` + "which was removed at a person's request; it is not used.",
  };
}

async function refreshCounts(ingestId: string): Promise<{ processed: number; failed: number }> {
  const db = await getDb();
  const [c] = await db
    .select({
      processed: sql<number>`count(*) filter (where ${datasetItems.status} <> 'pending')::int`,
      failed: sql<number>`count(*) filter (where ${datasetItems.status} = 'failed')::int`,
    })
    .from(datasetItems)
    .where(eq(datasetItems.ingestId, ingestId));
  await db.update(ingests).set(c).where(eq(ingests.id, ingestId));
  return c;
}

export const ingestJob = defineJob({
  id: 'datasets.ingest',
  version: 1,
  schema: z.object({ ingestId: z.uuid() }),
  key: (p) => `datasets.ingest:${p.ingestId}`,
  policy: 'exclusive',
  retryLimit: 5,
  retryDelaySeconds: 15,
  expireInSeconds: 6 * 60 * 60,
  heartbeatSeconds: 30,
  handler: async (p, ctx) => runIngest(p.ingestId, ctx),
});

/** Re-queues ingests that are not finished and have not moved for ten minutes (a lost job, a crash). */
export const sweepIngestsJob = defineJob({
  id: 'datasets.ingest-sweep',
  version: 1,
  schema: z.object({}).loose(),
  key: () => 'datasets.ingest-sweep',
  cron: '*/10 * * * *',
  handler: async () => {
    const db = await getDb();
    const stale = await db
      .select({ id: ingests.id })
      .from(ingests)
      .where(and(sql`${ingests.status} <> 'completed'`, lt(ingests.createdAt, sql`now() - interval '10 minutes'`)))
      .limit(100);
    for (const { id } of stale) {
      log.info('re-queueing an unfinished ingest', { ingestId: id });
      await enqueue(ingestJob, { ingestId: id });
    }
  },
});
