import { and, eq, gte, inArray, lt, max, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDb, type Executor } from '@/db/client';
import { blobWrites, datasetItems, faces, modelVersions, requestReferences } from '@/db/schema';
import { defineJob } from '@/lib/jobs/define-job';
import { log } from '@/lib/log/logger';
import { cleanTemporaries, deleteBlobUnless } from './blob-store';

/**
 * How long a recorded write may take to be committed as a version: a training's or a removal's
 * job lives at most six hours an attempt (its files are stored seconds before its transaction).
 */
export const BLOB_GRACE_MS = 24 * 3600_000;
const BATCH = 500;

export type BlobSweepReport = { checked: number; deleted: number; bytesFreed: number; partialWrites: number };

/** Which of these digests a model version holds: a file of it, or its held-out samples (where recorded writes go). */
async function inVersions(db: Executor, shas: string[]): Promise<Set<string>> {
  const rows = await db
    .select({ files: modelVersions.files, holdout: modelVersions.holdoutSha256 })
    .from(modelVersions)
    .where(
      or(
        sql`exists (select 1 from jsonb_each_text(${modelVersions.files}) f where ${inArray(sql`f.value`, shas)})`,
        inArray(modelVersions.holdoutSha256, shas),
      ),
    );
  const wanted = new Set(shas);
  return new Set(rows.flatMap((r) => [...Object.values(r.files), r.holdout ?? '']).filter((s) => wanted.has(s)));
}

/**
 * Which of these digests any other row holds (a training image, a face's crop, a reference photo):
 * asked only for digests no version holds, which are rare (versions never committed), as these
 * tables are large and not indexed by digest alone.
 */
async function elsewhere(db: Executor, shas: string[]): Promise<Set<string>> {
  const [items, crops, photos] = await Promise.all([
    db.select({ sha: datasetItems.sha256 }).from(datasetItems).where(inArray(datasetItems.sha256, shas)),
    db.select({ sha: faces.thumbnailSha256 }).from(faces).where(inArray(faces.thumbnailSha256, shas)),
    db.select({ sha: requestReferences.photoBlob }).from(requestReferences).where(inArray(requestReferences.photoBlob, shas)),
  ]);
  return new Set([...items, ...crops, ...photos].flatMap((r) => (r.sha ? [r.sha] : [])));
}

const held = async (db: Executor, shas: string[]) => new Set([...(await inVersions(db, shas)), ...(await elsewhere(db, shas))]);

/**
 * Deletes the blobs of model versions that were never committed (db/schema/blobs.ts): every
 * recorded write a day old whose digest no row points to and that no newer write recorded; then
 * forgets those records. Also puts back what a killed sweep had moved aside and deletes partial
 * writes a day old (blob-store.ts). Safe beside writers: see deleteBlobUnless.
 */
export async function sweepBlobs(now = new Date()): Promise<BlobSweepReport> {
  const db = await getDb();
  const cutoff = new Date(now.getTime() - BLOB_GRACE_MS);
  const report: BlobSweepReport = { checked: 0, deleted: 0, bytesFreed: 0, partialWrites: await cleanTemporaries(cutoff) };
  const recentlyRecorded = async (sha: string) =>
    (
      await db
        .select({ sha: blobWrites.sha256 })
        .from(blobWrites)
        .where(and(eq(blobWrites.sha256, sha), gte(blobWrites.createdAt, cutoff)))
        .limit(1)
    ).length > 0;
  for (;;) {
    const due = (
      await db
        .select({ sha: blobWrites.sha256 })
        .from(blobWrites)
        .groupBy(blobWrites.sha256)
        .having(lt(max(blobWrites.createdAt), cutoff))
        .limit(BATCH)
    ).map((r) => r.sha);
    if (!due.length) break;
    report.checked += due.length;
    const versions = await inVersions(db, due);
    const candidates = due.filter((s) => !versions.has(s));
    const kept = candidates.length ? await elsewhere(db, candidates) : new Set<string>();
    for (const sha of candidates.filter((s) => !kept.has(s))) {
      const freed = await deleteBlobUnless(sha, async () => (await recentlyRecorded(sha)) || (await held(db, [sha])).size > 0);
      if (freed) {
        report.deleted++;
        report.bytesFreed += freed;
      }
    }
    await db.delete(blobWrites).where(and(inArray(blobWrites.sha256, due), lt(blobWrites.createdAt, cutoff)));
  }
  if (report.deleted || report.partialWrites) log.info('blob sweep', report);
  return report;
}

export const sweepBlobsJob = defineJob({
  id: 'blobs.sweep',
  version: 1,
  schema: z.object({}).loose(),
  key: () => 'blobs.sweep',
  policy: 'exclusive',
  cron: '41 * * * *',
  expireInSeconds: 60 * 60,
  handler: async () => void (await sweepBlobs()),
});
