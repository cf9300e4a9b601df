import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';

/**
 * Blobs a model version's files are about to be written to, recorded before the writing starts
 * (lib/models/version-files.ts). A version that is never committed (the process killed between its
 * files and its transaction, a release that goes round again, a conflicting release) leaves blobs
 * that no row points to; the blob sweep (lib/blobs/blob-sweep.ts) deletes those once the entry is a
 * day old, and forgets every entry of that age.
 */
export const blobWrites = pgTable(
  'blob_writes',
  {
    id: id(),
    sha256: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('blob_writes_sha256_idx').on(t.sha256), index('blob_writes_created_at_idx').on(t.createdAt)],
);
