import { PgBoss, fromPglite } from 'pg-boss';
import { getDbHandle, type DbHandle } from '@/db/client';
import { log } from '@/lib/log/logger';
import { forgetQueues } from './ensure-queue';

// One pg-boss per database handle and process (kept on globalThis for the same reason as the db).
const KEY = Symbol.for('forgetme.boss');
type Holder = { [KEY]?: { handle: DbHandle; boss: Promise<PgBoss> } };
const holder = globalThis as Holder;

/** Expiry and stale heartbeats are looked for every 10 s, so a dead worker's job is retried soon. */
const SUPERVISION = { superviseIntervalSeconds: 10, monitorIntervalSeconds: 10 };

function createBoss(handle: DbHandle): PgBoss {
  if (handle.pglite) return new PgBoss({ db: fromPglite(handle.pglite), backend: 'pglite', ...SUPERVISION });
  if (!handle.pool) throw new Error('database handle has neither PGlite nor a pool');
  // pg-boss gets its own small pool on the same database.
  const cfg = handle.pool.options;
  return new PgBoss({ connectionString: cfg.connectionString, max: 4, ...SUPERVISION });
}

/** The started pg-boss of this process's database (creating its schema on first start). */
export async function getBoss(): Promise<PgBoss> {
  const handle = await getDbHandle();
  const current = holder[KEY];
  if (current && current.handle === handle) return current.boss;
  if (current) await stopBoss();
  const boss = createBoss(handle);
  boss.on('error', (err) => log.error('job queue error', { error: err }));
  const started = boss.start().then(() => boss);
  holder[KEY] = { handle, boss: started };
  return started;
}

/** Stops this process's pg-boss, waiting for running jobs up to `timeoutMs`. */
export async function stopBoss(timeoutMs = 10_000): Promise<void> {
  const current = holder[KEY];
  delete holder[KEY];
  if (!current) return;
  const boss = await current.boss;
  forgetQueues(boss);
  await boss.stop({ graceful: true, timeout: timeoutMs, close: true });
}
