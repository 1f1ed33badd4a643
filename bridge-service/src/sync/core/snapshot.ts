// Snapshots: the mapped values of one side of a record, normalised so that a value read back after
// our own write compares equal to what we wrote (this is what stops echoes).
import { isGuid } from '../../contracts/guid';
import { fieldId, lookupValueAttribute, type Scalar, type Side, type TableMap } from './maps/types';

/** Field id (see fieldId) -> normalised value, for one side. */
export type SideSnapshot = Record<string, Scalar>;
/** The state of a linked record at its last sync, both sides. */
export interface SyncSnapshot { fno: SideSnapshot; dataverse: SideSnapshot }

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
/** F&O writes "no date" as 1900-01-01. */
const FNO_EMPTY_DATE = /^1900-01-01(T00:00:00(\.0+)?Z?)?$/;

/** Canonical form: '' -> null; numbers and numeric strings to 15 significant digits; dates to UTC ISO. */
export function normaliseValue(value: unknown): Scalar {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? Number(value.toPrecision(15)) : null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    if (FNO_EMPTY_DATE.test(value)) return null;
    if (ISO_DATE.test(value) && value.includes('T')) {
      const ms = Date.parse(value);
      if (!Number.isNaN(ms)) return new Date(ms).toISOString();
    }
    if (isGuid(value)) return value.toLowerCase();
    return value;
  }
  return JSON.stringify(value);
}

/** Where a mapped column is read on a side: lookups are read as `_<column>_value` on Dataverse. */
export function readColumn(map: TableMap, side: Side, fieldIndex: number): string | null {
  const f = map.fields[fieldIndex];
  if (side === 'fno') return f.fno;
  if (!f.dataverse) return null;
  return f.transform?.kind === 'lookup' ? lookupValueAttribute(f.dataverse) : f.dataverse;
}

/**
 * The mapped values of a row as seen on one side. Columns absent from the row are left out (a webhook
 * Target carries only changed columns), so a partial row yields a partial snapshot.
 */
export function projectSnapshot(map: TableMap, side: Side, row: Record<string, unknown>): SideSnapshot {
  const out: SideSnapshot = {};
  map.fields.forEach((f, i) => {
    const column = readColumn(map, side, i);
    if (column === null) return;
    const present = Object.prototype.hasOwnProperty.call(row, column)
      // Dataverse webhook Targets name a lookup by its column, not by _x_value.
      || (side === 'dataverse' && f.dataverse !== null && Object.prototype.hasOwnProperty.call(row, f.dataverse));
    if (!present) return;
    const raw = row[column] !== undefined ? row[column] : row[f.dataverse ?? ''];
    out[fieldId(f)] = normaliseValue(refId(raw));
  });
  return out;
}

function refId(value: unknown): unknown {
  if (value && typeof value === 'object' && 'Id' in value) return (value).Id;
  return value;
}

/** Field ids whose value differs; fields missing from `next` are not compared. No `prev`: all of `next`. */
export function diffSnapshots(prev: SideSnapshot | null | undefined, next: SideSnapshot): string[] {
  return Object.keys(next).filter((id) => !prev || !Object.prototype.hasOwnProperty.call(prev, id)
    || normaliseValue(prev[id]) !== normaliseValue(next[id]));
}

/**
 * A written payload read as a row of the target side, so the snapshot of what was just written can be
 * recorded without reading it back: `x@odata.bind: '/set(id)'` becomes `_x_value: id`.
 */
export function payloadAsRow(map: TableMap, payload: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(payload)) {
    const bind = /^(.+)@odata\.bind$/.exec(k);
    if (!bind) { row[k] = v; continue; }
    const field = map.fields.find((f) => f.transform?.kind === 'lookup' && (f.transform.bindProperty ?? f.dataverse) === bind[1]);
    const column = field?.dataverse ?? bind[1];
    const id = typeof v === 'string' ? /\(([^)]+)\)$/.exec(v)?.[1] ?? null : null;
    row[`_${column}_value`] = id;
  }
  return row;
}
