import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { blobWrites, datasetItems, modelVersions } from '@/db/schema';
import { env } from '@/lib/config/env';
import { closeThreadPool } from '@/lib/jobs/thread-pool';
import { loadModelFiles, storeModelFiles } from '@/lib/models/version-files';
import { storeHoldout } from '@/lib/models/version-holdout';
import { partnerWithModel } from '@/lib/testing/removal-fixtures';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { blobPath, cleanTemporaries, deleteBlobUnless, hasBlob, putBlob } from './blob-store';
import { recordBlobWrites } from './blob-writes';
import { BLOB_GRACE_MS, sweepBlobs } from './blob-sweep';

setUpTestEnvironment();
after(() => closeThreadPool());

const tmpDir = () => path.join(env().dataDir, 'blobs', 'tmp');
const DAY_ON = () => new Date(Date.now() + BLOB_GRACE_MS + 3600_000);

describeEachDriver('the blob sweep', () => {
  test('deletes a day on the files of a version never committed, and nothing a version or an item holds', async () => {
    const { model } = await partnerWithModel();
    const db = await getDb();
    const [v1] = await db.select().from(modelVersions).where(eq(modelVersions.modelId, model.id));
    const loaded = await loadModelFiles(v1);
    assert.equal(loaded.model.kind, 'newton-certified');
    // A release stored and never committed (the process killed before its transaction): its model.json
    // names another parent and its secret files are sealed afresh; its other files are version 1's bytes, which stay.
    const orphan = await storeModelFiles(loaded.model, { parentSha256: v1.weightsSha256, residual: 0, budget: 1 });
    const changed = Object.keys(orphan.files).filter((f) => orphan.files[f] !== v1.files[f]);
    assert.deepEqual(changed.sort(), ['model.json', 'noise-salt.bin', 'noise.f64']);
    const lost = changed.map((f) => orphan.files[f]);
    // A write recorded for bytes an item also holds (a partner's upload of the same bytes): kept.
    const [item] = await db.select().from(datasetItems).limit(1);
    await recordBlobWrites([item.sha256]);
    // A partial write a crash left two days ago, and one being written now.
    fs.mkdirSync(tmpDir(), { recursive: true });
    const stale = path.join(tmpDir(), '123-stale');
    const young = path.join(tmpDir(), '123-young');
    fs.writeFileSync(stale, 'partial');
    fs.writeFileSync(young, 'partial');
    const twoDaysAgo = new Date(Date.now() - 2 * 86400_000);
    fs.utimesSync(stale, twoDaysAgo, twoDaysAgo);

    const early = await sweepBlobs();
    assert.deepEqual([early.deleted, early.partialWrites], [0, 1], 'nothing recorded is a day old yet');
    for (const sha of lost) assert.ok(await hasBlob(sha));
    assert.ok(!fs.existsSync(stale) && fs.existsSync(young));

    const lostBytes = lost.reduce((n, sha) => n + fs.statSync(blobPath(sha)).size, 0);
    const report = await sweepBlobs(DAY_ON());
    assert.equal(report.deleted, 3);
    assert.equal(report.bytesFreed, lostBytes);
    for (const sha of lost) assert.ok(!(await hasBlob(sha)), "the orphan's own files are gone");
    for (const sha of Object.values(v1.files)) assert.ok(await hasBlob(sha), 'every file of version 1 is kept');
    assert.ok(v1.holdoutSha256 && (await hasBlob(v1.holdoutSha256)));
    assert.ok(await hasBlob(item.sha256), "the item's image is kept");
    assert.equal((await loadModelFiles(v1)).model.ids.length, loaded.model.ids.length);
    assert.equal((await db.select().from(blobWrites)).length, 0, 'every record a day old is forgotten');
  });

  test('held-out samples stored and never committed go too', async () => {
    const { model } = await partnerWithModel();
    const db = await getDb();
    const [v1] = await db.select().from(modelVersions).where(eq(modelVersions.modelId, model.id));
    const { d } = (await loadModelFiles(v1)).model;
    const sha = await storeHoldout({ ids: ['a', 'b'], labels: ['A', 'B'], x: new Float64Array(2 * d).fill(0.25), d });
    assert.notEqual(sha, v1.holdoutSha256);
    await sweepBlobs(DAY_ON());
    assert.ok(!(await hasBlob(sha)));
  });
});

test('a blob the sweep moved aside is put back when a writer wants it, or when the question fails', async () => {
  const { sha256 } = await putBlob(Buffer.from('a blob a writer records while the sweep looks at it'));
  const freed = await deleteBlobUnless(sha256, async () => {
    assert.ok(!(await hasBlob(sha256)), 'moved out of its place while the sweep asks');
    return true;
  });
  assert.equal(freed, 0);
  assert.ok(await hasBlob(sha256));
  await assert.rejects(
    deleteBlobUnless(sha256, async () => {
      throw new Error('the database went away');
    }),
    /went away/,
  );
  assert.ok(await hasBlob(sha256));
  assert.ok((await deleteBlobUnless(sha256, async () => false)) > 0);
  assert.ok(!(await hasBlob(sha256)));
  assert.equal(await deleteBlobUnless(sha256, async () => false), 0, 'a missing blob frees nothing');
});

test('a blob left aside by a sweep killed mid-way is put back', async () => {
  const { sha256 } = await putBlob(Buffer.from('a blob whose sweep died'));
  fs.mkdirSync(tmpDir(), { recursive: true });
  fs.renameSync(blobPath(sha256), path.join(tmpDir(), `sweep-${sha256}-killed`));
  assert.ok(!(await hasBlob(sha256)));
  await cleanTemporaries(new Date());
  assert.ok(await hasBlob(sha256));
});
