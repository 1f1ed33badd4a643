// Links between a Dataverse row and an F&O record, per map.
import { randomUUID } from 'node:crypto';
import type { Executor, LinksTable } from '../schema';
import type { ChangeAttribution } from '../../sync/core/attribution';

export interface Link {
  id: string;
  mapName: string;
  dataverseTable: string;
  dataverseId: string;
  fnoEntity: string;
  fnoKey: Record<string, string>;
  dataverseVersion: string | null;
  fnoEtag: string | null;
  lastSyncedAt: string | null;
  lastDirection: LinksTable['last_direction'];
  snapshot: Record<string, unknown> | null;
  /** Who made the last change carried across, and as whom it was written. */
  lastChange: ChangeAttribution | null;
}

export type LinkInput = Omit<Link, 'id' | 'dataverseVersion' | 'fnoEtag' | 'lastSyncedAt' | 'lastDirection' | 'snapshot' | 'lastChange'> &
  Partial<Pick<Link, 'dataverseVersion' | 'fnoEtag' | 'lastSyncedAt' | 'lastDirection' | 'snapshot' | 'lastChange'>>;

/** Key JSON with sorted field names, so the same key always has the same text (unique index). */
export function keyJson(key: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(key).sort(([a], [b]) => a.localeCompare(b))));
}

function toLink(r: LinksTable): Link {
  return {
    id: r.id, mapName: r.map_name, dataverseTable: r.dataverse_table, dataverseId: r.dataverse_id, fnoEntity: r.fno_entity,
    fnoKey: JSON.parse(r.fno_key) as Record<string, string>, dataverseVersion: r.dataverse_version, fnoEtag: r.fno_etag,
    lastSyncedAt: r.last_synced_at, lastDirection: r.last_direction, snapshot: r.snapshot ? (JSON.parse(r.snapshot) as Record<string, unknown>) : null,
    lastChange: r.last_change ? (JSON.parse(r.last_change) as ChangeAttribution) : null,
  };
}

export function createLinksRepo(db: Executor) {
  return {
    async findByDataverse(mapName: string, table: string, id: string, trx: Executor = db): Promise<Link | null> {
      const r = await trx.selectFrom('links').selectAll()
        .where('map_name', '=', mapName).where('dataverse_table', '=', table).where('dataverse_id', '=', id.toLowerCase())
        .executeTakeFirst();
      return r ? toLink(r) : null;
    },

    /** The links of many Dataverse rows at once, by row id (lower case). */
    async findManyByDataverse(mapName: string, table: string, ids: readonly string[]): Promise<Map<string, Link>> {
      const out = new Map<string, Link>();
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500).map((id) => id.toLowerCase());
        const rows = await db.selectFrom('links').selectAll().where('map_name', '=', mapName).where('dataverse_table', '=', table).where('dataverse_id', 'in', chunk).execute();
        for (const r of rows) out.set(r.dataverse_id, toLink(r));
      }
      return out;
    },

    /** The links of many F&O records at once (one statement), by keyJson of their key. */
    async findManyByFno(mapName: string, entity: string, keys: readonly Record<string, string>[]): Promise<Map<string, Link>> {
      const out = new Map<string, Link>();
      for (let i = 0; i < keys.length; i += 500) {
        const chunk = keys.slice(i, i + 500).map(keyJson);
        const rows = await db.selectFrom('links').selectAll().where('map_name', '=', mapName).where('fno_entity', '=', entity).where('fno_key', 'in', chunk).execute();
        for (const r of rows) out.set(r.fno_key, toLink(r));
      }
      return out;
    },

    async findByFno(mapName: string, entity: string, key: Record<string, string>, trx: Executor = db): Promise<Link | null> {
      const r = await trx.selectFrom('links').selectAll()
        .where('map_name', '=', mapName).where('fno_entity', '=', entity).where('fno_key', '=', keyJson(key))
        .executeTakeFirst();
      return r ? toLink(r) : null;
    },

    /** Inserts or updates the link of a Dataverse row (one link per row and map). */
    async upsert(input: LinkInput, trx: Executor = db): Promise<Link> {
      const now = new Date().toISOString();
      const row: LinksTable = {
        id: randomUUID(), map_name: input.mapName, dataverse_table: input.dataverseTable, dataverse_id: input.dataverseId.toLowerCase(),
        fno_entity: input.fnoEntity, fno_key: keyJson(input.fnoKey), dataverse_version: input.dataverseVersion ?? null,
        fno_etag: input.fnoEtag ?? null, last_synced_at: input.lastSyncedAt ?? null, last_direction: input.lastDirection ?? null,
        snapshot: input.snapshot ? JSON.stringify(input.snapshot) : null, last_change: input.lastChange ? JSON.stringify(input.lastChange) : null,
        created_at: now, updated_at: now,
      };
      await trx.insertInto('links').values(row)
        .onConflict((oc) => oc.columns(['map_name', 'dataverse_table', 'dataverse_id']).doUpdateSet({
          fno_entity: row.fno_entity, fno_key: row.fno_key, updated_at: now,
          ...(input.dataverseVersion !== undefined ? { dataverse_version: row.dataverse_version } : {}),
          ...(input.fnoEtag !== undefined ? { fno_etag: row.fno_etag } : {}),
          ...(input.lastSyncedAt !== undefined ? { last_synced_at: row.last_synced_at } : {}),
          ...(input.lastDirection !== undefined ? { last_direction: row.last_direction } : {}),
          ...(input.snapshot !== undefined ? { snapshot: row.snapshot } : {}),
          ...(input.lastChange !== undefined ? { last_change: row.last_change } : {}),
        }))
        .execute();
      return (await this.findByDataverse(input.mapName, input.dataverseTable, input.dataverseId, trx))!;
    },

    async recordSync(
      id: string,
      s: { direction: NonNullable<Link['lastDirection']>; fnoEtag?: string | null; dataverseVersion?: string | null; snapshot?: Record<string, unknown> },
      trx: Executor = db,
    ): Promise<void> {
      const now = new Date().toISOString();
      await trx.updateTable('links').set({
        last_direction: s.direction, last_synced_at: now, updated_at: now,
        ...(s.fnoEtag !== undefined ? { fno_etag: s.fnoEtag } : {}),
        ...(s.dataverseVersion !== undefined ? { dataverse_version: s.dataverseVersion } : {}),
        ...(s.snapshot !== undefined ? { snapshot: JSON.stringify(s.snapshot) } : {}),
      }).where('id', '=', id).execute();
    },

    /** One page of a map's links in id order (the sweep looks for records that disappeared). */
    async page(mapName: string, afterId: string | null, limit: number): Promise<Link[]> {
      let q = db.selectFrom('links').selectAll().where('map_name', '=', mapName);
      if (afterId !== null) q = q.where('id', '>', afterId);
      return (await q.orderBy('id').limit(limit).execute()).map(toLink);
    },

    async remove(id: string, trx: Executor = db): Promise<boolean> {
      const r = await trx.deleteFrom('links').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
export type LinksRepo = ReturnType<typeof createLinksRepo>;
