// Reconciliation sweep: per running map, rows modified since the last sweep on each side are queued,
// so a change whose notification was lost (set-based updates, a step someone deleted, events switched off, a
// delivery lost in an outage) still syncs. Dataverse rows are found by `modifiedon`. F&O entities often have no
// modified-time field (no shipped map has one), so there the sweep reads the mapped columns of every record,
// page by page, and queues the linked records whose values differ from the last synced snapshot: one request
// per 5,000 records, far inside service protection's 6,000 requests per 5 minutes. Harmless for changes
// already synced: apply compares with the snapshot and writes nothing.
// Deletes raise no modified time: a linked record that is no longer there (F&O: not among the records the comparing
// pass read; Dataverse: not among the ids of its table, one request per 5,000 rows) is queued as a Delete, and the
// applier, which reads the record again, applies the map's delete policy (a record that merely left the map's filter
// is found and left alone).
import { appliesLiveChanges } from '../../contracts/states';
import type { Logger } from 'pino';
import type { DataverseClient } from '../../clients/dataverse-client';
import type { FnoClient } from '../../clients/fno-client';
import { createHash } from 'node:crypto';
import { keyJson, type LinksRepo } from '../../db/repos/links';
import { fnoKeyOf, selectColumns } from '../core/routing';
import { diffSnapshots, projectSnapshot } from '../core/snapshot';
import type { StoredSnapshot } from '../core/pending';
import { toODataFilter } from '../core/maps/filters';
import { mapFlows, type TableMap } from '../core/maps/types';
import type { MapsRepo } from '../../db/repos/maps';
import type { ChangeEvent, Queue } from '../../db/repos/jobs';
import { nowIso } from '../../db/schema';

export interface Sweeper {
  /** One sweep of every running map; returns how many changes were queued. */
  sweepOnce(): Promise<number>;
  start(intervalMs: number): void;
  stop(): void;
}

