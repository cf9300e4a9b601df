import { sql, type SQL } from 'drizzle-orm';
import type { Db as BossDatabase, PgBoss } from 'pg-boss';
import type { Executor } from '@/db/client';
import { AppError } from '@/lib/errors/app-error';
import { fromZodError } from '@/lib/errors/from-zod';
import { getBoss } from './boss';
import { ensureQueue, isQueueReady } from './ensure-queue';
import { queueName, type JobDefinition } from './define-job';

/**
 * pg-boss's statements, run on the caller's transaction: `$n` placeholders become drizzle
 * parameters, so the job row is written (or rolled back) with the state change that needs it.
 */
function transactionDatabase(tx: Executor): BossDatabase {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const parts = text.split(/\$(\d+)\b/);
      const chunks: SQL[] = parts.map((p, i) => (i % 2 ? sql`${values[Number(p) - 1]}` : sql.raw(p)));
      const result = await tx.execute(sql.join(chunks));
      return { rows: (result as { rows: unknown[] }).rows };
    },
  };
}

/**
 * Starts pg-boss and creates these jobs' queues, outside any transaction: do this before a
 * transaction that enqueues them (on PGlite a second statement outside the open transaction would
 * wait for it for ever).
 */
export async function prepareJobs(...defs: Pick<JobDefinition<never>, 'id' | 'version' | 'policy'>[]): Promise<void> {
  const boss = await getBoss();
  for (const def of defs) await ensureQueue(boss, def);
}

/**
 * Validates the payload and sends one job; returns pg-boss's job id, or null when the queue is
 * `exclusive` or `stately` and a job with the same key is already waiting (or running). With
 * `tx`, the job is written in that transaction: it exists if and only if the transaction commits
 * (its queue must have been prepared with prepareJobs first).
 */
export async function enqueue<P>(def: JobDefinition<P>, payload: P, opts: { startAfterSeconds?: number; tx?: Executor } = {}): Promise<string | null> {
  const parsed = def.schema.safeParse(payload);
  if (!parsed.success) throw fromZodError(parsed.error);
  let boss: PgBoss;
  if (opts.tx) {
    const ready = isQueueReady(def);
    if (!ready) throw new Error(`the queue of ${def.id} is not prepared: call prepareJobs before the transaction that enqueues it`);
    boss = ready;
  } else {
    boss = await getBoss();
    await ensureQueue(boss, def);
  }
  const id = await boss.send(queueName(def), parsed.data as object, {
    retryLimit: def.retryLimit ?? 5,
    retryDelay: def.retryDelaySeconds ?? 5,
    retryBackoff: true,
    expireInSeconds: def.expireInSeconds ?? 15 * 60,
    startAfter: opts.startAfterSeconds,
    ...(def.heartbeatSeconds ? { heartbeatSeconds: def.heartbeatSeconds } : {}),
    ...(def.policy && def.policy !== 'standard' ? { singletonKey: def.key(parsed.data) } : {}),
    ...(opts.tx ? { db: transactionDatabase(opts.tx) } : {}),
  });
  if (!id && def.policy && def.policy !== 'standard') return null;
  if (!id) throw new AppError('unavailable', `The job ${def.id} could not be queued.`);
  return id;
}
