import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { test } from 'node:test';
import { closeDb, getDb, migrationsFolder, openDatabase, setDbHandleForTests } from './client';
import { users } from './schema';
import { seedIndividual } from './seed/factories';
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