export function createSweeper(o: {
  fno: FnoClient; dataverse: DataverseClient; queue: Queue; mapsRepo: MapsRepo; links: LinksRepo; maps: readonly TableMap[];
  /** Records per F&O page of the comparing sweep. */
  comparePageSize?: number;
  log: Pick<Logger, 'info' | 'warn' | 'debug'>; onEnqueued: () => void;
}): Sweeper {
  let timer: NodeJS.Timeout | undefined;
  let busy = false;

  async function sweepMap(map: TableMap, since: string, until: string): Promise<number> {
    const events: ChangeEvent[] = [];
    if (mapFlows(map, 'dataverse_to_fno')) {
      const ids = await o.dataverse.list(map.dataverse.entitySet, { select: [map.dataverse.primaryId] });
      events.push(...await goneEvents(map, 'dataverse', new Set(ids.map((r) => String(r[map.dataverse.primaryId]).toLowerCase()))));
      const filter = [`${map.dataverse.modifiedField} gt ${since}`, toODataFilter(map.filters?.dataverse)].filter(Boolean).join(' and ');
      const rows = await o.dataverse.list(map.dataverse.entitySet, { filter, select: [map.dataverse.primaryId, map.dataverse.modifiedField] });
      const links = await o.links.findManyByDataverse(map.name, map.dataverse.table, rows.map((r) => String(r[map.dataverse.primaryId])));
      for (const r of rows) {
        const id = String(r[map.dataverse.primaryId]).toLowerCase();
        // The version the bridge last synced (its own write included): nothing new in this row.
        const etag = r['@odata.etag'];
        if (etag !== undefined && links.get(id)?.dataverseVersion === etag) continue;
        events.push({ mapName: map.name, side: 'dataverse', recordKey: id, message: 'Update', dedupeKey: `sweep|${map.name}|dv|${id}|${String(r[map.dataverse.modifiedField])}` });
      }
    }
    if (mapFlows(map, 'fno_to_dataverse') && map.fno.modifiedField) {
      const filter = [`${map.fno.modifiedField} gt ${since}`, toODataFilter(map.filters?.fno)].filter(Boolean).join(' and ');
      const rows = await o.fno.query(map.fno.entitySet, { filter, select: [...map.fno.keys, map.fno.modifiedField], crossCompany: true, pageSize: 10_000 });
      for (const r of rows) {
        const key = fnoKeyOf(map, r);
        if (!key) continue;
        events.push({ mapName: map.name, side: 'fno', recordKey: keyJson(key), message: 'Update', dedupeKey: `sweep|${map.name}|fno|${keyJson(key)}|${String(r[map.fno.modifiedField])}` });
      }
    }
    if (mapFlows(map, 'fno_to_dataverse') && !map.fno.modifiedField) events.push(...await changedSinceSnapshot(map));
    if (mapFlows(map, 'fno_to_dataverse') && map.fno.modifiedField) events.push(...await goneEvents(map, 'fno', await fnoKeys(map)));
    const n = await o.queue.enqueue(events);
    await o.mapsRepo.setSweptAt(map.name, until);
    return n;
  }

  /** F&O records of the map whose mapped values differ from their link's last synced snapshot. */
  async function changedSinceSnapshot(map: TableMap): Promise<ChangeEvent[]> {
    const out: ChangeEvent[] = [];
    const seen = new Set<string>();
    const pages = o.fno.pages(map.fno.entitySet, {
      filter: toODataFilter(map.filters?.fno) || undefined, select: selectColumns(map, 'fno'), crossCompany: true, pageSize: o.comparePageSize ?? 5000,
    });
    for await (const rows of pages) {
      const keyed = rows.flatMap((r) => { const key = fnoKeyOf(map, r); return key ? [{ r, key }] : []; });
      for (const { key } of keyed) seen.add(keyJson(key));
      const links = await o.links.findManyByFno(map.name, map.fno.entitySet, keyed.map((k) => k.key));
      keyed.forEach(({ r, key }) => {
        const link = links.get(keyJson(key));
        // Unlinked records are the initial sync's (or their next event's): nothing to compare with.
        if (!link) return;
        const now = projectSnapshot(map, 'fno', r);
        const last = (link.snapshot as StoredSnapshot | null)?.fno;
        if (diffSnapshots(last, now).length === 0) return;
        const digest = createHash('sha1').update(JSON.stringify(now)).digest('hex').slice(0, 16);
        out.push({ mapName: map.name, side: 'fno', recordKey: keyJson(key), message: 'Update', dedupeKey: `sweep|${map.name}|fno|${keyJson(key)}|${digest}` });
      });
    }
    out.push(...await goneEvents(map, 'fno', seen));
    return out;
  }

  /** The keys (keyJson) of the map's F&O records, read page by page (the key fields only). */
  async function fnoKeys(map: TableMap): Promise<Set<string>> {
    const seen = new Set<string>();
    const pages = o.fno.pages(map.fno.entitySet, { filter: toODataFilter(map.filters?.fno) || undefined, select: [...map.fno.keys], crossCompany: true, pageSize: o.comparePageSize ?? 5000 });
    for await (const rows of pages) for (const r of rows) { const key = fnoKeyOf(map, r); if (key) seen.add(keyJson(key)); }
    return seen;
  }

  /** Delete events for the linked records of `side` that are not in `present` (Dataverse ids, or keyJson of F&O keys). */
  async function goneEvents(map: TableMap, side: 'fno' | 'dataverse', present: ReadonlySet<string>): Promise<ChangeEvent[]> {
    const out: ChangeEvent[] = [];
    for (let after: string | null = null; ;) {
      const page = await o.links.page(map.name, after, 1000);
      for (const link of page) {
        const recordKey = side === 'fno' ? keyJson(link.fnoKey) : link.dataverseId;
        if (present.has(recordKey)) continue;
        out.push({ mapName: map.name, side, recordKey, message: 'Delete', dedupeKey: `sweep|${map.name}|${side}-gone|${link.id}` });
      }
      if (page.length < 1000) return out;
      after = page[page.length - 1].id;
    }
  }

  async function sweepOnce(): Promise<number> {
    if (busy) return 0;
    busy = true;
    let total = 0;
    try {
      const rows = new Map((await o.mapsRepo.list()).map((r) => [r.name, r]));
      for (const map of o.maps) {
        const row = rows.get(map.name);
        if (!row || !appliesLiveChanges(row.state)) continue;
        const until = nowIso();
        // First sweep of a map: history is the initial sync's job, so just start the clock.
        if (!row.last_sweep_at) { await o.mapsRepo.setSweptAt(map.name, until); continue; }
        try {
          total += await sweepMap(map, row.last_sweep_at, until);
        } catch (err) {
          o.log.warn({ map: map.name, err: err instanceof Error ? err.message : String(err) }, 'reconciliation sweep failed for this map; it will try again next time');
        }
      }
      if (total > 0) {
        o.log.info({ queued: total }, 'reconciliation sweep queued changes the notifications missed (or repeated)');
        o.onEnqueued();
      }
      return total;
    } finally {
      busy = false;
    }
  }

  return {
    sweepOnce,
    start(intervalMs) {
      if (intervalMs <= 0 || timer) return;
      timer = setInterval(() => void sweepOnce().catch((err: unknown) => o.log.warn({ err }, 'reconciliation sweep failed')), intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
