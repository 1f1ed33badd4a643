// Conflicts the merge decided (sync_conflicts): recorded by the applier, listed and dismissed by admins,
// and shown on the record's sync status until dismissed.
import { randomUUID } from 'node:crypto';
import { nowIso, type Db, type EventSide, type SyncConflictsTable } from '../schema';

export interface ConflictRow {
  id: string;
  map: string;
  dataverseId: string | null;
  fnoKey: unknown;
  fields: unknown;
  winner: EventSide;
  policy: string;
  detail: unknown;
  at: string;
}

export interface NewConflict {
  map: string;
  dataverseId: string | null;
  /** keyJson of the F&O key. */
  fnoKey: string | null;
  fields: readonly string[];
  winner: EventSide;
  policy: string;
  detail: unknown;
}

const toRow = (r: SyncConflictsTable): ConflictRow => ({
  id: r.id, map: r.map_name, dataverseId: r.dataverse_id, fnoKey: r.fno_key ? JSON.parse(r.fno_key) as unknown : null,
  fields: JSON.parse(r.fields) as unknown, winner: r.winner, policy: r.policy, detail: JSON.parse(r.detail) as unknown, at: r.at,
});

export function createConflictsRepo(db: Db) {
  return {
    async record(c: NewConflict): Promise<void> {
      await db.insertInto('sync_conflicts').values({
        id: randomUUID(), map_name: c.map, dataverse_id: c.dataverseId, fno_key: c.fnoKey, fields: JSON.stringify(c.fields), winner: c.winner,
        policy: c.policy, detail: JSON.stringify(c.detail), at: nowIso(), dismissed_at: null,
      }).execute();
    },

    async list(o: { map?: string; limit: number; includeDismissed: boolean }): Promise<ConflictRow[]> {
      let q = db.selectFrom('sync_conflicts').selectAll();
      if (!o.includeDismissed) q = q.where('dismissed_at', 'is', null);
      if (o.map) q = q.where('map_name', '=', o.map);
      return (await q.orderBy('at', 'desc').limit(o.limit).execute()).map(toRow);
    },

    /** The newest open conflict of a Dataverse row. */
    async openOf(mapName: string, dataverseId: string): Promise<ConflictRow | null> {
      const r = await db.selectFrom('sync_conflicts').selectAll().where('map_name', '=', mapName).where('dataverse_id', '=', dataverseId)
        .where('dismissed_at', 'is', null).orderBy('at', 'desc').limit(1).executeTakeFirst();
      return r ? toRow(r) : null;
    },

    /** False when there is no open conflict with that id. */
    async dismiss(id: string): Promise<boolean> {
      const r = await db.updateTable('sync_conflicts').set({ dismissed_at: nowIso() }).where('id', '=', id).where('dismissed_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    async dismissOf(mapName: string, dataverseId: string): Promise<void> {
      await db.updateTable('sync_conflicts').set({ dismissed_at: nowIso() })
        .where('map_name', '=', mapName).where('dataverse_id', '=', dataverseId).where('dismissed_at', 'is', null).execute();
    },
  };
}

export type ConflictsRepo = ReturnType<typeof createConflictsRepo>;
