// The initial sync's store (sync_initial_runs, _checkpoints, _failures): a run per map with its counters, a
// checkpoint per (map, company, pass), and the records that failed. Below, the writes of one page, in one transaction and a handful of statements whatever
// the page size: links as multi-row upserts, failures as multi-row inserts, then the checkpoint and the
// run's counters. (One statement per row kept SQLite, which runs on the event loop, busy for a third of
// the run.) A crash before the commit replays the page; its Dataverse writes are idempotent.
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { keyJson, type LinkInput } from './links';
import { nowIso, type Database, type Db, type LinksTable, type SyncInitialCheckpointsTable, type SyncInitialFailuresTable, type SyncInitialRunsTable } from '../schema';

/** Rows per INSERT: 13 columns x 500 stays far below SQLite's and PostgreSQL's bound-parameter limits. */
const ROWS_PER_STATEMENT = 500;

export interface PageFailure { key: string; reason: string }

export interface PageCommit {
  mapName: string;
  company: string;
  pass: number;
  /** The keyset position after this page, and whether the pass is complete. */
  afterKey: string | null;
  completed: boolean;
  /** Records read in this page (the checkpoint's `done` grows by this). */
  rows: number;
  links: readonly LinkInput[];
  failures: readonly PageFailure[];
}

/** Link rows of a page, one per Dataverse row (the last wins: one statement may not touch a row twice). */
export function linkRows(links: readonly LinkInput[], now: string): LinksTable[] {
  const byId = new Map<string, LinksTable>();
  for (const l of links) {
    const id = l.dataverseId.toLowerCase();
    byId.set(`${l.mapName}|${l.dataverseTable}|${id}`, {
      id: randomUUID(), map_name: l.mapName, dataverse_table: l.dataverseTable, dataverse_id: id, fno_entity: l.fnoEntity,
      fno_key: keyJson(l.fnoKey), dataverse_version: l.dataverseVersion ?? null, fno_etag: l.fnoEtag ?? null,
      last_synced_at: l.lastSyncedAt ?? null, last_direction: l.lastDirection ?? null,
      snapshot: l.snapshot ? JSON.stringify(l.snapshot) : null, last_change: null, created_at: now, updated_at: now,
    });
  }
  return [...byId.values()];
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function upsertLinks(trx: Transaction<Database>, rows: LinksTable[]): Promise<void> {
  for (const part of chunks(rows, ROWS_PER_STATEMENT)) {
    // Same columns as the links repository's upsert with a full sync record (dataverse_version kept).
    await trx.insertInto('links').values(part)
      .onConflict((oc) => oc.columns(['map_name', 'dataverse_table', 'dataverse_id']).doUpdateSet((eb) => ({
        fno_entity: eb.ref('excluded.fno_entity'), fno_key: eb.ref('excluded.fno_key'), fno_etag: eb.ref('excluded.fno_etag'),
        last_synced_at: eb.ref('excluded.last_synced_at'), last_direction: eb.ref('excluded.last_direction'),
        snapshot: eb.ref('excluded.snapshot'), updated_at: eb.ref('excluded.updated_at'),
      })))
      .execute();
  }
}

async function insertFailures(trx: Transaction<Database>, c: Pick<PageCommit, 'mapName' | 'company' | 'failures'>, now: string): Promise<void> {
  for (const part of chunks(c.failures, ROWS_PER_STATEMENT)) {
    await trx.insertInto('sync_initial_failures')
      .values(part.map((f) => ({ id: randomUUID(), map_name: c.mapName, company: c.company, record_key: f.key, reason: f.reason, at: now })))
      .execute();
  }
}

/** Links and failures of records synced outside the paged passes (a rerun of the failed records). */
export async function saveLinksAndFailures(db: Db, c: Pick<PageCommit, 'mapName' | 'company' | 'links' | 'failures'>): Promise<void> {
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    await upsertLinks(trx, linkRows(c.links, now));
    await insertFailures(trx, c, now);
  });
}

/** Links written ahead of a page's creates (see PageDeps.announce). */
export async function announceLinks(db: Db, links: readonly LinkInput[]): Promise<void> {
  const rows = linkRows(links, nowIso());
  await db.transaction().execute(async (trx) => upsertLinks(trx, rows));
}

export async function commitPage(db: Db, c: PageCommit): Promise<void> {
  const now = nowIso();
  const links = linkRows(c.links, now);
  await db.transaction().execute(async (trx) => {
    await upsertLinks(trx, links);
    await insertFailures(trx, c, now);
    await trx.updateTable('sync_initial_checkpoints')
      .set((eb) => ({ after_key: c.afterKey, done: eb('done', '+', c.rows), completed: c.completed ? 1 : 0, updated_at: now }))
      .where('map_name', '=', c.mapName).where('company', '=', c.company).where('pass', '=', c.pass).execute();
    if (c.pass === 1) {
      await trx.updateTable('sync_initial_runs')
        .set((eb) => ({ done: eb('done', '+', c.rows), failed: eb('failed', '+', c.failures.length), updated_at: now }))
        .where('map_name', '=', c.mapName).execute();
    }
  });
}

