/**
 * `npm run worker`: a job-runner process for the scale-out setup (DATABASE_URL set). Run one per
 * machine or more; each uses FORGETME_WORKER_THREADS threads (one per core by default) for CPU work.
 */
import { closeDb, getDbHandle } from '@/db/client';
import { env, EnvError } from '@/lib/config/env';
import { stopBoss } from '@/lib/jobs/boss';
import { enqueue } from '@/lib/jobs/enqueue';
import { lowerThreadPriority } from '@/lib/jobs/job-priority';
import { startJobRunner } from '@/lib/jobs/start-job-runner';
import { renoiseSweepJob } from '@/lib/models/renoise-model';
import { closeThreadPool } from '@/lib/jobs/thread-pool';
import { log } from '@/lib/log/logger';

async function main(): Promise<void> {
  const e = env();
  if (e.embedded) {
    console.error('npm run worker needs DATABASE_URL: on the embedded default (PGlite) the job runner runs inside the web server (npm start).');
    process.exit(2);
  }
  // Every thread of this process computes for jobs: the web servers on the same machine go first.
  lowerThreadPriority();
  await getDbHandle();
  await startJobRunner();
  await enqueue(renoiseSweepJob, {});
  log.info('worker started', { pid: process.pid, threads: e.workerThreads });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('worker stopping', { signal });
    await stopBoss(30_000);
    await closeThreadPool();
    await closeDb();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
});
