import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { datasetItems, faces, modelVersions } from '@/db/schema';
import { closeThreadPool } from '@/lib/jobs/thread-pool';
import { DEMO, partnerTrainingSet } from '@/lib/testing/removal-fixtures';
import { parseManifest } from '@/lib/datasets/manifest';
import { createModel } from './create-model';
import { runTraining } from './train-job';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import type { Samples } from '@/lib/unlearning/dataset';
import { holdoutData } from './training-data';
import { versionHoldout } from './version-holdout';
import { trainedReportSchema } from './version-report';

setUpTestEnvironment();
after(() => closeThreadPool());

// The query parses the vectors' decimal text, which names each float32 by its shortest digits; the
// kept file holds the float32 values themselves. Compared as float32, they are the same.
const everyone = [...new Set(parseManifest(fs.readFileSync(path.join(DEMO, 'training', 'manifest.csv'), 'utf8')).map((r) => r.label))];

async function modelOn(people: string[]) {
  const { org, actor, ds } = await partnerTrainingSet(people);
  const params = { lambda: 1e-4, sigma: 0.01, epsilon: 0.1, delta: 1e-6, subsample: 1, subsampleSeed: 3 };
  const model = await createModel({ organizationId: org.organization.id, actor, input: { name: 'Head', datasetId: ds.id, kind: 'newton-certified', params } });
  await runTraining(model.id);
  return { ds, model };
}

const plain = (s: Samples) => ({ ids: s.ids, labels: s.labels, x: [...s.x].map(Math.fround), d: s.d });

describeEachDriver("a version's held-out samples", () => {
  test('are kept with the version, equal to what the dataset query chooses, and lose the items removed since', async () => {
    // Items are held out by a hash of their random ids, about 1 in 10: every demo person's photos
    // (120) leave none held out with a chance of 0.9^120, about 3 in a million.
    const { ds, model } = await modelOn(everyone);
    const db = await getDb();
    const [v1] = await db.select().from(modelVersions).where(eq(modelVersions.modelId, model.id));
    assert.ok(v1.holdoutSha256, 'training stores them');
    const source = { kind: 'faces' } as const;
    const kept = await versionHoldout(v1, ds.id, source);
    assert.ok(kept.ids.length >= 1, `${kept.ids.length} held out`);
    assert.deepEqual(plain(kept), plain(await holdoutData(ds.id, source)), 'the same samples as the query that chose them before');
    assert.equal(trainedReportSchema.parse(v1.report).holdout, kept.ids.length);

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
