import fs from 'node:fs';
import path from 'node:path';
import type { Executor } from '@/db/client';
import { datasetItems, faces, modelVersions, requestReferences } from '@/db/schema';
import { BLOB_GRACE_MS, sweepBlobs } from '@/lib/blobs/blob-sweep';
import type { Row } from './fault-workers';

/**
 * The fault harness's last look at the blob store: the files on disk under `root` against the
 * digests the database's rows hold (model versions' files and held-out samples, training images,
 * face crops, reference photos). `unheld`: files no row holds; `missing`: digests held with no file.
 */
export async function blobCensus(db: Executor, root: string): Promise<{ blobs: number; unheld: number; missing: number }> {
  const hex2 = (dir: string) => fs.readdirSync(dir).filter((name) => /^[0-9a-f]{2}$/.test(name));
  const onDisk = new Set(hex2(root).flatMap((a) => hex2(path.join(root, a)).flatMap((b) => fs.readdirSync(path.join(root, a, b)))));
  const versions = await db.select({ files: modelVersions.files, holdout: modelVersions.holdoutSha256 }).from(modelVersions);
  const items = await db.select({ sha: datasetItems.sha256 }).from(datasetItems);
  const crops = await db.select({ sha: faces.thumbnailSha256 }).from(faces);
  const photos = await db.select({ sha: requestReferences.photoBlob }).from(requestReferences);
  const held = new Set<string>([
    ...versions.flatMap((v) => [...Object.values(v.files), ...(v.holdout ? [v.holdout] : [])]),
    ...[...items, ...crops, ...photos].flatMap((r) => (r.sha ? [r.sha] : [])),
  ]);
  return { blobs: onDisk.size, unheld: [...onDisk].filter((s) => !held.has(s)).length, missing: [...held].filter((s) => !onDisk.has(s)).length };
}

/**
 * The blob sweep run as a day from now, then the census: every file left is held by a row, and
 * every file a row holds is there.
 */
export async function blobStoreRow(db: Executor, root: string): Promise<Row> {
  const started = performance.now();
  const swept = await sweepBlobs(new Date(Date.now() + BLOB_GRACE_MS + 3600_000));
  const { unheld, missing, blobs } = await blobCensus(db, root);
  const freed = `${swept.deleted} blobs (${(swept.bytesFreed / 1e6).toFixed(1)} MB)`;
  return {
    fault: '(all)',
    stage: 'blob store, a day on',
    killed: '-',
    endState: `the sweep deleted ${freed}; ${blobs} files: ${unheld} held by no row, ${missing} rows' blobs missing`,
    ok: !unheld && !missing,
    seconds: Math.round((performance.now() - started) / 1000),
  };
}
