import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { env } from '@/lib/config/env';
import { CLASS_TASKS, type ClassTaskName, type ClassTaskTypes } from './class-tasks';

/**
 * Spreads per-class work over worker threads (this numeric code is single-threaded, so one thread
 * per core). Classes go out in small chunks to whichever thread is free; every thread writes its
 * classes' results into the shared arrays. The threads stay warm between calls (a removal should
 * not pay for starting them) and never keep the process alive when idle. With one thread, or
 * little work, everything runs in-process.
 */
let pool: Worker[] = [];

function workers(count: number): Worker[] {
  while (pool.length < count) {
    const w = new Worker(new URL('./class-worker.mjs', import.meta.url), { workerData: { nice: env().jobNice } });
    w.unref();
    w.on('exit', () => (pool = pool.filter((p) => p !== w)));
    pool.push(w);
  }
  return pool.slice(0, count);
}

/**
 * Work below this many row-class visits a pass runs in-process: threads would cost more. Visits,
 * not values read: at d = 512 the break-even lies between 1.5 M and 3 M visits, as at d = 128.
 * Measured by label at 30,000 × 500 × 512 (bench/unlearning.ts, 2026-12-03): retraining at 1.5 M
 * visits took 35.5 s on one thread and 40.7 s on two; at 3.0 M, 60.9 s and 40.7 s; at 6.0 M,
 * 105.7 s and 74.4 s. (Counting values, as from 33485a5 to this change, sent the 1.5 M-visit
 * run to two threads, 15 % slower.)
 */
const MIN_PARALLEL_WORK = 2_000_000;

/** Message ids are unique across calls, so that calls sharing a thread each take only their own answers. */
let nextMessageId = 0;

/**
 * Runs a class task over items. Small chunks balance uneven work; `onePerThread` gives each thread
 * one contiguous share instead, for tasks that sweep the rows once for all their classes;
 * `offThread` runs on worker threads even one item on one core (keeping the caller's event loop free).
 */
export async function runOverClasses<K extends ClassTaskName>(
  task: K,
  input: ClassTaskTypes[K]['input'],
  items: ClassTaskTypes[K]['item'][],
  opts: { threads?: number; work?: number; onePerThread?: boolean; offThread?: boolean } = {},
): Promise<ClassTaskTypes[K]['result'][]> {
  type T = ClassTaskTypes[K]['item'];
  type R = ClassTaskTypes[K]['result'];
  const fn = CLASS_TASKS[task];
  const threads = opts.threads ?? ((opts.work ?? Infinity) < MIN_PARALLEL_WORK ? 1 : defaultThreads());
  if (!items.length || (!opts.offThread && (threads <= 1 || items.length <= 1))) return fn(input, items);
  const chunk = opts.onePerThread ? Math.ceil(items.length / threads) : Math.max(1, Math.min(16, Math.ceil(items.length / (threads * 8))));
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += chunk) chunks.push(items.slice(i, i + chunk));
  const results: R[][] = new Array(chunks.length);
  const base = nextMessageId;
  nextMessageId += chunks.length;
  let next = 0;
  await Promise.all(
    workers(Math.max(1, Math.min(threads, chunks.length))).map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          const done = (err?: Error) => {
            w.off('message', onMessage);
            w.off('error', onError);
            w.unref();
            if (err) reject(err);
            else resolve();
          };
          const send = () => {
            if (next >= chunks.length) return done();
            const id = next++;
            w.postMessage({ id: base + id, task, input, items: chunks[id] });
          };
          const onMessage = (msg: { id: number; ok: boolean; result?: R[]; error?: string }) => {
            if (msg.id < base || msg.id >= base + chunks.length) return; // another call's answer
            if (!msg.ok) return done(new Error(msg.error));
            results[msg.id - base] = msg.result!;
            send();
          };
          const onError = (err: Error) => done(err);
          w.ref();
          w.on('message', onMessage);
          w.on('error', onError);
          send();
        }),
    ),
  );
  return results.flat();
}

export function defaultThreads(): number {
  return os.availableParallelism();
}

/** Stops the warm threads (tests, shutdown). */
export async function closeClassPool(): Promise<void> {
  const all = pool;
  pool = [];
  await Promise.all(all.map((w) => w.terminate()));
}
