import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { datasetItems, datasets, faces } from '@/db/schema';
import { getBlob, hasBlob } from '@/lib/blobs/blob-store';
import type { EmbeddedFace, EmbedResult } from '@/lib/faces/embed-image';
import type { HashPair } from '@/lib/faces/image-hash';
import type { ThreadPool } from '@/lib/jobs/thread-pool';
import { l2 } from '@/lib/matcher/probes';

/**
 * Copies of removed images, found at ingest. The upload refuses a removed image's exact bytes
 * (lib/datasets/removed-images.ts); this finds a copy that is not byte for byte the same: a new
 * image whose face's descriptor is near a removed face's and whose whole picture or face region
 * hashes (lib/faces/image-hash.ts, mirror images included) are within these numbers of bits of
 * that removed item's. Chosen on lfw-train (bench/near-copies.ts; 2,145 photos, 4.5 million
 * ordered pairs of two people's photos, 16 kinds of copy of 154 photos; bench/README.md): none
 * of the pairs of two people is refused (with a descriptor distance of 0.6, 18 were: lookalikes
 * posed alike), 98.7 % of the copies are (every copy re-encoded at JPEG 50, resized to half or
 * double, in WebP, greyscale, with more contrast, mirrored or cropped to 95 %; 94-99.4 % of those
 * brightened, shrunk to 64 pixels, cropped further, bordered or turned 3°). 0.35 % of the pairs of
 * distinct photos of one person are refused as copies (near-identical frames of one event): that
 * removes a photo of the person who asked, never a stranger's.
 */
export const IMAGE_BITS = 6;
export const REGION_BITS = 10;
/** Euclidean distance between 128-d descriptors (face-api's); copies measured lie mostly below 0.2. */
export const DESCRIPTOR_DISTANCE = 0.5;

/** A 64-bit hash as its low and high 32 bits. */
export type Halves = [number, number];
/** A removed face of the organisation, with its item's hash and its region's (as two 32-bit halves). */
type RemovedFace = { faceId: number; itemId: string; image: Halves | null; region: Halves | null };

export type RemovedHashes = { faces: RemovedFace[]; items: Map<string, { externalId: string; dataset: string }>; stamp: string };

export type RemovedCopy = { externalId: string; dataset: string; kind: 'picture' | 'face' };

export const halves = (h: bigint): Halves => [Number(BigInt.asUintN(32, h)), Number(BigInt.asUintN(32, h >> 32n))];

