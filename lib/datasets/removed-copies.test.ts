import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { getDb } from '@/db/client';
import { datasetItems, faces } from '@/db/schema';
import { seedPartner } from '@/db/seed/factories';
import { hammingDistance } from '@/lib/faces/image-hash';
import { getThreadPool, ThreadPool } from '@/lib/jobs/thread-pool';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { createDataset } from './create-dataset';
import { halves, hashMatch, IMAGE_BITS, probeOf, REGION_BITS } from './removed-copies';
import { runIngest } from './ingest-job';
import { stageUpload, storeFiles } from './stage-upload';

setUpTestEnvironment();

const fixture = (f: string) => fs.readFileSync(path.join('lib/faces/fixtures', f));
type Org = Awaited<ReturnType<typeof seedPartner>>;

/** What submitting a request does to these items (lib/removals/submit-request.ts). */
async function markRemoved(itemIds: string[]) {
  const db = await getDb();
  await db.update(datasetItems).set({ removedAt: new Date() }).where(inArray(datasetItems.id, itemIds));
  await db.update(faces).set({ removed: true }).where(inArray(faces.itemId, itemIds));
}

/**
 * Uploads these images (name → bytes) as a new set of the organisation and ingests them; the items
 * by external id. `last`: this image is embedded after all the others (a later batch).
 */
async function ingestSet(org: Org, name: string, images: Record<string, Buffer>, opts: { threads?: ThreadPool; last?: string } = {}) {
  const actor = { type: 'user', id: org.admin.id } as const;
  const ds = await createDataset({ organizationId: org.organization.id, actor, input: { name, description: '' } });
  const rows = Object.keys(images).map((file) => ({ externalId: file, label: file.split('_0')[0], file }));
  const files = await storeFiles(new Map(Object.entries(images)));
  const ingest = await stageUpload({ organizationId: org.organization.id, datasetId: ds.id, actor, rows, files });
  if (opts.last)
    await (
      await getDb()
    )
      .update(datasetItems)
      .set({ createdAt: sql`now() + interval '1 hour'` })
      .where(and(eq(datasetItems.datasetId, ds.id), eq(datasetItems.externalId, opts.last)));
  await runIngest(ingest.id, { threads: opts.threads ?? getThreadPool() });
  const db = await getDb();
  const items = await db.select().from(datasetItems).where(eq(datasetItems.datasetId, ds.id));
  return new Map(items.map((i) => [i.externalId, i]));
}

test('the hash comparison on 32-bit halves agrees with a plain Hamming distance', () => {
  // A seeded generator (xorshift) and hashes k bits apart, k from 0 to 16, mirror images included.
  let state = 0x9e3779b9;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  const random64 = () => (BigInt(next()) << 32n) | BigInt(next());
  const flip = (h: bigint, k: number) => {
    let out = h;
    for (const bit of new Set(Array.from({ length: k }, () => next() % 64))) out ^= 1n << BigInt(bit);
    return out;
  };
  for (let i = 0; i < 2000; i++) {
    const removed = random64();
    const upload = { hash: flip(removed, i % 17), mirrored: flip(removed, (i * 7) % 17) };
    const face = { hash: flip(removed, (i * 3) % 17), mirrored: random64() };
    const bits = (p: { hash: bigint; mirrored: bigint }) => Math.min(hammingDistance(p.hash, removed), hammingDistance(p.mirrored, removed));
    // Stored as PostgreSQL stores them (signed), compared as the ingest compares them.
    const stored = halves(BigInt.asIntN(64, removed));
    const match = hashMatch(probeOf({ imageHash: upload, faces: [{ hash: face }] }), { image: stored, region: stored });
    const expected = bits(upload) <= IMAGE_BITS ? 'picture' : bits(face) <= REGION_BITS ? 'face' : null;
    assert.equal(match?.kind ?? null, expected, `case ${i}`);
  }
});

