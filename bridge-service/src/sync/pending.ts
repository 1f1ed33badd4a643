// Write-ahead of a job's writes. Before a job writes a side it records, on the record's link, the
// snapshot the record will have once the writes land ("pending"). If the job dies after writing but
// before it stores the new snapshot, the next job of the record (often the notification of that very
// write) finds the pending values on the target side and takes them as the base: the write is
// recognised as ours and not mistaken for a newer change of that side, which would overwrite a newer
// edit of the other side.
import { normaliseValue, type SideSnapshot, type SyncSnapshot } from './snapshot';

export interface PendingWrite {
  /** Values after the write: F&O side (for fields written to F&O, the values written; else the source values). */
  fno: SideSnapshot;
  dataverse: SideSnapshot;
  /** Field ids written to each side. */
  wrote: { fno: string[]; dataverse: string[] };
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

/**
 * The base to merge against: the last synced state, with every field of a pending write that did land
 * (the target side holds the pending value) moved to its pending value on both sides. A record that
 * never finished a sync takes the pending snapshot whole (its unwritten fields agreed when it was
 * taken), less the written fields that did not land. Null when there is no base and nothing landed.
 */
export function effectiveBase(stored: StoredSnapshot | null | undefined, fno: SideSnapshot, dataverse: SideSnapshot): SyncSnapshot | null {
  const base = baseOf(stored);
  const pending = stored?.pending;
  if (!pending) return base;
  const out: SyncSnapshot = base
    ? { fno: { ...base.fno }, dataverse: { ...base.dataverse } }
    : { fno: { ...pending.fno }, dataverse: { ...pending.dataverse } };
  let landed = false;
  const settle = (id: string, onTarget: SideSnapshot, expected: SideSnapshot) => {
    if (id in onTarget && normaliseValue(onTarget[id]) === normaliseValue(expected[id])) {
      if (id in pending.fno) out.fno[id] = pending.fno[id];
      if (id in pending.dataverse) out.dataverse[id] = pending.dataverse[id];
      landed = true;
    } else if (!base) {
      delete out.fno[id];
      delete out.dataverse[id];
    }
  };
  for (const id of pending.wrote.fno) settle(id, fno, pending.fno);
  for (const id of pending.wrote.dataverse) settle(id, dataverse, pending.dataverse);
  return base || landed ? out : null;
}

/** The pending write of a job: values after writing `toFno` (predicted F&O values) and `toDv` (predicted Dataverse values). */
export function pendingWrite(
  current: { fno: SideSnapshot; dataverse: SideSnapshot },
  predicted: { fno: SideSnapshot; dataverse: SideSnapshot },
  at: string = new Date().toISOString(),
): PendingWrite {
  return {
    fno: { ...current.fno, ...predicted.fno },
    dataverse: { ...current.dataverse, ...predicted.dataverse },
    wrote: { fno: Object.keys(predicted.fno), dataverse: Object.keys(predicted.dataverse) },
    at,
  };
}
