import { spawn } from 'node:child_process';

/** The fault harness's process control: worker processes that die at a failpoint, and polling. */
export type Row = { fault: string; stage: string; killed: string; endState: string; ok: boolean; seconds: number };
/** A worker process; `failpoint` kills it there. Resolves when it exits. */
export function worker(failpoint = '') {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    env: { ...process.env, FORGETME_FAILPOINT: failpoint, FORGETME_WORKER_THREADS: '2' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  return { child, exited, stop: async () => (child.kill('SIGTERM'), await exited) };
}

/** Polls `fn` until it is true; a query that fails (PostgreSQL restarting) is asked again. */
export async function until(what: string, fn: () => Promise<boolean>, seconds = 180): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!(await fn().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Runs a worker that must die at `failpoint`, then a clean one until `done`; returns the table's row. */
export async function killThenFinish(stage: string, failpoint: string, done: () => Promise<boolean>, check: () => Promise<string | null>): Promise<Row> {
  const t = performance.now();
  const doomed = worker(failpoint);
  const signal = await Promise.race([doomed.exited, new Promise<string>((r) => setTimeout(() => r('timeout'), 240_000))]);
  if (signal === 'timeout') await doomed.stop();
  const clean = worker();
  let problem: string | null = null;
  try {
    await until(stage, done);
    problem = await check();
  } catch (err) {
    problem = (err as Error).message;
  } finally {
    await clean.stop();
  }
  return {
    fault: 'SIGKILL',
    stage,
    killed: String(signal),
    endState: problem ?? 'as expected',
    ok: !problem && signal === 'SIGKILL',
    seconds: Math.round((performance.now() - t) / 1000),
  };
}
