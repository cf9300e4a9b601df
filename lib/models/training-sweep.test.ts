import assert from 'node:assert/strict';
import { test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditEvents, datasets, models } from '@/db/schema';
import { seedPartner } from '@/db/seed/factories';
import { getBoss } from '@/lib/jobs/boss';
import { queueName } from '@/lib/jobs/define-job';
import { prepareJobs } from '@/lib/jobs/enqueue';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { trainModelJob } from './train-job';
import { GIVE_UP_HOURS, sweepTraining, trainingSweepAction } from './training-sweep';

setUpTestEnvironment();

test('what a model still training needs, from its jobs and its age', () => {
  const at = (m: number) => new Date(Date.UTC(2026, 11, 1, 0, m));
  const act = (jobs: Parameters<typeof trainingSweepAction>[0], ageHours = 1) => trainingSweepAction(jobs, ageHours);
  assert.equal(act([]), 'requeue');
  assert.equal(act([], GIVE_UP_HOURS + 1), 'fail', 'no job after two days: its failed job was deleted, not lost in a crash');
  assert.equal(act([{ state: 'failed', createdOn: at(1) }]), 'fail');
  assert.equal(
    act([
      { state: 'failed', createdOn: at(1) },
      { state: 'retry', createdOn: at(0) },
    ]),
    'wait',
  );
  assert.equal(act([{ state: 'active', createdOn: at(0) }], GIVE_UP_HOURS + 1), 'wait');
  assert.equal(act([{ state: 'created', createdOn: at(0) }]), 'wait');
  assert.equal(act([{ state: 'cancelled', createdOn: at(0) }]), 'requeue');
  // A failed job that a later one replaced does not fail the model: the later one decides.
  assert.equal(
    act([
      { state: 'failed', createdOn: at(0) },
      { state: 'cancelled', createdOn: at(2) },
    ]),
    'requeue',
  );
  assert.equal(
    act([
      { state: 'cancelled', createdOn: at(0) },
      { state: 'failed', createdOn: at(2) },
    ]),
    'fail',
  );
});

describeEachDriver('the training sweep', () => {
  async function modelTraining(minutesAgo: number) {
    const db = await getDb();
    const org = await seedPartner();
    const [ds] = await db.insert(datasets).values({ organizationId: org.organization.id, name: 'd' }).returning();
    const createdAt = new Date(Date.now() - minutesAgo * 60_000);
    const [m] = await db
      .insert(models)
      .values({ organizationId: org.organization.id, datasetId: ds.id, name: 'm', kind: 'newton-certified', params: {}, createdAt })
      .returning();
    return m;
  }
  const jobsOf = async (modelId: string) => (await getBoss()).findJobs(queueName(trainModelJob), { key: trainModelJob.key({ modelId }) });

  test('queues the training of a model left without a job, once, leaves a young model alone, fails one without a job for days', async () => {
    const lost = await modelTraining(11);
    const young = await modelTraining(1);
    const old = await modelTraining(GIVE_UP_HOURS * 60 + 1);
    await prepareJobs(trainModelJob);
    const first = await sweepTraining();
    assert.deepEqual(first, { requeued: 1, failed: 1 });
    assert.equal((await jobsOf(old.id)).length, 0);
    assert.equal((await getDb().then((db) => db.select().from(models).where(eq(models.id, old.id))))[0].status, 'failed');
    assert.deepEqual(
      (await jobsOf(lost.id)).map((j) => j.state),
      ['created'],
    );
    assert.equal((await jobsOf(young.id)).length, 0);
    const second = await sweepTraining();
    assert.deepEqual(second, { requeued: 0, failed: 0 }, 'its job waits: nothing more is queued');
    assert.equal((await jobsOf(lost.id)).length, 1);
  });

  test('fails, once and audited, a model whose last training job failed without its failure path', async () => {
    const m = await modelTraining(30);
    await prepareJobs(trainModelJob);
    const boss = await getBoss();
    const name = queueName(trainModelJob);
    const id = await boss.send(name, { modelId: m.id }, { singletonKey: trainModelJob.key({ modelId: m.id }), retryLimit: 0 });
    assert.ok(id);
    await boss.fail(name, id, { message: 'worker lost' });
    assert.deepEqual(
      (await jobsOf(m.id)).map((j) => j.state),
      ['failed'],
    );
    assert.equal((await sweepTraining()).failed, 1);
    assert.deepEqual(await sweepTraining(), { requeued: 0, failed: 0 });
    const db = await getDb();
    const [after] = await db.select().from(models).where(eq(models.id, m.id));
    assert.equal(after.status, 'failed');
    assert.equal(after.error?.code, 'job_failed');
    const events = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, m.id), eq(auditEvents.action, 'model.training_failed')));
    assert.equal(events.length, 1);
  });
});
