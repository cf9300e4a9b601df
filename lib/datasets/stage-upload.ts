import { and, eq, inArray, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { datasetItems, datasets, ingests, type Ingest } from '@/db/schema';
import type { Actor } from '@/lib/audit/events';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { deleteBlob, putBlob, type BlobRef } from '@/lib/blobs/blob-store';
import { AppError } from '@/lib/errors/app-error';
import { MAX_BYTES } from '@/lib/faces/decode-image';
import { enqueue } from '@/lib/jobs/enqueue';
import { requireDataset } from './get-datasets';
import { ingestJob } from './ingest-job';
import type { ManifestRow } from './manifest';
import { removedImages } from './removed-images';

/**
 * Accepts one upload into a dataset, its images already in the blob store (read-upload.ts, or
 * storeFiles): every manifest row must name a file of the upload, or nothing
 * is imported. Rows whose external id or image the dataset already has are skipped and reported
 * (so re-running an import creates nothing twice), and so are images that a removal request
 * removed from any of the organisation's datasets (re-uploading an archive into a new set would
 * otherwise put a person back into the models trained on it); the rest become pending items of a
 * new ingest, in one transaction, and the embedding job is queued.
 */
type Staged = { organizationId: string; datasetId: string; actor: Actor; rows: ManifestRow[]; files: Map<string, BlobRef> };

export async function stageUpload(opts: Staged): Promise<Ingest> {
  const missing = opts.rows.filter((r) => !opts.files.has(r.file)).map((r) => r.file);
  if (missing.length) {
    throw new AppError(
      'validation_failed',
      `The manifest names ${missing.length} file(s) that are not in the upload: ` +
        `${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}. Nothing was imported.`,
      { missing: missing.slice(0, 100) },
    );
  }
  const tooLarge = opts.rows.find((r) => opts.files.get(r.file)!.size > MAX_BYTES);
  if (tooLarge) throw new AppError('payload_too_large', `"${tooLarge.file}" is larger than ${MAX_BYTES / 2 ** 20} MB. Nothing was imported.`);
  const hashed = opts.rows.map((r) => ({ ...r, sha256: opts.files.get(r.file)!.sha256 }));

  const db = await getDb();
  await requireDataset(db, opts.organizationId, opts.datasetId);

  const ingest = await db.transaction(async (tx) => {
    // One upload at a time per dataset decides what is a duplicate.
    await tx.execute(sql`select 1 from ${datasets} where ${datasets.id} = ${opts.datasetId} for update`);
    const known = new Map<string, 'duplicate_id' | 'duplicate_image'>();
    for (let i = 0; i < hashed.length; i += 1000) {
      const chunk = hashed.slice(i, i + 1000);
      const existing = await tx
        .select({ externalId: datasetItems.externalId, sha256: datasetItems.sha256 })
        .from(datasetItems)
        .where(
          and(
            eq(datasetItems.datasetId, opts.datasetId),
            sql`(${inArray(
              datasetItems.externalId,
              chunk.map((r) => r.externalId),
            )} or ${inArray(
              datasetItems.sha256,
              chunk.map((r) => r.sha256),
            )})`,
          ),
        );
      for (const e of existing) {
        known.set(`id:${e.externalId}`, 'duplicate_id');
        known.set(`sha:${e.sha256}`, 'duplicate_image');
      }
    }
    const removed = await removedImages(
      tx,
      opts.organizationId,
      hashed.map((r) => r.sha256),
    );
    const skipped: Ingest['skipped'] = [];
    const fresh: typeof hashed = [];
    const seenSha = new Map<string, string>();
    for (const r of hashed) {
      const gone = removed.get(r.sha256);
      if (gone)
        skipped.push({
          externalId: r.externalId,
          code: 'removed_image',
          message: `This exact image was removed by a removal request (item "${gone.externalId}" of dataset "${gone.dataset}"); it cannot be registered again.`,
        });
      else if (known.has(`id:${r.externalId}`))
        skipped.push({ externalId: r.externalId, code: 'duplicate_id', message: 'The dataset already has an item with this external_id.' });
      else if (known.has(`sha:${r.sha256}`))
        skipped.push({ externalId: r.externalId, code: 'duplicate_image', message: 'The dataset already has this exact image.' });
      else if (seenSha.has(r.sha256))
        skipped.push({ externalId: r.externalId, code: 'duplicate_image', message: `The same image as "${seenSha.get(r.sha256)}" in this upload.` });
      else {
        seenSha.set(r.sha256, r.externalId);
        fresh.push(r);
      }
    }
    const [row] = await tx
      .insert(ingests)
      .values({
        datasetId: opts.datasetId,
        total: hashed.length,
        created: fresh.length,
        skipped,
        status: fresh.length ? 'queued' : 'completed',
        finishedAt: fresh.length ? null : new Date(),
      })
      .returning();
    for (let i = 0; i < fresh.length; i += 1000) {
      await tx
        .insert(datasetItems)
        .values(
          fresh.slice(i, i + 1000).map((r) => ({ datasetId: opts.datasetId, externalId: r.externalId, label: r.label, sha256: r.sha256, ingestId: row.id })),
        );
    }
    await recordAuditEvent(tx, {
      actor: opts.actor,
      organizationId: opts.organizationId,
      event: {
        action: 'dataset.upload_accepted',
        subject: { type: 'ingest', id: row.id },
        data: { datasetId: opts.datasetId, rows: hashed.length, created: fresh.length, skipped: skipped.length },
      },
    });
    return row;
  });
  if (ingest.created) await enqueue(ingestJob, { ingestId: ingest.id });
  return ingest;
}

/** Stores in-memory images (the CLI's and the seeds' uploads) and returns them as an upload's files. */
export async function storeFiles(files: Map<string, Buffer>): Promise<Map<string, BlobRef>> {
  const out = new Map<string, BlobRef>();
  for (const [name, bytes] of files) {
    const { sha256, size } = await putBlob(bytes);
    out.set(name, { sha256, size });
  }
  return out;
}

/**
 * Deletes blobs an upload created that no item points to (the upload was refused, or sent files
 * its manifest did not name), so a refused upload leaves nothing behind.
 */
export async function discardUnreferencedBlobs(shas: string[]): Promise<void> {
  if (!shas.length) return;
  const db = await getDb();
  const used = new Set<string>();
  for (let i = 0; i < shas.length; i += 1000) {
    const rows = await db
      .selectDistinct({ sha256: datasetItems.sha256 })
      .from(datasetItems)
      .where(inArray(datasetItems.sha256, shas.slice(i, i + 1000)));
    for (const r of rows) used.add(r.sha256);
  }
  for (const sha of shas) if (!used.has(sha)) await deleteBlob(sha);
}
