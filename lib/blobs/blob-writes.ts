import { getDb } from '@/db/client';
import { blobWrites } from '@/db/schema';

/**
 * Records, before the first byte is written, the blobs a model version is about to be stored in
 * (db/schema/blobs.ts): committed on its own, outside any transaction, so that a process killed at
 * any later point leaves an entry the blob sweep (blob-sweep.ts) finds.
 */
export async function recordBlobWrites(sha256s: readonly string[]): Promise<void> {
  if (!sha256s.length) return;
  const db = await getDb();
  await db.insert(blobWrites).values([...new Set(sha256s)].map((sha256) => ({ sha256 })));
}
