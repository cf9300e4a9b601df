import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { Pool } from 'pg';
import { env } from '@/lib/config/env';
import { log } from '@/lib/log/logger';
import { lockPgliteDir } from './pglite-lock';
import * as schema from './schema';

export type Schema = typeof schema;
/** The drizzle database, whichever driver is behind it: same schema, same SQL. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A database or a transaction: what lib functions that write accept, so callers can compose them. */
export type Executor = Database | Transaction;

export type DbHandle = {
  db: Database;
  driver: 'pglite' | 'postgres';
  /** The embedded engine (PGlite mode only): pg-boss runs on the same instance. */
  pglite?: PGlite;
  /** The connection pool (PostgreSQL mode only). */
  pool?: Pool;
  close(): Promise<void>;
};

export type OpenOptions = { driver: 'pglite'; dataDir?: string } | { driver: 'postgres'; url: string };

const MIGRATION_LOCK = 7243_0001;

export function migrationsFolder(): string {
  return path.join(env().root, 'db', 'migrations');
}

/** Opens a database (PGlite in a folder or in memory, or a PostgreSQL pool) and migrates it. */
export async function openDatabase(opts: OpenOptions): Promise<DbHandle> {
  if (opts.driver === 'pglite') {
    const [{ PGlite }, { vector }, { drizzle }, { migrate }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite-pgvector'),
      import('drizzle-orm/pglite'),
      import('drizzle-orm/pglite/migrator'),
    ]);
    let release = () => {};
    if (opts.dataDir) {
      fs.mkdirSync(path.dirname(opts.dataDir), { recursive: true, mode: 0o700 });
      release = lockPgliteDir(opts.dataDir);
    }
    try {
      const pglite = await PGlite.create({ dataDir: opts.dataDir, extensions: { vector } });
      const db = drizzle({ client: pglite, schema, casing: 'snake_case' });
      await migrate(db, { migrationsFolder: migrationsFolder() });
      return { db: db as unknown as Database, driver: 'pglite', pglite, close: () => pglite.close().finally(release) };
    } catch (err) {
      release();
      throw err;
    }
  }
  const [{ default: pg }, { drizzle }, { migrate }] = await Promise.all([
    import('pg'),
    import('drizzle-orm/node-postgres'),
    import('drizzle-orm/node-postgres/migrator'),
  ]);
  const pool = new pg.Pool({ connectionString: opts.url, max: 10 });
  // An idle client whose server connection ends (a PostgreSQL restart, a terminated backend) makes
  // the pool emit 'error'; unheard, that crashes the process. The pool replaces the client.
  pool.on('error', (err) => log.warn('an idle database connection was lost; the pool replaces it', { error: err.message }));
  // A client checked out of the pool (a transaction between two statements) has no listener of the
  // pool's: the backend's FATAL, or the socket's end, is emitted on the client and, unheard, ended
  // the process. Heard here, the transaction's next statement fails (and rolls it back) instead,
  // and the pool discards the broken client when it is released with that error.
  pool.on('connect', (client) => client.on('error', (err) => log.warn('a database connection in use was lost; its transaction fails', { error: err.message })));
  // Several processes may start at once: one migrates, the others wait for it.
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(drizzle({ client, schema, casing: 'snake_case' }), { migrationsFolder: migrationsFolder() });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
  const db = drizzle({ client: pool, schema, casing: 'snake_case' });
  return { db: db as unknown as Database, driver: 'postgres', pool, close: () => pool.end() };
}

// One handle per process, kept on globalThis: Next.js bundles instrumentation and routes
// separately, and two PGlite instances on one data directory would corrupt it.
const KEY = Symbol.for('forgetme.db');
type Holder = { [KEY]?: Promise<DbHandle> };
const holder = globalThis as Holder;

/** The process's database, opened (and migrated) on first use from the environment. */
export function getDbHandle(): Promise<DbHandle> {
  holder[KEY] ??= (() => {
    const e = env();
    return e.databaseUrl
      ? openDatabase({ driver: 'postgres', url: e.databaseUrl })
      : openDatabase({ driver: 'pglite', dataDir: path.join(e.dataDir, 'pglite') });
  })().catch((err) => {
    delete holder[KEY];
    throw err;
  });
  return holder[KEY];
}

export async function getDb(): Promise<Database> {
  return (await getDbHandle()).db;
}

/** Tests only: make `handle` the process's database. */
export function setDbHandleForTests(handle: DbHandle | undefined): void {
  if (handle) holder[KEY] = Promise.resolve(handle);
  else delete holder[KEY];
}

export async function closeDb(): Promise<void> {
  const p = holder[KEY];
  delete holder[KEY];
  if (p) await (await p).close();
}
