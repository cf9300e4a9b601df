import { and, eq, lt, sql } from 'drizzle-orm';
import type { JobWithMetadata } from 'pg-boss';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { models } from '@/db/schema';
import { getBoss } from '@/lib/jobs/boss';
import { defineJob, queueName } from '@/lib/jobs/define-job';
import { enqueue } from '@/lib/jobs/enqueue';
import { ensureQueue } from '@/lib/jobs/ensure-queue';
import { log } from '@/lib/log/logger';
import { failTraining, trainModelJob } from './train-job';

type JobState = JobWithMetadata['state'];

/**
 * A training job's whole life (four attempts of at most six hours, with their delays) is well
 * within two days: a model older than that with no job at all lost its failed job to pg-boss's
 * retention, and queueing it again would repeat a training that killed its worker.
 */
export const GIVE_UP_HOURS = 48;

/**
 * What a model still 'training' needs, from the states of its training jobs and its age: nothing
 * while one is queued or running; to fail when the newest has failed (its last attempt died with
 * the process, so the runner's failure path never ran) or when it has no job and is older than
 * GIVE_UP_HOURS; otherwise (no job, or only cancelled or completed ones) a new job.
 */
export function trainingSweepAction(jobs: { state: JobState; createdOn: Date }[], ageHours: number): 'wait' | 'fail' | 'requeue' {
  if (jobs.some((j) => j.state === 'created' || j.state === 'retry' || j.state === 'active')) return 'wait';
  const newest = jobs.reduce<(typeof jobs)[number] | null>((a, j) => (!a || j.createdOn > a.createdOn ? j : a), null);
  if (newest?.state === 'failed' || (!newest && ageHours > GIVE_UP_HOURS)) return 'fail';
  return 'requeue';
}

const LOST = {
  code: 'job_failed',
  message: 'The training stopped before it finished (its last attempt ended with the worker that ran it); create the model again.',
};

/** Looks at every model 'training' for ten minutes or more and gives it what it needs (trainingSweepAction). */
export async function sweepTraining(): Promise<{ requeued: number; failed: number }> {
  const db = await getDb();
  const stale = await db
    .select({ id: models.id, createdAt: models.createdAt })
    .from(models)
    .where(and(eq(models.status, 'training'), lt(models.createdAt, sql`now() - interval '10 minutes'`)))
    .limit(100);
  const boss = await getBoss();
  await ensureQueue(boss, trainModelJob);
  let requeued = 0;
  let failed = 0;
  for (const { id, createdAt } of stale) {
    const jobs = await boss.findJobs(queueName(trainModelJob), { key: trainModelJob.key({ modelId: id }) });
    const action = trainingSweepAction(jobs, (Date.now() - createdAt.getTime()) / 3_600_000);
    if (action === 'fail') {
      log.warn('a model whose training job failed for the last time without its failure path is marked failed', { modelId: id });
      await failTraining(id, LOST);
      failed++;
    } else if (action === 'requeue') {
      log.info('re-queueing the training of a model that has no job', { modelId: id });
      await enqueue(trainModelJob, { modelId: id });
      requeued++;
    }
  }
  return { requeued, failed };
}

/** Every ten minutes: no model stays 'training' without a job that trains it. */
export const sweepTrainingJob = defineJob({
  id: 'models.training-sweep',
  version: 1,
  schema: z.object({}).loose(),
  key: () => 'models.training-sweep',
  policy: 'exclusive',
  cron: '*/10 * * * *',
  handler: async () => {
    await sweepTraining();
  },
});
