// The lifecycle and counters of each map (sync_maps), notifications, and the alert rule's error count.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { transitionMap, type MapAction } from '../../contracts/states';
import { nowIso, type Db, type MapState, type SyncMapsTable } from '../schema';

export interface Counters { processed?: number; written?: number; failed?: number; conflicts?: number }

export class MapTransitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MapTransitionError';
  }
}

export function createMapsRepo(db: Db) {
  return {
    /** Creates the rows of maps seen for the first time; existing rows keep their state. */
    async ensure(names: readonly string[], initial: MapState): Promise<void> {
      const now = nowIso();
      for (const name of names) {
        await db.insertInto('sync_maps').values({
          name, state: initial, state_since: now, processed: 0, written: 0, failed: 0, conflicts: 0, last_sweep_at: null,
          last_processed_at: null, updated_at: now,
        }).onConflict((oc) => oc.column('name').doNothing()).execute();
      }
    },

    async get(name: string): Promise<SyncMapsTable | undefined> {
      return db.selectFrom('sync_maps').selectAll().where('name', '=', name).executeTakeFirst();
    },

    async list(): Promise<SyncMapsTable[]> {
      return db.selectFrom('sync_maps').selectAll().orderBy('name').execute();
    },

    /** Applies a lifecycle action (contracts/states.ts); throws MapTransitionError saying what is allowed. */
    async transition(name: string, action: MapAction): Promise<MapState> {
      const row = await this.get(name);
      if (!row) throw new MapTransitionError(`there is no map named ${name}`);
      const r = transitionMap(row.state, action);
      if (!r.ok) throw new MapTransitionError(r.message);
      const now = nowIso();
      // Compare-and-set: two admins (or an admin and the worker) cannot both move the same state.
      const u = await db.updateTable('sync_maps').set({ state: r.state, state_since: now, updated_at: now })
        .where('name', '=', name).where('state', '=', row.state).executeTakeFirst();
      if (Number(u.numUpdatedRows) === 0) return this.transition(name, action);
      return r.state;
    },

    async bump(name: string, c: Counters): Promise<void> {
      await db.updateTable('sync_maps').set({
        processed: sql`processed + ${c.processed ?? 0}`, written: sql`written + ${c.written ?? 0}`, failed: sql`failed + ${c.failed ?? 0}`,
        conflicts: sql`conflicts + ${c.conflicts ?? 0}`, last_processed_at: nowIso(), updated_at: nowIso(),
      }).where('name', '=', name).execute();
    },

    /** Systemic failures of the map since then (a record's own bad data is not counted): the alert rule's count. */
    async errorsSince(name: string, sinceIso: string): Promise<number> {
      const r = await db.selectFrom('sync_errors').select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('map_name', '=', name).where('at', '>=', sinceIso).where('systemic', '=', 1).executeTakeFirstOrThrow();
      return Number(r.n);
    },

    /** Every failure per map since then, systemic or not (the notification rule "errors above a threshold"). */
    async errorCountsSince(sinceIso: string): Promise<Map<string, number>> {
      const rows = await db.selectFrom('sync_errors').select(['map_name', (eb) => eb.fn.countAll<number | string>().as('n')])
        .where('at', '>=', sinceIso).groupBy('map_name').execute();
      return new Map(rows.map((r) => [r.map_name, Number(r.n)]));
    },

    async notify(mapName: string | null, kind: string, message: string): Promise<void> {
      await db.insertInto('sync_notifications').values({ id: randomUUID(), map_name: mapName, kind, message, at: nowIso() }).execute();
    },

    async setSweptAt(name: string, at: string): Promise<void> {
      await db.updateTable('sync_maps').set({ last_sweep_at: at, updated_at: nowIso() }).where('name', '=', name).execute();
    },
  };
}
export type MapsRepo = ReturnType<typeof createMapsRepo>;