/** The run, checkpoint and failure rows of each map's initial sync. */
export function createInitialRunsRepo(db: Db) {
  const run = (map: string) => db.updateTable('sync_initial_runs').where('map_name', '=', map);
  return {
    get: (map: string): Promise<SyncInitialRunsTable | undefined> =>
      db.selectFrom('sync_initial_runs').selectAll().where('map_name', '=', map).executeTakeFirst(),
    /** Every map's last run (the metrics' initial-sync progress). */
    all: (): Promise<SyncInitialRunsTable[]> => db.selectFrom('sync_initial_runs').selectAll().orderBy('map_name').execute(),
    /** Runs a crash or restart interrupted. */
    running: (): Promise<SyncInitialRunsTable[]> => db.selectFrom('sync_initial_runs').selectAll().where('state', '=', 'running').execute(),

    /** A new run (a finished one is replaced; an interrupted one keeps its counters and takes the new options). */
    async begin(map: string, options: unknown): Promise<void> {
      const now = nowIso();
      await db.deleteFrom('sync_initial_runs').where('map_name', '=', map).where('state', '!=', 'running').execute();
      await db.insertInto('sync_initial_runs').values({
        map_name: map, state: 'running', options: JSON.stringify(options), total: 0, done: 0, failed: 0, started_at: now, finished_at: null, updated_at: now, last_error: null,
      }).onConflict((oc) => oc.column('map_name').doUpdateSet({ options: JSON.stringify(options), updated_at: now })).execute();
    },
    /** Forgets the checkpoints and failures: the next run starts over. */
    async clearProgress(map: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('sync_initial_checkpoints').where('map_name', '=', map).execute();
        await trx.deleteFrom('sync_initial_failures').where('map_name', '=', map).execute();
      });
    },
    setTotal: async (map: string, total: number) => { await run(map).set({ total }).execute(); },
    setFailed: async (map: string, failed: number) => { await run(map).set({ failed }).execute(); },
    finish: async (map: string) => { await run(map).set({ state: 'done', finished_at: nowIso(), updated_at: nowIso() }).execute(); },
    fail: async (map: string, message: string) => { await run(map).set({ state: 'failed', last_error: message, finished_at: nowIso(), updated_at: nowIso() }).execute(); },

    checkpoint: (map: string, company: string, pass: number): Promise<SyncInitialCheckpointsTable | undefined> =>
      db.selectFrom('sync_initial_checkpoints').selectAll().where('map_name', '=', map).where('company', '=', company).where('pass', '=', pass).executeTakeFirst(),
    async createCheckpoint(cp: SyncInitialCheckpointsTable): Promise<void> {
      await db.insertInto('sync_initial_checkpoints').values(cp).execute();
    },
    checkpoints: (map: string): Promise<SyncInitialCheckpointsTable[]> =>
      db.selectFrom('sync_initial_checkpoints').selectAll().where('map_name', '=', map).orderBy('pass').orderBy('company').execute(),

    failures: (map: string, limit: number): Promise<SyncInitialFailuresTable[]> =>
      db.selectFrom('sync_initial_failures').selectAll().where('map_name', '=', map).orderBy('at').limit(limit).execute(),
    /** Failed records of the last runs of every map (or one), newest first. */
    recentFailures: (o: { map?: string; limit: number }): Promise<SyncInitialFailuresTable[]> => {
      let q = db.selectFrom('sync_initial_failures').selectAll();
      if (o.map) q = q.where('map_name', '=', o.map);
      return q.orderBy('at', 'desc').orderBy('id').limit(o.limit).execute();
    },
    /** The failed records of the last run, removed (a rerun records those that fail again). */
    takeFailures: (map: string): Promise<SyncInitialFailuresTable[]> => db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('sync_initial_failures').selectAll().where('map_name', '=', map).execute();
      await trx.deleteFrom('sync_initial_failures').where('map_name', '=', map).execute();
      return rows;
    }),

    commitPage: (c: PageCommit) => commitPage(db, c),
    saveLinksAndFailures: (c: Parameters<typeof saveLinksAndFailures>[1]) => saveLinksAndFailures(db, c),
    announceLinks: (links: readonly LinkInput[]) => announceLinks(db, links),
  };
}

export type InitialRunsRepo = ReturnType<typeof createInitialRunsRepo>;
