import { and, asc, between, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { certificates, logNodes } from '@/db/schema';
import { env } from '@/lib/config/env';
import { getSigningKey } from '@/lib/crypto/signing-key';
import { AppError } from '@/lib/errors/app-error';
import { envelopeDigest } from './bundle';
import { checkpointText } from './checkpoint';
import { signNote } from './signed-note';
import { TILE_HEIGHT, TILE_WIDTH, type TileRef } from './tile-path';
import { latestTreeHead, readySize, treeHeadAt } from './transparency-log';

/**
 * The log served as C2SP tlog-tiles (docs/certificate.md, "The transparency log"): the checkpoint,
 * signed as a note by the platform key under the log's origin, and tiles of 256 hashes read from
 * the stored complete subtrees (a level-L tile holds the subtrees of height 8L). Entries are the
 * SHA-256 digests of the certificates' envelopes: what each leaf hashes, never the certificate.
 */

/** The signed checkpoint of the log at `size` (its latest head by default); null for an empty log. */
export async function signedCheckpoint(size?: number): Promise<string | null> {
  const head = size === undefined ? await latestTreeHead() : await treeHeadAt(size);
  if (!head) return null;
  const key = await getSigningKey();
  const origin = env().logOrigin;
  return signNote(checkpointText({ origin, size: head.size, rootHash: Buffer.from(head.rootHash, 'hex') }), [{ name: origin, privateKey: key.privateKey }]);
}

const missing = (ref: TileRef) =>
  new AppError('not_found', `The log has no ${ref.width < TILE_WIDTH ? `partial tile of width ${ref.width}` : 'full tile'} there yet.`);

/** A tile's bytes: 32 bytes per hash (hash tiles), or uint16-length-prefixed entries (entry bundles). */
export async function readTile(ref: TileRef): Promise<Buffer> {
  const size = await readySize();
  const level = ref.kind === 'hashes' ? ref.level : 0;
  const available = Math.floor(size / 2 ** (TILE_HEIGHT * level));
  const from = ref.n * TILE_WIDTH;
  if (from + ref.width > available) throw missing(ref);
  const db = await getDb();
  if (ref.kind === 'entries') {
    const rows = await db
      .select({ envelope: certificates.envelope })
      .from(certificates)
      .where(between(certificates.leafIndex, from, from + ref.width - 1))
      .orderBy(asc(certificates.leafIndex));
    if (rows.length !== ref.width) throw missing(ref);
    return Buffer.concat(rows.flatMap((r) => [Buffer.from([0, 32]), envelopeDigest(r.envelope)]));
  }
  const rows = await db
    .select({ hash: logNodes.hash })
    .from(logNodes)
    .where(and(eq(logNodes.level, TILE_HEIGHT * level), between(logNodes.idx, from, from + ref.width - 1)))
    .orderBy(asc(logNodes.idx));
  if (rows.length !== ref.width) throw missing(ref);
  return Buffer.concat(rows.map((r) => Buffer.from(r.hash, 'hex')));
}
