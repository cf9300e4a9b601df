import { getDb } from '@/db/client';
import type { Actor } from '@/lib/audit/events';
import { requireDataset } from './get-datasets';
import { readUpload } from './read-upload';
import { discardUnreferencedBlobs, stageUpload } from './stage-upload';

/**
 * An upload from the API, end to end: read as a stream into the blob store, staged as a new
 * ingest; whatever is refused, at any point, leaves no blob that no item points to.
 */
export async function receiveUpload(request: Request, opts: { organizationId: string; datasetId: string; actor: Actor; maxBytes: number }) {
  // Whose dataset it is is settled before the body is read: another organisation gets 404 whatever it sends.
  await requireDataset(await getDb(), opts.organizationId, opts.datasetId);
  const upload = await readUpload(request, opts.maxBytes, discardUnreferencedBlobs);
  try {
    return await stageUpload({ ...opts, rows: upload.rows, files: upload.files });
  } finally {
    await discardUnreferencedBlobs(upload.created);
  }
}
