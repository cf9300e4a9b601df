import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { removalRequests, requestReferences } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { deleteBlob, getBlob, hasBlob, putBlob } from '@/lib/blobs/blob-store';
import { open, seal } from '@/lib/crypto/aead';
import { getDataKey } from '@/lib/crypto/secrets';
import { AppError } from '@/lib/errors/app-error';
import { checkReference, SeveralFacesError, type Box, type FaceChoice } from '@/lib/faces/check-reference';
import { FaceError } from '@/lib/faces/decode-image';
import { faceRegion, faceThumbnail, uprightSize } from '@/lib/faces/face-thumbnail';
import { UUID } from '@/lib/http/path-params';
import type { EmbedResult } from '@/lib/faces/embed-image';
import { getThreadPool } from '@/lib/jobs/thread-pool';
import { MAX_REFERENCES } from './consent';
import { requireOwnRequest, requireStatus } from './get-request';

export type ReferenceOutcome = { ok: true; id: string; box: number[] } | { ok: false; code: string; message: string; faces?: FaceChoice[] };

/**
 * Checks one reference photo (one clear, large enough face) on a worker thread and, if it passes,
 * stores the photo and its descriptor sealed with the data key. A photo with several faces is
 * refused with the faces to pick from; sent again with the person's `pick`, only the region around
 * that face is stored (faceRegion), never the other people. A refused photo is not stored; the
 * reason says what to do. The count (1 to MAX_REFERENCES) is enforced in the
 * transaction of the insert, on the locked request, so parallel uploads cannot exceed it.
 */
export async function addReference(opts: { userId: string; requestId: string; bytes: Buffer; pick?: Box }): Promise<ReferenceOutcome> {
  const db = await getDb();
  const r = await requireOwnRequest(db, opts.userId, opts.requestId);
  requireStatus(r, ['draft'], 'add photos');
  await finishInterruptedRemovals(r.id);
  const [{ n }] = await db.select({ n: count() }).from(requestReferences).where(eq(requestReferences.requestId, r.id));
  if (n >= MAX_REFERENCES) throw new AppError('conflict', `A request takes at most ${MAX_REFERENCES} photos; remove one to add another.`);
  const result = await getThreadPool().run<EmbedResult>('faces.embed', { bytes: new Uint8Array(opts.bytes) });
  let face;
  try {
    face = checkReference(result, opts.pick);
  } catch (err) {
    if (err instanceof SeveralFacesError) return { ok: false, code: err.code, message: err.message, faces: err.choices };
    if (err instanceof FaceError) return { ok: false, code: err.code, message: err.message };
    throw err;
  }
  // Of a photo with several people, only the region of the picked face is kept.
  const kept = result.ok && result.faces.length > 1 ? await faceRegion(opts.bytes, face.box) : { jpeg: opts.bytes, box: face.box };
  const id = crypto.randomUUID();
  const key = getDataKey();
  const photo = await putBlob(seal(kept.jpeg, key, `reference-photo:${id}`));
  const descriptorSealed = seal(Buffer.from(new Float64Array(face.descriptor).buffer), key, `reference-descriptor:${id}`).toString('base64');
  try {
    await db.transaction(async (tx) => {
      // The request row is locked, so parallel uploads are counted one after the other.
      const [locked] = await tx.select().from(removalRequests).where(eq(removalRequests.id, r.id)).for('update');
      requireStatus(locked, ['draft'], 'add photos');
      const [{ n: now }] = await tx.select({ n: count() }).from(requestReferences).where(eq(requestReferences.requestId, r.id));
      if (now >= MAX_REFERENCES) throw new AppError('conflict', `A request takes at most ${MAX_REFERENCES} photos; remove one to add another.`);
      await tx.insert(requestReferences).values({ id, requestId: r.id, photoBlob: photo.sha256, descriptorSealed, box: kept.box });
      await tx
        .update(removalRequests)
        .set({ lastActivityAt: sql`now()` })
        .where(eq(removalRequests.id, r.id));
      const event = { action: 'request.reference_added', subject: { type: 'removal_request', id: r.id }, data: { referenceId: id } } as const;
      await recordAuditEvent(tx, { actor: { type: 'user', id: opts.userId }, event });
    });
  } catch (err) {
    await deleteBlob(photo.sha256); // sealed with a fresh nonce: no other row can point to it
    throw err;
  }
  return { ok: true, id, box: kept.box };
}

/**
 * Removes a reference photo of a draft request at the person's asking: the sealed photo first, then
 * its row (with the descriptor) and the audit event in one transaction. A crash between the two
 * leaves a row whose photo is gone, never a photo that no row points to: finishInterruptedRemovals
 * deletes such a row before anything lists, counts or searches the request's photos.
 */
