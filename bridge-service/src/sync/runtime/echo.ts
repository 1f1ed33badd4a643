// Echoes: the notification of a write the bridge itself made. Acknowledged without a job when
//  - every mapped value it carries is the newest value the bridge knows that side holds: the value of
//    a write in progress (the write-ahead in sync/core/pending.ts, stored before the write, so an echo that
//    overtakes the job's final save is still recognised), else what that job read, else the last
//    synced value; and
//  - no job of that side of the record is waiting or running (one that is may have read the row before
//    this change; the event must fold into it so it runs again).
// Anything else (a user's edit, a plugin that changed more in the same save) is queued as usual. A job
// that dies after its write is retried on its own lease and completes the record, so nothing rides on
// the echo.
import { normaliseValue, projectSnapshot } from '../core/snapshot';
import { baseOf, type StoredSnapshot } from '../core/pending';
import type { Scalar, Side, TableMap } from '../core/maps/types';
import type { LinksRepo } from '../../db/repos/links';
import type { ChangeEvent, Queue } from '../../db/repos/jobs';

function newestKnown(stored: StoredSnapshot, side: Side, id: string): { known: boolean; value?: Scalar } {
  for (const s of [stored.pending?.after[side], stored.pending?.before[side], stored[side]]) {
    if (s && id in s) return { known: true, value: s[id] };
  }
  return { known: false };
}

/** Whether every mapped value in `changed` is the newest value the link knows for that side. Pure. */
export function echoesKnownValues(map: TableMap, side: Side, changed: Record<string, unknown>, stored: StoredSnapshot | null): boolean {
  if (!stored) return false;
  const seen = projectSnapshot(map, side, changed);
  const ids = Object.keys(seen);
  if (ids.length === 0) return false;
  return ids.every((id) => {
    const k = newestKnown(stored, side, id);
    // A column the bridge did not write to a row it created (a link that only holds the create) comes back empty.
    if (!k.known) return !baseOf(stored) && normaliseValue(seen[id]) === null;
    return normaliseValue(k.value) === normaliseValue(seen[id]);
  });
}

/** The events that are not echoes of the bridge's own writes. */
export async function withoutEchoes(
  deps: { links: LinksRepo; queue: Pick<Queue, 'isActive'> }, maps: ReadonlyMap<string, TableMap>, events: ChangeEvent[], changed: Record<string, unknown> | null,
): Promise<ChangeEvent[]> {
  if (!changed) return events;
  const out: ChangeEvent[] = [];
  for (const e of events) {
    const map = maps.get(e.mapName);
    if (!map || e.message === 'Delete') { out.push(e); continue; }
    const link = e.side === 'dataverse'
      ? await deps.links.findByDataverse(map.name, map.dataverse.table, e.recordKey)
      : await deps.links.findByFno(map.name, map.fno.entitySet, JSON.parse(e.recordKey) as Record<string, string>);
    if (!echoesKnownValues(map, e.side, changed, (link?.snapshot as StoredSnapshot | null | undefined) ?? null)) { out.push(e); continue; }
    if (await deps.queue.isActive(e.mapName, e.side, e.recordKey)) out.push(e);
  }
  return out;
}