function bits32(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
const distance = (a: Halves, b: Halves) => bits32((a[0] ^ b[0]) >>> 0) + bits32((a[1] ^ b[1]) >>> 0);
/** A hash and its mirror image's, as halves. */
type PairHalves = [Halves, Halves];
const nearest = (p: PairHalves, h: Halves) => Math.min(distance(p[0], h), distance(p[1], h));

/** An uploaded image's hashes as halves, converted once for all the removed faces it is compared with. */
export type Probe = { image: PairHalves; faces: (PairHalves | null)[] };

export function probeOf(image: { imageHash: HashPair; faces: Pick<EmbeddedFace, 'hash'>[] }): Probe {
  const pair = (p: HashPair): PairHalves => [halves(p.hash), halves(p.mirrored)];
  return { image: pair(image.imageHash), faces: image.faces.map((f) => (f.hash ? pair(f.hash) : null)) };
}

/**
 * The hashes of every face the organisation's requests removed from its sets, after computing
 * those that were never computed (items ingested before migration 0024) from their stored images.
 * Only the organisation's own sets: another partner must not learn what was removed elsewhere.
 */
export async function removedHashes(db: Executor, organizationId: string, threads: ThreadPool): Promise<RemovedHashes> {
  const removedOfOrg = and(eq(datasets.organizationId, organizationId), isNotNull(datasetItems.removedAt));
  const stamp = await removalStamp(db, organizationId);
  const missing = await db
    .select({ id: datasetItems.id, sha256: datasetItems.sha256 })
    .from(datasetItems)
    .innerJoin(datasets, eq(datasets.id, datasetItems.datasetId))
    .where(and(removedOfOrg, eq(datasetItems.status, 'embedded'), isNull(datasetItems.imageHash)));
  // Sixteen at a time, as the ingest embeds: enough to keep every worker thread busy.
  for (let i = 0; i < missing.length; i += 16)
    await Promise.all(
      missing.slice(i, i + 16).map(async (item) => {
        if (!(await hasBlob(item.sha256))) return;
        const r = await threads.run<EmbedResult>('faces.embed', { bytes: new Uint8Array(await getBlob(item.sha256)), hashes: true });
        if (r.ok && r.imageHash) await storeHashes(db, item.id, r.imageHash, r.faces);
      }),
    );
  const rows = await db
    .select({
      faceId: faces.id,
      itemId: datasetItems.id,
      externalId: datasetItems.externalId,
      dataset: datasets.name,
      imageHash: datasetItems.imageHash,
      regionHash: faces.regionHash,
    })
    .from(datasetItems)
    .innerJoin(datasets, eq(datasets.id, datasetItems.datasetId))
    .innerJoin(faces, eq(faces.itemId, datasetItems.id))
    .where(removedOfOrg);
  const items = new Map(rows.map((r) => [r.itemId, { externalId: r.externalId, dataset: r.dataset }]));
  return {
    stamp,
    items,
    faces: rows.map((r) => ({
      faceId: r.faceId,
      itemId: r.itemId,
      image: r.imageHash === null ? null : halves(r.imageHash),
      region: r.regionHash === null ? null : halves(r.regionHash),
    })),
  };
}

/**
 * What changes whenever one of the organisation's items is removed: how many are, and the latest
 * removal's time. An ingest compares it between batches and reads the hashes again when it moved,
 * so that a request submitted during a long ingest reaches the images embedded after it.
 */
export async function removalStamp(db: Executor, organizationId: string): Promise<string> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int`, latest: sql<string | null>`max(${datasetItems.removedAt})::text` })
    .from(datasetItems)
    .innerJoin(datasets, eq(datasets.id, datasetItems.datasetId))
    .where(and(eq(datasets.organizationId, organizationId), isNotNull(datasetItems.removedAt)));
  return `${r.n} ${r.latest ?? ''}`;
}

/** Writes an item's hashes: the picture's on the item, each face's region hash on its face row. */
export async function storeHashes(db: Executor, itemId: string, image: HashPair, found: Pick<EmbeddedFace, 'hash'>[]): Promise<void> {
  await db
    .update(datasetItems)
    .set({ imageHash: BigInt.asIntN(64, image.hash) })
    .where(eq(datasetItems.id, itemId));
  for (const [i, f] of found.entries())
    if (f.hash)
      await db
        .update(faces)
        .set({ regionHash: BigInt.asIntN(64, f.hash.hash) })
        .where(and(eq(faces.itemId, itemId), eq(faces.faceIndex, i)));
}

/** Which of an image's faces may be copies of a removed face by their hashes, and by which hash. */
export type HashMatch = { of: number[]; kind: RemovedCopy['kind'] };

/**
 * The first test, by hashes alone: the whole picture near the removed face's picture (then any
 * of the image's faces may be the copy), else the faces whose region is near the removed face's.
 */
export function hashMatch(
  probe: Probe,
  removed: { image: Halves | null; region: Halves | null },
  bits: { image: number; region: number } = { image: IMAGE_BITS, region: REGION_BITS },
): HashMatch | null {
  const all = probe.faces.map((_, i) => i);
  if (removed.image && nearest(probe.image, removed.image) <= bits.image) return { of: all, kind: 'picture' };
  const region = removed.region;
  if (!region) return null;
  const of = all.filter((i) => {
    const h = probe.faces[i];
    return h ? nearest(h, region) <= bits.region : false;
  });
  return of.length ? { of, kind: 'face' } : null;
}

/**
 * The removed item this image is a copy of, or null: a removed face whose picture hash or region
 * hash is near the image's (or one of its faces'), confirmed by a descriptor of the image's faces
 * within DESCRIPTOR_DISTANCE of that removed face's.
 */
export async function findRemovedCopy(
  db: Executor,
  removed: RemovedHashes,
  image: { imageHash: HashPair; faces: Pick<EmbeddedFace, 'descriptor' | 'hash'>[] },
): Promise<RemovedCopy | null> {
  if (!removed.faces.length) return null;
  // Each candidate: a removed face, and the image's faces that may be its copy.
  const candidates: (HashMatch & { face: RemovedFace })[] = [];
  const probe = probeOf(image);
  for (const face of removed.faces) {
    const near = hashMatch(probe, face);
    if (near) candidates.push({ ...near, face });
  }
  if (!candidates.length) return null;
  const ids = [...new Set(candidates.map((c) => c.face.faceId))];
  const rows = await db.select({ id: faces.id, embedding: faces.embedding }).from(faces).where(inArray(faces.id, ids));
  const embedding = new Map(rows.map((r) => [r.id, r.embedding]));
  for (const c of candidates) {
    const e = embedding.get(c.face.faceId);
    if (!e) continue;
    if (c.of.some((i) => l2(image.faces[i].descriptor, e) <= DESCRIPTOR_DISTANCE)) {
      const item = removed.items.get(c.face.itemId);
      if (item) return { ...item, kind: c.kind };
    }
  }
  return null;
}
