// Which map a change belongs to, the keys that identify the record on each side, and the column lists
// the engine asks for: pure helpers so the webhook routes, the worker and step registration agree.
import { matchesFilter } from './maps/filters';
import { fieldFlows, inLegalEntityScope, lookupValueAttribute, type Side, type TableMap } from './maps/types';

/**
 * The maps a changed row belongs to. `name` is a Dataverse table logical name or entity set, or an F&O
 * entity set (case-insensitive). When the row carries the filter columns, the source filters and the
 * legal-entity scope decide (CustomersV3 -> accounts or contacts by PartyType); when it does not (a cut
 * body, a partial Target), every map of that table is returned and the worker decides after reading the row.
 */
export function mapsForChange(
  maps: readonly TableMap[], side: Side, name: string, row?: Record<string, unknown> | null,
): TableMap[] {
  const wanted = name.toLowerCase();
  return maps.filter((m) => {
    const names = side === 'fno' ? [m.fno.entitySet] : [m.dataverse.table, m.dataverse.entitySet];
    if (!names.some((n) => n.toLowerCase() === wanted)) return false;
    if (!row) return true;
    const conditions = side === 'fno' ? m.filters?.fno : m.filters?.dataverse;
    const decidable = (conditions ?? []).every((c) => Object.prototype.hasOwnProperty.call(row, c.field));
    if (decidable && !matchesFilter(conditions, row)) return false;
    if (side === 'fno' && m.fno.companyField && Object.prototype.hasOwnProperty.call(row, m.fno.companyField)) {
      return inLegalEntityScope(m, row[m.fno.companyField] as string | null);
    }
    return true;
  });
}

/** The F&O key of a row, by key field; null when a key field is missing or empty. dataAreaId lower-cased as F&O returns it. */
export function fnoKeyOf(map: TableMap, row: Record<string, unknown>): Record<string, string> | null {
  const key: Record<string, string> = {};
  for (const field of map.fno.keys) {
    const value = row[field];
    if (value === undefined || value === null || value === '') return null;
    const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
    key[field] = field === map.fno.companyField ? text.toLowerCase() : text;
  }
  return key;
}

/** A stable text form of a key (fields in the map's key order), for storage and dedupe. */
export function keyString(map: TableMap, key: Record<string, unknown>): string {
  return JSON.stringify(map.fno.keys.map((k) => key[k] ?? null));
}

/** Columns to `$select` when reading a source row: keys, mapped fields, filter and modified columns. */
export function selectColumns(map: TableMap, side: Side): string[] {
  const out = new Set<string>();
  if (side === 'fno') {
    map.fno.keys.forEach((k) => out.add(k));
    map.fields.forEach((f) => { if (f.fno) out.add(f.fno); });
    (map.filters?.fno ?? []).forEach((c) => out.add(c.field));
    if (map.fno.modifiedField) out.add(map.fno.modifiedField);
  } else {
    out.add(map.dataverse.primaryId);
    map.fields.forEach((f) => {
      if (f.dataverse) out.add(f.transform?.kind === 'lookup' ? lookupValueAttribute(f.dataverse) : f.dataverse);
    });
    (map.filters?.dataverse ?? []).forEach((c) => out.add(c.field));
    out.add(map.dataverse.modifiedField);
  }
  return [...out];
}

/**
 * `filteringattributes` for the Update step of a map's Dataverse table: the columns whose change must
 * reach F&O (plus filter columns, which can move a row in or out of the map). Empty for a one-way map.
 */
export function dataverseFilteringAttributes(maps: readonly TableMap[], table: string): string[] {
  const out = new Set<string>();
  for (const m of maps) {
    if (m.dataverse.table !== table || m.direction === 'fno_to_dataverse') continue;
    m.fields.forEach((f) => { if (f.dataverse && (f.key || fieldFlows(f, 'dataverse_to_fno'))) out.add(f.dataverse); });
    (m.filters?.dataverse ?? []).forEach((c) => out.add(c.field));
  }
  return [...out].sort();
}
