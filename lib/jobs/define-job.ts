import type { z } from 'zod';
import type { ThreadPool } from './thread-pool';

export type JobContext = {
  /** pg-boss's id of this attempt's job. */
  jobId: string;
  /**
   * Runs `fn` once per logical job: its result is recorded under (job key, name) and returned
   * as recorded when the job runs again after a crash or a retry.
   */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** The process's worker threads, for CPU-heavy work. */
  threads: ThreadPool;
};

export type JobDefinition<P> = {
  /** Dotted id, for example `mail.send`. */
  id: string;
  /** Bump when the payload changes incompatibly; each version has its own queue. */
  version: number;
  schema: z.ZodType<P>;
  /** The logical identity of a job: two sends with the same key share recorded steps. */
  key: (payload: P) => string;
  retryLimit?: number;
  retryDelaySeconds?: number;
  expireInSeconds?: number;
  /**
   * `exclusive`: at most one job per key is queued or running (a second send while one waits or
   * runs is dropped), for work that sweeps re-queue. `stately`: at most one queued and one
   * running per key, for batch work that must run again if more arrives while it runs.
   * Default: `standard`.
   */
  policy?: 'standard' | 'exclusive' | 'stately';
  /**
   * For long jobs: the worker refreshes a heartbeat; a job whose worker died (killed, machine
   * lost) is retried once the heartbeat is this many seconds stale, not after expireInSeconds.
   */
  heartbeatSeconds?: number;
  /** Jobs of this queue run at once in one process. */
  concurrency?: number;
  /** A cron expression: the runner schedules the job with an empty payload. */
  cron?: string;
  handler: (payload: P, ctx: JobContext) => Promise<void>;
  /**
   * Runs once when the last retry has failed (not when a killed process never reached it: the
   * removal sweep covers that): the domain's failure path, so nothing waits for a job that is over.
   */
  onExhausted?: (payload: P, error: { code: string; message: string }) => Promise<void>;
};

export function defineJob<P>(def: JobDefinition<P>): JobDefinition<P> {
  return def;
}

export function queueName(def: { id: string; version: number }): string {
  return `${def.id}.v${def.version}`;
}

/** A job's payload, checked: its key and its handlers bound to it. */
export type AcceptedJob = {
  key: string;
  handle(ctx: JobContext): Promise<void>;
  exhausted?(error: { code: string; message: string }): Promise<void>;
};

/** A job definition with its payload type closed over, so that jobs of every payload share one list and one runner. */
export type RunnableJob = Pick<JobDefinition<unknown>, 'id' | 'version' | 'policy' | 'concurrency' | 'cron'> & {
  /** Validates a payload from the queue: the job bound to it, or the reasons it is refused. */
  accept(data: unknown): { ok: true; job: AcceptedJob } | { ok: false; issues: string[] };
};

export function runnable<P>(def: JobDefinition<P>): RunnableJob {
  const { id, version, policy, concurrency, cron } = def;
  return {
    id,
    version,
    policy,
    concurrency,
    cron,
    accept(data) {
      const parsed = def.schema.safeParse(data);
      if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((i) => i.message) };
      const p = parsed.data;
      const onExhausted = def.onExhausted;
      return {
        ok: true,
        job: {
          key: def.key(p),
          handle: (ctx) => def.handler(p, ctx),
          ...(onExhausted ? { exhausted: (error: { code: string; message: string }) => onExhausted(p, error) } : {}),
        },
      };
    },
  };
}
