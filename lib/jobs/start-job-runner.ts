import type { PgBoss } from 'pg-boss';
import { isAppError } from '@/lib/errors/app-error';
import { log } from '@/lib/log/logger';
import { hugePages } from '@/lib/runtime/huge-pages';
import { env } from '@/lib/config/env';
import { getBoss } from './boss';
import { queueName, type RunnableJob } from './define-job';
import { ensureQueue } from './ensure-queue';
import { JOBS } from './registry';
import { runStep } from './run-step';
import { getThreadPool } from './thread-pool';

/**
 * Hosts the job loop: one pg-boss worker per job definition, payloads re-validated before the
 * handler runs, and each handler given step recording and the worker-thread pool. Used in-process
 * on the embedded default and by `npm run worker` processes in scale-out.
 */
export async function startJobRunner(opts: { jobs?: RunnableJob[]; pollingIntervalSeconds?: number } = {}): Promise<PgBoss> {
  const boss = await getBoss();
  const jobs = opts.jobs ?? JOBS;
  for (const def of jobs) {
    const name = await ensureQueue(boss, def);
    await boss.work(
      name,
      { batchSize: 1, pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 1, localConcurrency: def.concurrency ?? 1, includeMetadata: true },
      async ([job]) => {
        const accepted = def.accept(job.data);
        if (!accepted.ok) {
          log.error('job payload rejected', { job: name, id: job.id, issues: accepted.issues });
          throw new Error(`invalid payload for ${name}: ${accepted.issues.join('; ')}`);
        }
        const { key, handle, exhausted } = accepted.job;
        const started = performance.now();
        try {
          await handle({ jobId: job.id, step: (step, fn) => runStep(key, step, fn), threads: getThreadPool() });
          log.debug('job done', { job: name, id: job.id, ms: Math.round(performance.now() - started) });
        } catch (err) {
          const last = job.retryCount >= job.retryLimit;
          const error = { code: isAppError(err) ? err.code : 'job_failed', message: err instanceof Error ? err.message : String(err) };
          const facts = { job: name, id: job.id, attempt: job.retryCount + 1, error: error.message };
          log.warn(last ? 'job failed for the last time' : 'job failed; pg-boss will retry it', facts);
          if (last && exhausted) {
            const onFailure = (e: unknown) => log.error('the failure path of a job failed; the sweep will retry it', { ...facts, failure: String(e) });
            await exhausted(error).catch(onFailure);
          }
          throw err;
        }
      },
    );
    if (def.cron) await boss.schedule(queueName(def), def.cron, {});
  }
  if (!opts.jobs) {
    // A schedule whose job is no longer served (renamed or retired) would fill its queue for ever.
    const served = new Set(jobs.filter((d) => d.cron).map(queueName));
    for (const s of await boss.getSchedules()) if (!served.has(s.name)) await boss.unschedule(s.name, s.key);
  }
  // Huge pages make a removal's large arrays cheaper to allocate (lib/runtime/huge-pages.ts): said once, at start.
  log.info('job runner started', { queues: jobs.map(queueName), hugePages: hugePages(env().glibcTunables) });
  return boss;
}
