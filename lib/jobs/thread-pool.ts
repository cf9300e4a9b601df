import path from 'node:path';
import { Worker, type Transferable } from 'node:worker_threads';
import { env } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';

type Pending = { id: number; task: string; input: unknown; transfer: Transferable[]; resolve: (v: unknown) => void; reject: (e: Error) => void };
type Slot = { worker: Worker; busy: Pending | null };

/**
 * A fixed pool of worker threads (one per core by default) for CPU-heavy work, so the event loop
 * that serves pages and runs jobs stays responsive. Tasks are named functions of
 * workers/thread-tasks.ts; each thread keeps its own warm state (models, caches) between tasks.
 * A thread that dies fails its task and is replaced.
 */
export class ThreadPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    readonly size: number,
    private readonly entry = path.join(env().root, 'workers', 'thread.mjs'),
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`pool size must be a positive integer, got ${size}`);
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /** Runs a task on the next free thread; resolves with its result. */
  run<T = unknown>(task: string, input: unknown, transfer: Transferable[] = []): Promise<T> {
    if (this.closed) return Promise.reject(new AppError('unavailable', 'The worker threads are shut down.'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, input, transfer, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  get pending(): number {
    return this.queue.length + this.slots.filter((s) => s.busy).length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new AppError('unavailable', 'The worker threads are shut down.'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(this.entry, { env: { ...process.env, FORGETME_ROOT: env().root } });
    const slot: Slot = { worker, busy: null };
    worker.on('message', (msg: { id: number; ok: boolean; result?: unknown; error?: { code?: string; message: string } }) => {
      const job = slot.busy;
      if (!job || job.id !== msg.id) return;
      slot.busy = null;
      slot.worker.unref();
      if (msg.ok) job.resolve(msg.result);
      else job.reject(msg.error?.code ? new AppError(msg.error.code as never, msg.error.message) : new Error(msg.error?.message));
      this.dispatch();
    });
    const replace = (err: Error) => {
      const i = this.slots.indexOf(slot);
      slot.busy?.reject(err);
      slot.busy = null;
      if (i >= 0 && !this.closed) {
        this.slots[i] = this.spawn();
        this.dispatch();
      }
    };
    worker.on('error', (err) => replace(err));
    worker.on('exit', (code) => {
      if (!this.closed) replace(new Error(`worker thread exited with code ${code}`));
    });
    worker.unref();
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy || !this.queue.length) continue;
      const job = this.queue.shift()!;
      slot.busy = job;
      slot.worker.ref(); // an idle pool never keeps the process alive; a busy one does
      slot.worker.postMessage({ id: job.id, task: job.task, input: job.input }, job.transfer);
    }
  }
}

const KEY = Symbol.for('forgetme.threads');
type Holder = { [KEY]?: ThreadPool };

/** The process's shared pool, created on first use with FORGETME_WORKER_THREADS threads. */
export function getThreadPool(): ThreadPool {
  const holder = globalThis as Holder;
  holder[KEY] ??= new ThreadPool(env().workerThreads);
  return holder[KEY];
}

export async function closeThreadPool(): Promise<void> {
  const holder = globalThis as Holder;
  const pool = holder[KEY];
  delete holder[KEY];
  await pool?.close();
}
