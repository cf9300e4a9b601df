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

/** A row's length at d = 128 (with its bias), the unit the threshold below was set in. */
export const ROW_VALUES_AT_D128 = 129;

/**
 * Work below this runs in-process: starting threads would cost more. Work is counted in values
 * read, a pass's row-class visits times the row's length (d + 1); set at 2,000,000 visits of a
 * 129-value row (d = 128). Until 2026-12-03 it counted visits alone, so that training at
 * 30,000 × 500 × 512, four times the work of a visit at d = 128, ran on one thread.
 */
const MIN_PARALLEL_WORK = 2_000_000 * ROW_VALUES_AT_D128;

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
