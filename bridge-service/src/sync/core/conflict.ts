// Three-way merge of one linked record: what changed on each side since the last sync (the base),
// which field values flow where, and the conflicts the map's policy decided.
import { fieldFlows, fieldId, type ConflictPolicy, type FieldMapping, type Side, type TableMap } from './maps/types';
import { diffSnapshots, normaliseValue, type SideSnapshot, type SyncSnapshot } from './snapshot';
import { noYesToBoolean, valueMapToDataverse } from './maps/transforms';
import type { Scalar } from './maps/types';

export interface FieldConflict {
  field: string;
  fnoBase: Scalar;
  fnoValue: Scalar;
  dataverseBase: Scalar;
  dataverseValue: Scalar;
  winner: Side;
  /** Plain words for the admin: why this side won. */
  reason: string;
}

export interface MergeResult {
  /** Field ids whose F&O value must be written to Dataverse. */
  toDataverse: string[];
  /** Field ids whose Dataverse value must be written to F&O. */
  toFno: string[];
  conflicts: FieldConflict[];
}

export interface MergeInput {
  map: TableMap;
  /** Snapshot of both sides at the last sync; null when the record was never synced (exists on both). */
  base: SyncSnapshot | null;
  fno: SideSnapshot;
  dataverse: SideSnapshot;
  /** Last-modified times (ISO) of the two rows, for the 'latest' policy, both read from one clock. */
  fnoModifiedAt?: string | null;
  dataverseModifiedAt?: string | null;
  /** Which clock both times come from: each service's own modified time, or when the bridge received each change. */
  clock?: ChangeClock;
  /** Who wins for a record with no base (initial sync of a record that exists on both sides). Default: the policy's side, else F&O. */
  initialWinner?: Side;
}

/** Whether both sides already hold the same value (compared after the plain transforms; lookups cannot be compared). */
function agree(f: FieldMapping, fnoValue: Scalar, dvValue: Scalar): boolean {
  const t = f.transform;
  if (t?.kind === 'lookup') return false;
  let mapped: Scalar = fnoValue;
  if (t?.kind === 'valueMap') { const r = valueMapToDataverse(t, fnoValue); if (!r.ok) return false; mapped = r.value; }
  if (t?.kind === 'noYesBoolean') { const r = noYesToBoolean(t, fnoValue); if (!r.ok) return false; mapped = r.value; }
  return normaliseValue(mapped) === normaliseValue(dvValue);
}

export type ChangeClock = 'modified' | 'received';

const CLOCK_WORDS: Record<ChangeClock, string> = {
  modified: 'by each service\'s own modified time',
  received: 'by the time the bridge received each change',
};

function policyWinner(policy: ConflictPolicy, fnoAt?: string | null, dvAt?: string | null, clock?: ChangeClock): { winner: Side; reason: string } {
  if (policy.kind === 'primary') return { winner: policy.side, reason: `the map's policy makes ${policy.side === 'fno' ? 'F&O' : 'Dataverse'} the primary side` };
  const f = fnoAt ? Date.parse(fnoAt) : NaN;
  const d = dvAt ? Date.parse(dvAt) : NaN;
  if (Number.isNaN(f) || Number.isNaN(d)) return { winner: 'fno', reason: 'the later change wins, but a modified time was missing, so F&O (the system of record) won' };
  const by = clock ? ` (${CLOCK_WORDS[clock]})` : '';
  if (d > f) return { winner: 'dataverse', reason: `the Dataverse change (${new Date(d).toISOString()}) is later than the F&O change (${new Date(f).toISOString()})${by}` };
  return { winner: 'fno', reason: d === f ? `both changes have the same time${by}; F&O (the system of record) won` : `the F&O change (${new Date(f).toISOString()}) is later than the Dataverse change (${new Date(d).toISOString()})${by}` };
}

export function mergeChanges(input: MergeInput): MergeResult {
  const { map, base } = input;
  const out: MergeResult = { toDataverse: [], toFno: [], conflicts: [] };
  const fnoChanged = new Set(diffSnapshots(base?.fno, input.fno));
  const dvChanged = new Set(diffSnapshots(base?.dataverse, input.dataverse));
  const toDv = map.direction !== 'dataverse_to_fno';
  const toFno = map.direction !== 'fno_to_dataverse';

  for (const f of map.fields) {
    if (f.key || f.fno === null || f.dataverse === null) continue;
    const id = fieldId(f);
    const canToDv = toDv && fieldFlows(f, 'fno_to_dataverse');
    const canToFno = toFno && fieldFlows(f, 'dataverse_to_fno');
    const fc = fnoChanged.has(id);
    const dc = dvChanged.has(id);
    const fv = input.fno[id] ?? null;
    const dv = input.dataverse[id] ?? null;

    if (!base) {
      if (!(id in input.fno) || !(id in input.dataverse) || agree(f, fv, dv)) continue;
      const winner = input.initialWinner ?? (map.conflictPolicy.kind === 'primary' ? map.conflictPolicy.side : 'fno');
      if (winner === 'fno' && canToDv) out.toDataverse.push(id);
      else if (winner === 'dataverse' && canToFno) out.toFno.push(id);
      else if (canToDv) out.toDataverse.push(id);
      else if (canToFno) out.toFno.push(id);
      continue;
    }
    if (fc && !dc) { if (canToDv) out.toDataverse.push(id); continue; }
    if (dc && !fc) { if (canToFno) out.toFno.push(id); continue; }
    if (!fc || !dc || agree(f, fv, dv)) continue;

    let decision: { winner: Side; reason: string };
    if (canToDv && !canToFno) decision = { winner: 'fno', reason: 'this field only flows from F&O to Dataverse' };
    else if (canToFno && !canToDv) decision = { winner: 'dataverse', reason: 'this field only flows from Dataverse to F&O' };
    else decision = policyWinner(map.conflictPolicy, input.fnoModifiedAt, input.dataverseModifiedAt, input.clock);
    (decision.winner === 'fno' ? out.toDataverse : out.toFno).push(id);
    out.conflicts.push({
      field: id,
      fnoBase: base.fno[id] ?? null, fnoValue: fv,
      dataverseBase: base.dataverse[id] ?? null, dataverseValue: dv,
      winner: decision.winner,
      reason: `${f.fno} / ${f.dataverse} changed on both sides since the last sync; ${decision.reason}.`,
    });
  }
  return out;
}
