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
  /**
   * Makes every transaction committed before the call durable against power loss, for the few writes whose
   * commit is promised to someone outside (a webhook answered 202, an audit row). PostgreSQL's commits already
   * are; SQLite's, in WAL with synchronous=NORMAL, survive a crash of the process but not of the machine until
   * this (or a checkpoint) syncs the log.
   */
  flush: () => Promise<void>;
  close(): Promise<void>;
}

export async function openStore(opts: StoreOptions): Promise<Store> {
  let db: Db;
  let dialect: Store['dialect'];
  let flush = async (): Promise<void> => undefined;
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
    // FULL would fsync the log in every commit, on the event loop (better-sqlite3 is synchronous): 0.6 ms a
    // commit on this machine's disk, against 0.03 ms without, and a change takes several commits. NORMAL is
    // what SQLite advises for WAL: never corrupt, durable across crashes of the process; the commits promised
    // outside are synced by flush(), off the event loop and shared by all who wait (group commit).
    sqlite.pragma('synchronous = NORMAL');
    if (file !== ':memory:') flush = groupedFsync(`${file}-wal`);
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
    flush,
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}

/**
 * fsync of the file, shared: callers while none runs start one; callers while one runs wait for the next,
 * which starts after it (the running one may have begun before their commit was written). Off the event loop.
 */
export function groupedFsync(file: string, sync: (file: string) => Promise<void> = fsyncFile): () => Promise<void> {
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  const start = (): Promise<void> => {
    const p = sync(file).finally(() => {
      if (running === p) running = null;
    });
    running = p;
    return p;
  };
  return () => {
    if (!running) return start();
    next ??= running.catch(() => undefined).then(() => {
      next = null;
      return start();
    });
    return next;
  };
}

async function fsyncFile(file: string): Promise<void> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(file, 'r');
  } catch (err) {
    // No log yet (nothing written since the last checkpoint removed it): nothing to sync.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
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
