// Opens the store: SQLite file under DATA_DIR (WAL) by default, PostgreSQL when DATABASE_URL is set;
// runs the migrations before anything else touches it.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type MigrationProvider, type Migration } from 'kysely';
import type { Database, Db } from './schema';
import { migrations as coreMigrations } from './migrations/index';

export interface StoreOptions {
  /** postgres://... or undefined for SQLite. */
  databaseUrl?: string;
  /** Folder of the SQLite file (created when missing). */
  dataDir?: string;
  /** Overrides the SQLite file path; ':memory:' for tests. */
  sqliteFile?: string;
  /** Extra migrations (e.g. from the sync engine); merged with the core ones by name order. */
  extraMigrations?: Record<string, Migration>;
}

export interface Store {
  db: Db;
  dialect: 'sqlite' | 'postgres';
  /** Cheap round trip for /ready. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openStore(opts: StoreOptions): Promise<Store> {
  let db: Db;
  let dialect: Store['dialect'];
  if (opts.databaseUrl) {
    dialect = 'postgres';
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    // A client whose server went away (restart, failover) emits 'error', idle or checked out; unhandled,
    // that event kills the process. Its queries fail (and are retried by their callers), the pool drops
    // the client, and the next query connects again.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => void client.on('error', () => undefined));
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  } else {
    dialect = 'sqlite';
    let file = opts.sqliteFile;
    if (!file) {
      const dir = path.resolve(opts.dataDir ?? './data');
      fs.mkdirSync(dir, { recursive: true });
      file = path.join(dir, 'bridge.sqlite');
    }
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite) }) });
  }
  try {
    await migrate(db, { ...coreMigrations, ...opts.extraMigrations });
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return {
    db,
    dialect,
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}

/**
 * Kysely prepares every query anew; preparing was 7.5% of the bridge's CPU in live sync. The engine runs
 * a few dozen distinct statements, so keep them (bounded, oldest dropped first). Statements are used
 * synchronously one at a time, so sharing one is safe.
 */
function cachingStatements(sqlite: SQLite.Database, max = 500): SQLite.Database {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, SQLite.Statement>();
  sqlite.prepare = ((source: string) => {
    let st = cache.get(source);
    if (st) return st;
    st = prepare(source);
    if (cache.size >= max) cache.delete(cache.keys().next().value!);
    cache.set(source, st);
    return st;
  }) as SQLite.Database['prepare'];
  return sqlite;
}

export async function migrate(db: Db, all: Record<string, Migration>): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => all };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`, { cause: error });
  }
}
