import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { models } from '@/db/schema';
import { runnable } from '@/lib/jobs/define-job';
import { startJobRunner } from '@/lib/jobs/start-job-runner';
import { closeThreadPool } from '@/lib/jobs/thread-pool';
import { PEOPLE, partnerTrainingSet } from '@/lib/testing/removal-fixtures';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { createModel } from './create-model';
import { trainModelJob } from './train-job';

setUpTestEnvironment();
after(() => closeThreadPool());

describeEachDriver('a model created while the job runner runs', () => {
  test('is trained by the job queued with it', async () => {
    await startJobRunner({ jobs: [runnable(trainModelJob)], pollingIntervalSeconds: 0.5 });
    const { org, actor, ds } = await partnerTrainingSet(PEOPLE.slice(0, 3));
    const params = { lambda: 1e-4, sigma: 0.01, epsilon: 0.1, delta: 1e-6, subsample: 1 };
    const model = await createModel({
      organizationId: org.organization.id,
      actor,
      input: { name: 'Head', datasetId: ds.id, kind: 'newton-certified', params },
    });
    const db = await getDb();
    const end = Date.now() + 60_000;
    let status = model.status;
    while (status === 'training' && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 200));
      [{ status }] = await db.select({ status: models.status }).from(models).where(eq(models.id, model.id));
    }
    assert.equal(status, 'ready');
  });
});
