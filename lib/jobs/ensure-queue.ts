import type { PgBoss } from 'pg-boss';
import { queueName } from './define-job';

const created = new WeakMap<PgBoss, Set<string>>();

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
  return name;
}
