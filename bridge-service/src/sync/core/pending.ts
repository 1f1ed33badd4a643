// Write-ahead of a job's writes. Before a job writes a side it records, on the record's link, both
// sides as it read them and the values it is about to write ("pending"). If the job dies after writing
// but before it stores the new snapshot, the next job of the record (often the notification of that
// very write) finds the pending values on the target side and takes them as the base: the write is
// recognised as ours and not mistaken for a newer change of that side, which would overwrite a newer
// edit of the other side.
import { normaliseValue, type SideSnapshot, type SyncSnapshot } from './snapshot';

export interface PendingWrite {
  /** Both sides as the job read them before writing. */
  before: SyncSnapshot;
  /** The values it writes: to F&O (field id -> F&O value) and to Dataverse. */
  after: SyncSnapshot;
  at: string;
}

/** A link's stored snapshot: the last synced state, and a write that may not have finished. */
export interface StoredSnapshot extends Partial<SyncSnapshot> {
  pending?: PendingWrite;
}

/** The last synced state in a stored snapshot, or null when the record never finished a sync. */
export function baseOf(stored: StoredSnapshot | null | undefined): SyncSnapshot | null {
  return stored?.fno && stored.dataverse ? { fno: stored.fno, dataverse: stored.dataverse } : null;
}

const same = (a: unknown, b: unknown) => normaliseValue(a) === normaliseValue(b);

/**
 * Whether a write to one side landed: the side holds every written value. One write is one request, all
 * or nothing, so one written value still missing means it did not (a value that was already there
 * proves nothing on its own; if none changed, landed or not the side holds them all).
 */
export function writeLanded(after: SideSnapshot, current: SideSnapshot): boolean {
  const ids = Object.keys(after);
  return ids.length > 0 && ids.every((id) => id in current && same(current[id], after[id]));
}

/**
 * The base to merge against. Without a pending write: the last synced state. With one, for each side
 * written: if the write landed, its fields take the written value on that side and the source value on
 * the other (a newer edit of the source still shows as a change); if it did not land and the record has
 * no synced state yet, the target keeps what it held and the source's value counts as changed, so the
 * write is made again. Null when there is nothing to merge against (never synced, nothing landed).
 */
export function effectiveBase(stored: StoredSnapshot | null | undefined, fno: SideSnapshot, dataverse: SideSnapshot): SyncSnapshot | null {
  const base = baseOf(stored);
  const p = stored?.pending;
  if (!p) return base;
  const landed = { fno: writeLanded(p.after.fno, fno), dataverse: writeLanded(p.after.dataverse, dataverse) };
  if (!base && !landed.fno && !landed.dataverse) return null;
  const out: SyncSnapshot = base
    ? { fno: { ...base.fno }, dataverse: { ...base.dataverse } }
    : { fno: { ...p.before.fno }, dataverse: { ...p.before.dataverse } };
  for (const [target, source] of [['fno', 'dataverse'], ['dataverse', 'fno']] as const) {
    for (const id of Object.keys(p.after[target])) {
      if (landed[target]) {
        out[target][id] = p.after[target][id];
        if (id in p.before[source]) out[source][id] = p.before[source][id];
      } else if (!base) {
        if (id in p.before[target]) out[target][id] = p.before[target][id];
        else delete out[target][id];
        delete out[source][id];
      }
    }
  }
  return out;
}

/** The pending write of a job: both sides as read (`current`) and the values to write (`predicted`). */
export function pendingWrite(current: SyncSnapshot, predicted: SyncSnapshot, at: string = new Date().toISOString()): PendingWrite {
  return { before: { fno: { ...current.fno }, dataverse: { ...current.dataverse } }, after: predicted, at };
}
