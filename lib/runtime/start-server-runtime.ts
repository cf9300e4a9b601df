import { getDbHandle } from '@/db/client';
import { seedDemo } from '@/db/seed/demo';
import { env, EnvError } from '@/lib/config/env';
import { getSigningKey } from '@/lib/crypto/signing-key';
import { enqueue } from '@/lib/jobs/enqueue';
import { startJobRunner } from '@/lib/jobs/start-job-runner';
import { renoiseSweepJob } from '@/lib/models/renoise-model';
import { log } from '@/lib/log/logger';

/**
 * What the web server does once at start (from instrumentation.ts): validate the environment,
 * open and migrate the database, register the signing key, seed the demo data on the embedded
 * default, and host the job runner in-process when configured (the embedded default: PGlite is
 * single-process, so no separate worker can share it).
 */
export async function startServerRuntime(): Promise<void> {
  const e = env();
  const handle = await getDbHandle();
  await getSigningKey();
  log.info('forgetme database ready', { driver: handle.driver, dataDir: e.dataDir });
  // Under `next start` a client chooses its own X-Forwarded-For.
  if (e.nodeEnv === 'production' && !e.servedByForgetme) {
    log.warn(
      'served without server.ts (npm run serve): client addresses come from X-Forwarded-For as the client sent it, ' +
        'so sign-in throttling and sign-up limits can be evaded',
    );
  }
  if (e.seedDemo) await seedDemo();
  if (e.runJobsInProcess) await startJobRunner();
  else log.info('jobs are run by separate `npm run worker` processes (FORGETME_RUN_JOBS=0)');
  // Models made before secret noise are re-noised before anything else rests on them.
  await enqueue(renoiseSweepJob, {});
}

/** As startServerRuntime, but a bad configuration stops the process with a message naming the variable. */
export async function startServerRuntimeOrExit(): Promise<void> {
  try {
    await startServerRuntime();
  } catch (err) {
    console.error(err instanceof EnvError ? err.message : err);
    process.exit(1);
  }
}
