import { sql } from 'drizzle-orm';
import { getDbHandle } from '@/db/client';
import { softwareVersions } from '@/lib/config/versions';
import { getBoss } from '@/lib/jobs/boss';

type Check = { ok: boolean; latencyMs: number; error?: string };

async function timed<T>(fn: () => Promise<T>): Promise<{ value?: T } & Check> {
  const start = performance.now();
  try {
    const value = await fn();
    return { ok: true, latencyMs: Math.round((performance.now() - start) * 10) / 10, value };
  } catch (err) {
    return { ok: false, latencyMs: Math.round(performance.now() - start), error: err instanceof Error ? err.message : String(err) };
  }
}

/** Database, job queue and versions; `status` is ok only when every check is. */
export async function getHealth() {
  const database = await timed(async () => {
    const handle = await getDbHandle();
    const res = await handle.db.execute(
      sql`select current_setting('server_version') as postgres, (select extversion from pg_extension where extname = 'vector') as pgvector`,
    );
    const row = (res as unknown as { rows: { postgres: string; pgvector: string | null }[] }).rows[0];
    return { driver: handle.driver, postgres: row.postgres, pgvector: row.pgvector };
  });
  const queue = await timed(async () => {
    const boss = await getBoss();
    const queues = await boss.getQueues();
    return {
      queues: queues.length,
      ready: queues.reduce((n, q) => n + q.readyCount, 0),
      active: queues.reduce((n, q) => n + q.activeCount, 0),
      failed: queues.reduce((n, q) => n + q.failedCount, 0),
    };
  });
  const ok = database.ok && queue.ok;
  const { value: dbInfo, ...dbCheck } = database;
  const { value: queueInfo, ...queueCheck } = queue;
  return {
    status: ok ? ('ok' as const) : ('degraded' as const),
    database: { ...dbCheck, ...(dbInfo ?? {}) },
    queue: { ...queueCheck, ...(queueInfo ?? {}) },
    versions: { ...softwareVersions(), postgres: dbInfo?.postgres ?? null, pgvector: dbInfo?.pgvector ?? null },
  };
}
