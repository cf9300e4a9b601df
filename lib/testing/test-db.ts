import { after, before, describe } from 'node:test';
import { env } from '@/lib/config/env';
import { openDatabase, setDbHandleForTests, type DbHandle } from '@/db/client';
import { stopBoss } from '@/lib/jobs/boss';
import { createScratchDatabase } from './scratch-database';

export type TestDriver = 'pglite' | 'postgres';

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (as .ci/run does). */
export function testDrivers(): TestDriver[] {
  return env().testDatabaseUrl ? ['pglite', 'postgres'] : ['pglite'];
}

/**
 * A fresh, migrated database: PGlite in memory, or a new PostgreSQL database (on TEST_DATABASE_URL's
 * server, or `adminUrl`'s) dropped on close.
 */
export async function openTestDatabase(driver: TestDriver, adminUrl = env().testDatabaseUrl): Promise<DbHandle> {
  if (driver === 'pglite') return openDatabase({ driver: 'pglite' });
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const scratch = await createScratchDatabase(adminUrl);
  const handle = await openDatabase({ driver: 'postgres', url: scratch.url });
  return {
    ...handle,
    async close() {
      await handle.close();
      await scratch.drop();
    },
  };
}

/**
 * Runs the same suite once per driver, each on its own fresh database installed as the
 * process's database (so lib functions that call getDb() use it).
 */
export function describeEachDriver(name: string, suite: (ctx: { handle: () => DbHandle; driver: TestDriver }) => void): void {
  for (const driver of testDrivers()) {
    describe(`${name} [${driver}]`, () => {
      let handle: DbHandle | undefined;
      before(async () => {
        handle = await openTestDatabase(driver);
        setDbHandleForTests(handle);
      });
      after(async () => {
        await stopBoss();
        setDbHandleForTests(undefined);
        await handle?.close();
      });
      suite({
        driver,
        handle: () => {
          if (!handle) throw new Error('database not open yet');
          return handle;
        },
      });
    });
  }
}
