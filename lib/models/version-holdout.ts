import { getDb } from '@/db/client';
import { getBlob, putBlob } from '@/lib/blobs/blob-store';
import { recordBlobWrites } from '@/lib/blobs/blob-writes';
import type { FeatureSource } from '@/lib/embeddings/partner-samples';
import { without, type Samples } from '@/lib/unlearning/dataset';
import { sha256 } from '@/lib/unlearning/model-file-arrays';
import { decodeHoldout, encodeHoldout } from './holdout-file';
import { removedItems } from './removed-while-training';
import { holdoutData } from './training-data';

/** Stores a version's held-out samples (holdout-file.ts) as a blob; returns its sha256. */
export async function storeHoldout(s: Samples): Promise<string> {
  const bytes = encodeHoldout(s);
  await recordBlobWrites([sha256(bytes)]); // before the write: the blob sweep deletes it if no version holds it
  return (await putBlob(bytes)).sha256;
}

/**
 * The held-out samples a removal from this version measures accuracy on: the ones the version
 * kept (those held out of its training), without the items that removal requests have taken out
 * of the dataset since. A version stored before versions kept them has them chosen from the
 * dataset as before (holdoutData: its live items, split by id); the release stores them.
 */
export async function versionHoldout(version: { holdoutSha256: string | null }, datasetId: string, source: FeatureSource): Promise<Samples> {
  if (!version.holdoutSha256) return holdoutData(datasetId, source);
  const [kept, removed] = await Promise.all([getBlob(version.holdoutSha256).then(decodeHoldout), getDb().then((db) => removedItems(db, datasetId))]);
  return kept.ids.some((id) => removed.has(id)) ? without(kept, removed) : kept;
}