export async function removeReference(opts: { userId: string; requestId: string; referenceId: string }): Promise<void> {
  const db = await getDb();
  const r = await requireOwnRequest(db, opts.userId, opts.requestId);
  requireStatus(r, ['draft'], 'change the photos');
  const ref = await ownReference(r.id, opts.referenceId);
  await deleteBlob(ref.photoBlob);
  await db.transaction(async (tx) => {
    const [locked] = await tx.select().from(removalRequests).where(eq(removalRequests.id, r.id)).for('update');
    requireStatus(locked, ['draft'], 'change the photos');
    await tx.delete(requestReferences).where(eq(requestReferences.id, ref.id));
    await tx
      .update(removalRequests)
      .set({ lastActivityAt: sql`now()` })
      .where(eq(removalRequests.id, r.id));
    const event = { action: 'request.reference_removed', subject: { type: 'removal_request', id: r.id }, data: { referenceId: ref.id } } as const;
    await recordAuditEvent(tx, { actor: { type: 'user', id: opts.userId }, event });
  });
}

/**
 * Finishes removals that a crash interrupted. removeReference deletes the sealed photo before its
 * row, so a row whose photo is gone is a photo the person removed: its row (with the descriptor)
 * goes too, audited, so that the removed photo is never listed, counted or searched with. The
 * ids of the rows it deleted; idempotent.
 */
export async function finishInterruptedRemovals(requestId: string): Promise<string[]> {
  const db = await getDb();
  const rows = await db
    .select({ id: requestReferences.id, blob: requestReferences.photoBlob })
    .from(requestReferences)
    .where(eq(requestReferences.requestId, requestId));
  const gone: string[] = [];
  for (const row of rows) if (!(await hasBlob(row.blob))) gone.push(row.id);
  if (!gone.length) return [];
  return db.transaction(async (tx) => {
    const deleted = await tx
      .delete(requestReferences)
      .where(and(eq(requestReferences.requestId, requestId), inArray(requestReferences.id, gone)))
      .returning({ id: requestReferences.id });
    for (const { id } of deleted) {
      const data = { referenceId: id, afterInterruption: true } as const;
      await recordAuditEvent(tx, {
        actor: { type: 'system' },
        event: { action: 'request.reference_removed', subject: { type: 'removal_request', id: requestId }, data },
      });
    }
    return deleted.map((d) => d.id);
  });
}

async function ownReference(requestId: string, referenceId: string) {
  const db = await getDb();
  const notFound = new AppError('not_found', 'This photo is not part of this request (it may have been removed already).');
  if (!UUID.test(referenceId)) throw notFound;
  const [ref] = await db
    .select()
    .from(requestReferences)
    .where(and(eq(requestReferences.id, referenceId), eq(requestReferences.requestId, requestId)));
  if (!ref) throw notFound;
  return ref;
}

/**
 * The face of one of the person's own reference photos, cropped to its box with a margin and
 * scaled down, for the draft page only: once the search starts the photos are for matching alone,
 * and after the request ends they are gone.
 */
export async function referenceThumbnail(opts: { userId: string; requestId: string; referenceId: string }): Promise<Buffer> {
  const db = await getDb();
  const r = await requireOwnRequest(db, opts.userId, opts.requestId);
  requireStatus(r, ['draft'], 'see the photos');
  const ref = await ownReference(r.id, opts.referenceId);
  const photo = open(await getBlob(ref.photoBlob), getDataKey(), `reference-photo:${ref.id}`);
  const [x, y, w, h] = ref.box; // in the upright photo's coordinates
  return faceThumbnail(photo, [x, y, w, h], await uprightSize(photo));
}

export async function listReferences(requestId: string) {
  const db = await getDb();
  await finishInterruptedRemovals(requestId);
  return db
    .select({ id: requestReferences.id, box: requestReferences.box, createdAt: requestReferences.createdAt })
    .from(requestReferences)
    .where(eq(requestReferences.requestId, requestId))
    .orderBy(requestReferences.createdAt, requestReferences.id);
}

/** The reference descriptors of a request, unsealed (matching only). */
export async function referenceDescriptors(requestId: string): Promise<number[][]> {
  return (await referenceDescriptorRows(requestId)).map((r) => r.descriptor);
}

/** The references' ids and unsealed descriptors, in the page's order (oldest first). */
export async function referenceDescriptorRows(requestId: string): Promise<{ id: string; descriptor: number[] }[]> {
  const db = await getDb();
  await finishInterruptedRemovals(requestId);
  const rows = await db
    .select({ id: requestReferences.id, sealed: requestReferences.descriptorSealed })
    .from(requestReferences)
    .where(eq(requestReferences.requestId, requestId))
    .orderBy(requestReferences.createdAt, requestReferences.id);
  const key = getDataKey();
  return rows.map((row) => {
    const bytes = open(Buffer.from(row.sealed, 'base64'), key, `reference-descriptor:${row.id}`);
    return { id: row.id, descriptor: Array.from(new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))) };
  });
}
