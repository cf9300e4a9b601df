import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { datasetItems, faces, modelVersions } from '@/db/schema';
import { closeThreadPool } from '@/lib/jobs/thread-pool';
import { partnerWithModel } from '@/lib/testing/removal-fixtures';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import type { Samples } from '@/lib/unlearning/dataset';
import { holdoutData } from './training-data';
import { versionHoldout } from './version-holdout';

setUpTestEnvironment();
after(() => closeThreadPool());

// The query parses the vectors' decimal text, which names each float32 by its shortest digits; the
// kept file holds the float32 values themselves. Compared as float32, they are the same.
const plain = (s: Samples) => ({ ids: s.ids, labels: s.labels, x: [...s.x].map(Math.fround), d: s.d });

describeEachDriver("a version's held-out samples", () => {
  test('are kept with the version, equal to what the dataset query chooses, and lose the items removed since', async () => {
    const { ds, model } = await partnerWithModel();
    const db = await getDb();
    const [v1] = await db.select().from(modelVersions).where(eq(modelVersions.modelId, model.id));
    assert.ok(v1.holdoutSha256, 'training stores them');
    const source = { kind: 'faces' } as const;
    const kept = await versionHoldout(v1, ds.id, source);
    assert.ok(kept.ids.length >= 2, `${kept.ids.length} held out`);
    assert.deepEqual(plain(kept), plain(await holdoutData(ds.id, source)), 'the same samples as the query that chose them before');
    assert.equal((v1.report as { holdout: number }).holdout, kept.ids.length);

    // One held-out photo removed by a request (as submit-request.ts marks it): gone from the kept set.
    const gone = kept.ids[0];
    await db.update(datasetItems).set({ removedAt: new Date() }).where(eq(datasetItems.id, gone));
    await db.update(faces).set({ removed: true }).where(eq(faces.itemId, gone));
    const after = await versionHoldout(v1, ds.id, source);
    assert.deepEqual(after.ids, kept.ids.slice(1));
    assert.deepEqual([...after.x], [...kept.x.subarray(kept.d)]);
    assert.deepEqual(plain(after), plain(await holdoutData(ds.id, source)));

    // A version stored before versions kept them: chosen from the dataset, as before.
    assert.deepEqual(plain(await versionHoldout({ holdoutSha256: null }, ds.id, source)), plain(after));
  });
});
