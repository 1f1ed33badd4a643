// mapRow: one source row -> the target payload, pure given the lookup resolver. Dataverse payloads
// bind lookups with `@odata.bind`; F&O payloads are plain fields plus the key.
import {
  fieldFlows, fieldId, lookupValueAttribute, mapFlows,
  type FieldMapping, type LookupTransform, type Scalar, type SyncDirection, type TableMap,
} from './maps/types';
import { booleanToNoYes, noYesToBoolean, valueMapToDataverse, valueMapToFno, type TransformResult } from './maps/transforms';

export type LookupRequest =
  /** Dataverse id of the `entitySet` row whose `keyColumn` equals `value` (in `company` when given). */
  | { want: 'id'; lookup: LookupTransform; value: string; company?: string }
  /** The `keyColumn` value of the `entitySet` row with this id. */
  | { want: 'key'; lookup: LookupTransform; id: string };

export interface MapContext {
  /** null when no such row exists (yet). May be async: the worker reads or caches the related rows. */
  resolveLookup(req: LookupRequest): Promise<string | null> | string | null;
}

export interface FieldProblem {
  field: string;
  /** 'value': a value the map cannot translate (permanent); 'lookup': the related row is missing (may appear later). */
  kind: 'value' | 'lookup';
  message: string;
}

export interface MapResult {
  /** The body to write: Dataverse columns (lookups as `<nav>@odata.bind`) or F&O fields. */
  payload: Record<string, unknown>;
  /** The target key: F&O key fields, or Dataverse alternate key columns (company as its cdm_company id). */
  key: Record<string, Scalar>;
  /** Self references left out because their row does not exist yet: write them in a second pass. */
  deferred: string[];
  problems: FieldProblem[];
}

export interface MapOptions {
  /** Only these field ids (key fields are always mapped); default: every field that flows. */
  only?: readonly string[];
}

function scalar(value: unknown): Scalar {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'object' && 'Id' in value) return String((value).Id);
  return JSON.stringify(value);
}

function sourceColumn(f: FieldMapping, direction: SyncDirection): string | null {
  if (direction === 'fno_to_dataverse') return f.fno;
  if (!f.dataverse) return null;
  return f.transform?.kind === 'lookup' ? lookupValueAttribute(f.dataverse) : f.dataverse;
}

function readSource(row: Record<string, unknown>, f: FieldMapping, direction: SyncDirection): { present: boolean; value: Scalar } {
  const column = sourceColumn(f, direction);
  if (column === null) return { present: false, value: null };
  if (Object.prototype.hasOwnProperty.call(row, column)) return { present: true, value: scalar(row[column]) };
  // A webhook Target names a lookup by its column and carries an EntityReference.
  if (direction === 'dataverse_to_fno' && f.dataverse && Object.prototype.hasOwnProperty.call(row, f.dataverse)) {
    return { present: true, value: scalar(row[f.dataverse]) };
  }
  return { present: false, value: null };
}

function plainTransform(f: FieldMapping, direction: SyncDirection, value: Scalar): TransformResult {
  const t = f.transform;
  if (!t || t.kind === 'lookup') return { ok: true, value };
  if (t.kind === 'valueMap') return direction === 'fno_to_dataverse' ? valueMapToDataverse(t, value) : valueMapToFno(t, value);
  return direction === 'fno_to_dataverse' ? noYesToBoolean(t, value) : booleanToNoYes(t, value);
}

export async function mapRow(
  map: TableMap, direction: SyncDirection, sourceRow: Record<string, unknown>, ctx: MapContext, options: MapOptions = {},
): Promise<MapResult> {
  const result: MapResult = { payload: {}, key: {}, deferred: [], problems: [] };
  if (!mapFlows(map, direction)) {
    result.problems.push({ field: '*', kind: 'value', message: `map ${map.name} does not sync ${direction.replace(/_/g, ' ')}` });
    return result;
  }
  const toDataverse = direction === 'fno_to_dataverse';
  const company = map.fno.companyField ? scalar(sourceRow[map.fno.companyField]) : null;
  const only = options.only ? new Set(options.only) : null;

  for (const f of map.fields) {
    const target = toDataverse ? f.dataverse : f.fno;
    if (target === null || !(f.key || fieldFlows(f, direction))) continue;
    if (only && !f.key && !only.has(fieldId(f))) continue;
    const source = readSource(sourceRow, f, direction);
    let value: Scalar = source.value;
    if (value === null && f.default !== undefined) value = f.default;
    else if (!source.present && f.default === undefined) continue;

    const t = f.transform;
    if (t?.kind === 'lookup') {
      const resolved = await resolve(t, toDataverse, value, typeof company === 'string' ? company : undefined, ctx);
      if (!resolved.found) {
        if (t.selfReference) { result.deferred.push(fieldId(f)); continue; }
        result.problems.push({
          field: target, kind: 'lookup',
          message: toDataverse
            ? `no ${t.table} row has ${t.keyColumn} '${String(value)}'${t.companyScoped && company ? ` in company ${String(company)}` : ''}: sync that row first`
            : `the ${t.table} row ${String(value)} that ${f.dataverse} points to was not found, or has no ${t.keyColumn}`,
        });
        continue;
      }
      value = resolved.value;
      if (toDataverse) {
        const nav = t.bindProperty ?? target;
        result.payload[`${nav}@odata.bind`] = value === null ? null : `/${t.entitySet}(${value})`;
        if (f.key) result.key[target] = value;
        continue;
      }
    } else {
      const transformed = plainTransform(f, direction, value);
      if (!transformed.ok) {
        result.problems.push({ field: target, kind: 'value', message: `${f.fno ?? f.dataverse}: ${transformed.message}` });
        continue;
      }
      value = transformed.value;
    }
    result.payload[target] = value;
    if (f.key) result.key[target] = value;
  }
  return result;
}

async function resolve(
  t: LookupTransform, toDataverse: boolean, value: Scalar, company: string | undefined, ctx: MapContext,
): Promise<{ found: true; value: Scalar } | { found: false }> {
  // F&O strings are never null: an empty code means "no related row", as null does.
  if (value === null || value === '') return { found: true, value: null };
  const found = toDataverse
    ? await ctx.resolveLookup({ want: 'id', lookup: t, value: String(value), company: t.companyScoped ? company : undefined })
    : await ctx.resolveLookup({ want: 'key', lookup: t, id: String(value) });
  return found === null ? { found: false } : { found: true, value: found };
}
