import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { models } from '@/db/schema';
import { seedPartner } from '@/db/seed/factories';
import { createDataset } from '@/lib/datasets/create-dataset';
import { runIngest } from '@/lib/datasets/ingest-job';
import { parseManifest } from '@/lib/datasets/manifest';
import { stageUpload, storeFiles } from '@/lib/datasets/stage-upload';
import { runnable } from '@/lib/jobs/define-job';
import { startJobRunner } from '@/lib/jobs/start-job-runner';
import { closeThreadPool, getThreadPool } from '@/lib/jobs/thread-pool';
import { DEMO, PEOPLE } from '@/lib/testing/removal-fixtures';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { createModel } from './create-model';
import { trainModelJob } from './train-job';

setUpTestEnvironment();
after(() => closeThreadPool());

describeEachDriver('a model created while the job runner runs', () => {
  test('is trained by the job written in its own transaction', async () => {
    await startJobRunner({ jobs: [runnable(trainModelJob)], pollingIntervalSeconds: 0.5 });
    const org = await seedPartner();
    const actor = { type: 'user', id: org.admin.id } as const;
    const ds = await createDataset({ organizationId: org.organization.id, actor, input: { name: 'Studio', description: '' } });
    const rows = parseManifest(fs.readFileSync(path.join(DEMO, 'training', 'manifest.csv'), 'utf8')).filter((r) => PEOPLE.slice(0, 3).includes(r.label));
    const files = new Map(rows.map((r) => [r.file, fs.readFileSync(path.join(DEMO, 'training', r.file))]));
    const ingest = await stageUpload({ organizationId: org.organization.id, datasetId: ds.id, actor, rows, files: await storeFiles(files) });
    await runIngest(ingest.id, { threads: getThreadPool() });
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
