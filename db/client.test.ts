import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { test } from 'node:test';
import { closeDb, getDb, migrationsFolder, openDatabase, setDbHandleForTests } from './client';
import { users } from './schema';
import { seedIndividual } from './seed/factories';
import pg from 'pg';
import { env } from '@/lib/config/env';
import { openTestDatabase } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';

const { dataDir } = setUpTestEnvironment();

test('the embedded database persists across restarts, and migrating again changes nothing', async () => {
  const dir = path.join(dataDir, 'pglite');
  setDbHandleForTests(await openDatabase({ driver: 'pglite', dataDir: dir }));
  const person = await seedIndividual({ email: 'keep@example.test' });
  await closeDb();

  const reopened = await openDatabase({ driver: 'pglite', dataDir: dir });
  setDbHandleForTests(reopened);
  const [row] = await (await getDb()).select().from(users).where(eq(users.email, 'keep@example.test'));
  assert.equal(row.id, person.id);
  const res = await reopened.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
  assert.equal((res as unknown as { rows: { n: number }[] }).rows[0].n, journal.entries.length, 'each migration applied once');
  const ext = await reopened.db.execute(sql`select extversion from pg_extension where extname = 'vector'`);
  assert.match((ext as unknown as { rows: { extversion: string }[] }).rows[0].extversion, /^0\.8/);
  await closeDb();
});

test(
  'on PostgreSQL, losing an idle connection (a restart, a terminated backend) does not crash the process',
  { skip: !env().testDatabaseUrl && 'TEST_DATABASE_URL is not set' },
  async () => {
    const handle = await openTestDatabase('postgres');
    try {
      const pool = handle.pool!;
      const name = await pool.query<{ d: string }>('select current_database() as d');
      const admin = new pg.Client({ connectionString: env().testDatabaseUrl });
      await admin.connect();
      const terminate = 'select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()';
      const { rows } = await admin.query<{ n: number }>(terminate, [name.rows[0].d]);
      await admin.end();
      assert.ok(rows[0].n >= 1, 'an idle pooled connection was terminated');
      await new Promise((r) => setTimeout(r, 200));
      const again = await pool.query<{ v: number }>('select 2 as v');
      assert.equal(again.rows[0].v, 2, 'the pool serves the next query with a new connection');
    } finally {
      await handle.close();
    }
  },
);

test(
  'on PostgreSQL, losing a connection in use (inside a transaction) fails that transaction, not the process',
  { skip: !env().testDatabaseUrl && 'TEST_DATABASE_URL is not set' },
  async () => {
    const handle = await openTestDatabase('postgres');
    try {
      const admin = new pg.Client({ connectionString: env().testDatabaseUrl });
      await admin.connect();
      // Between two statements of a transaction the client is checked out of the pool with no query
      // running: the backend's FATAL then arrives as an 'error' event on the client itself, which
      // crashed the worker when PostgreSQL restarted during a removal (bench/fault-harness.ts).
      const inTransaction = handle.db.transaction(async (tx) => {
        const pid = await tx.execute(sql`select pg_backend_pid() as pid`);
        const [{ pid: backend }] = (pid as unknown as { rows: { pid: number }[] }).rows;
        await admin.query('select pg_terminate_backend($1)', [backend]);
        await new Promise((r) => setTimeout(r, 200));
        await tx.execute(sql`select 1`);
      });
      await assert.rejects(inTransaction);
      await admin.end();
      const again = await handle.pool!.query<{ v: number }>('select 3 as v');
      assert.equal(again.rows[0].v, 3, 'the pool serves the next query with a new connection');
    } finally {
      await handle.close();
    }
  },
);
