// Deletes the engine handled (sync_deletes, migration 007): recorded by the delete propagation, read by the
// applier and the echo filter as tombstones (a kept row is not re-created; the bridge's own delete does not come
// back), and listed for admins.
import { randomUUID } from 'node:crypto';
import { nowIso, type Db, type EventSide, type SyncDeletesTable } from '../schema';

export interface DeleteRecord {
  id: string;
  map: string;
  deletedSide: EventSide;
  dataverseId: string;
  fnoKey: Record<string, string>;
  action: SyncDeletesTable['action'];
  message: string;
  at: string;
}

export type NewDelete = Omit<DeleteRecord, 'id' | 'at' | 'fnoKey'> & { /** keyJson of the F&O key. */ fnoKey: string };

const toRecord = (r: SyncDeletesTable): DeleteRecord => ({
  id: r.id, map: r.map_name, deletedSide: r.deleted_side, dataverseId: r.dataverse_id, fnoKey: JSON.parse(r.fno_key) as Record<string, string>,
  action: r.action, message: r.message, at: r.at,
});

export function createDeletesRepo(db: Db) {
  return {
    async record(d: NewDelete): Promise<DeleteRecord> {
      const row: SyncDeletesTable = {
        id: randomUUID(), map_name: d.map, deleted_side: d.deletedSide, dataverse_id: d.dataverseId.toLowerCase(), fno_key: d.fnoKey,
        action: d.action, message: d.message, at: nowIso(),
      };
      await db.insertInto('sync_deletes').values(row).execute();
      return toRecord(row);
    },

    /** The newest delete that involved this record (a Dataverse row id, or keyJson of an F&O key), or null. */
    async latestFor(mapName: string, side: EventSide, recordKey: string): Promise<DeleteRecord | null> {
      const q = db.selectFrom('sync_deletes').selectAll().where('map_name', '=', mapName);
      const r = await (side === 'dataverse' ? q.where('dataverse_id', '=', recordKey.toLowerCase()) : q.where('fno_key', '=', recordKey))
        .orderBy('at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
      return r ? toRecord(r) : null;
    },

    /** Newest first. */
    async list(o: { map?: string; limit: number }): Promise<DeleteRecord[]> {
      let q = db.selectFrom('sync_deletes').selectAll();
      if (o.map) q = q.where('map_name', '=', o.map);
      return (await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(o.limit).execute()).map(toRecord);
    },
  };
}
export type DeletesRepo = ReturnType<typeof createDeletesRepo>;