describeEachDriver('a copy of a removed image', () => {
  test('is refused at ingest when re-encoded, resized, mirrored or cropped; other photos of the person and other partners are not', async () => {
    const a = await seedPartner();
    const original = await ingestSet(a, 'Archive 2025', {
      'Abdullah_Gul_0001.jpg': fixture('Abdullah_Gul_0001.jpg'),
      'Adrien_Brody_0001.jpg': fixture('Adrien_Brody_0001.jpg'),
      'Adrien_Brody_0002.jpg': fixture('Adrien_Brody_0002.jpg'),
    });
    assert.ok([...original.values()].every((i) => i.status === 'embedded' && i.imageHash !== null));
    const db = await getDb();
    const removed = ['Abdullah_Gul_0001.jpg', 'Adrien_Brody_0001.jpg'].map((f) => original.get(f)!.id);
    await markRemoved(removed);
    // One of them as ingested before hashes existed: the next ingest computes its hashes from its image.
    await db.update(datasetItems).set({ imageHash: null }).where(eq(datasetItems.id, removed[1]));
    await db.update(faces).set({ regionHash: null }).where(eq(faces.itemId, removed[1]));

    const gul = fixture('Abdullah_Gul_0001.jpg');
    const brody = fixture('Adrien_Brody_0001.jpg');
    const copies = {
      'Abdullah_Gul_0001-smaller.jpg': await sharp(gul).resize(180, 180).jpeg({ quality: 60 }).toBuffer(),
      'Abdullah_Gul_0001-mirrored.png': await sharp(gul).flop().png().toBuffer(),
      'Adrien_Brody_0001-cropped.jpg': await sharp(brody).extract({ left: 20, top: 10, width: 210, height: 220 }).jpeg({ quality: 85 }).toBuffer(),
      'Adrien_Brody_0001-bordered.jpg': await sharp(brody)
        .extend({ top: 30, bottom: 30, left: 60, right: 60, background: '#fff' })
        .modulate({ brightness: 1.15 })
        .jpeg()
        .toBuffer(),
    };
    const again = await ingestSet(a, 'Archive 2026', {
      ...copies,
      // Other photos of the two people, never removed: used as before.
      'Abdullah_Gul_0004.jpg': fixture('Abdullah_Gul_0004.jpg'),
      'Adrien_Brody_0002.jpg': fixture('Adrien_Brody_0002.jpg'),
      'Adrien_Brody_0003.jpg': fixture('Adrien_Brody_0003.jpg'),
    });
    const status = Object.fromEntries([...again].map(([id, i]) => [id, i.error?.code ?? i.status]));
    assert.deepEqual(status, {
      'Abdullah_Gul_0001-smaller.jpg': 'removed_image_copy',
      'Abdullah_Gul_0001-mirrored.png': 'removed_image_copy',
      'Adrien_Brody_0001-cropped.jpg': 'removed_image_copy',
      'Adrien_Brody_0001-bordered.jpg': 'removed_image_copy',
      'Abdullah_Gul_0004.jpg': 'embedded',
      'Adrien_Brody_0002.jpg': 'embedded',
      'Adrien_Brody_0003.jpg': 'embedded',
    });
    assert.match(again.get('Abdullah_Gul_0001-smaller.jpg')!.error!.message, /copy of "Abdullah_Gul_0001\.jpg" in set "Archive 2025" \(the same picture\)/);
    // A refused copy keeps no face, descriptor or thumbnail.
    const copyIds = Object.keys(copies).map((f) => again.get(f)!.id);
    assert.equal((await db.select().from(faces).where(inArray(faces.itemId, copyIds))).length, 0);
    // The removed item ingested without hashes got them.
    const [brodyRow] = await db
      .select()
      .from(datasetItems)
      .where(and(eq(datasetItems.id, removed[1]), isNotNull(datasetItems.imageHash)));
    assert.ok(brodyRow);

    // Another organisation's copies: accepted, nothing says anything was removed elsewhere.
    const b = await seedPartner();
    const theirs = await ingestSet(b, 'Theirs', copies);
    assert.deepEqual(
      [...theirs.values()].map((i) => i.status),
      ['embedded', 'embedded', 'embedded', 'embedded'],
    );
  });

  test('a request submitted while an ingest runs reaches the batches embedded after it', async () => {
    const a = await seedPartner();
    const original = await ingestSet(a, 'Archive 2025', { 'Abdullah_Gul_0001.jpg': fixture('Abdullah_Gul_0001.jpg') });
    // Sixteen pictures without a face fill the first batch; the copy comes in the second.
    const fillers = Object.fromEntries(
      await Promise.all(
        Array.from({ length: 16 }, async (_, i) => {
          const pixels = { create: { width: 64, height: 64, channels: 3 as const, background: { r: i * 15, g: 90, b: 200 - i * 10 } } };
          return [`filler_${String(i).padStart(4, '0')}.png`, await sharp(pixels).png().toBuffer()] as const;
        }),
      ),
    );
    const copy = 'Abdullah_Gul_0001-copy.jpg';
    let submitted = false;
    /** Submits the request while the first batch is being embedded, after the ingest read the hashes. */
    class SubmitDuringIngest extends ThreadPool {
      override async run<T>(task: string, input: unknown): Promise<T> {
        if (!submitted) {
          submitted = true;
          await markRemoved([original.get('Abdullah_Gul_0001.jpg')!.id]);
        }
        return super.run<T>(task, input);
      }
    }
    const threads = new SubmitDuringIngest(1);
    try {
      const images = { ...fillers, [copy]: await sharp(fixture('Abdullah_Gul_0001.jpg')).jpeg({ quality: 70 }).toBuffer() };
      const again = await ingestSet(a, 'Archive 2026', images, { threads, last: copy });
      assert.ok(submitted);
      assert.equal(again.get(copy)!.error?.code, 'removed_image_copy');
      assert.equal([...again.values()].filter((i) => i.error?.code === 'no_face').length, 16);
    } finally {
      await threads.close();
    }
  });
});
