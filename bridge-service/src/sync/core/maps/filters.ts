// Source filters: one definition serves both the OData `$filter` of initial sync / sweeps and the
// per-event check, so a row can never pass one and fail the other.
import type { FilterCondition, Scalar } from './types';

function literal(value: Scalar): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  return String(value);
}

/** `PartyType eq 'Organization' and ...`; empty string when there is no condition. */
export function toODataFilter(conditions: readonly FilterCondition[] | undefined): string {
  return (conditions ?? []).map((c) => `${c.field} ${c.op} ${literal(c.value)}`).join(' and ');
}

/** Whether a row passes every condition; a field missing from the row counts as null. */
export function matchesFilter(conditions: readonly FilterCondition[] | undefined, row: Record<string, unknown>): boolean {
  return (conditions ?? []).every((c) => {
    const actual = row[c.field] ?? null;
    const equal = typeof actual === 'string' && typeof c.value === 'string'
      ? actual.toLowerCase() === c.value.toLowerCase()
      : actual === c.value;
    return c.op === 'eq' ? equal : !equal;
  });
}
