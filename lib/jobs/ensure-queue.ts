import type { PgBoss } from 'pg-boss';
import { queueName } from './define-job';

const created = new WeakMap<PgBoss, Set<string>>();
/** The last pg-boss instance queues were created on (one per process and database). */
let current: PgBoss | null = null;

/** Creates a job's queue once per pg-boss instance (creation is idempotent in the database). */
export async function ensureQueue(boss: PgBoss, def: { id: string; version: number; policy?: 'standard' | 'exclusive' | 'stately' }): Promise<string> {
  const name = queueName(def);
  let seen = created.get(boss);
  if (!seen) created.set(boss, (seen = new Set()));
  if (!seen.has(name)) {
    if (!(await boss.getQueue(name))) {
      await boss.createQueue(name, { policy: def.policy ?? 'standard' }).catch(async (err) => {
        if (!(await boss.getQueue(name))) throw err; // lost a creation race: fine
      });
    }
    seen.add(name);
  }
  current = boss;
  return name;
}

/** The started pg-boss on which this job's queue exists, or null: enqueueing in a transaction needs no other statement. */
export function isQueueReady(def: { id: string; version: number }): PgBoss | null {
  return current && created.get(current)?.has(queueName(def)) ? current : null;
}

/** A stopped pg-boss is no longer the one to enqueue on. */
export function forgetQueues(boss: PgBoss): void {
  created.delete(boss);
  if (current === boss) current = null;
}
