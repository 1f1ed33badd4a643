// Converting between Web API JSON and stored rows: @odata.bind lookups in, `_x_value` lookups and
// annotations out. Stored rows keep lookups as `_x_value` plus the target's logical name annotation.
import { numericEtag, parseKeySegment, ODataSyntaxError } from '../odata';
import { checkLength } from './column-limits';
import { dvErrors } from './errors';
import { isLookupType, LOOKUP_TARGET_ANNOTATION, lookupValueKey, type TableDef } from './schema-types';
import { navigationProperty, TABLE_BY_NAME, TABLE_BY_SET } from './tables';
import type { DataverseStore, Row } from './store';

const READ_ONLY = new Set(['createdon', 'modifiedon', 'versionnumber', 'createdby', 'modifiedby', 'createdonbehalfby', 'modifiedonbehalfby', 'owningbusinessunit', 'owningteam', 'owninguser']);
/** English labels of the option sets the demo uses (the platform answers in the caller's language). */
const OPTION_LABELS: Record<string, Record<number, string>> = {
  msdyn_onholdstatus: { 806380000: 'No', 806380001: 'Invoice', 806380002: 'All', 806380003: 'Payment', 806380004: 'Requisition', 806380005: 'Never' },
  customertypecode: { 1: 'Competitor', 2: 'Consultant', 3: 'Customer', 4: 'Investor', 5: 'Partner', 6: 'Influencer', 7: 'Press', 8: 'Prospect', 9: 'Reseller', 10: 'Supplier', 11: 'Vendor', 12: 'Other' },
  statecode: { 0: 'Active', 1: 'Inactive' },
};
const NUMERIC = new Set(['Integer', 'BigInt', 'Double', 'Decimal', 'Money', 'Picklist', 'State', 'Status']);

/** Finds a row by `(guid)` or alternate key `(a='x',_msdyn_company_value=<guid>)`; undefined when missing. */
export function findByKey(store: DataverseStore, t: TableDef, keyInner: string): { row?: Row; keyValues: Row; byAlternateKey: boolean } {
  let key: Record<string, string | number>;
  try {
    key = parseKeySegment(keyInner);
  } catch (e) {
    throw dvErrors.badQuery(e instanceof ODataSyntaxError ? e.message : String(e));
  }
  if ('' in key) {
    const id = String(key['']);
    return { row: store.get(t.logicalName, id), keyValues: { [t.primaryKey]: id.toLowerCase() }, byAlternateKey: false };
  }
  // A lookup in an alternate key is addressed by its value attribute, as the platform documents it:
  // accounts(accountnumber='X',_msdyn_company_value=<guid>). The bare lookup name is refused with that hint.
  for (const k of Object.keys(key)) {
    const lookup = /^_(\w+)_value$/.exec(k);
    if (lookup && isLookupType(t.columns[lookup[1]])) { key[lookup[1]] = key[k]; delete key[k]; continue; }
    if (isLookupType(t.columns[k])) throw dvErrors.badQuery(`Address the lookup ${k} of an alternate key by its value attribute: _${k}_value=<guid>.`);
  }
  const names = Object.keys(key).sort();
  const alt = t.alternateKeys.find((k) => k.length === names.length && [...k].sort().every((n, i) => n === names[i]));
  if (!alt) {
    throw dvErrors.badQuery(`The key (${names.join(', ')}) is not an alternate key of ${t.logicalName}. Alternate keys: ${t.alternateKeys.map((k) => `(${k.join(', ')})`).join(' ') || 'none'}.`);
  }
  const keyValues: Row = {};
  for (const n of alt) {
    if (isLookupType(t.columns[n])) {
      keyValues[lookupValueKey(n)] = String(key[n]).toLowerCase();
      keyValues[lookupValueKey(n) + LOOKUP_TARGET_ANNOTATION] = t.lookups[n]?.targets[0];
    } else keyValues[n] = key[n];
  }
  const match = (r: Row) => Object.entries(keyValues).every(([k, v]) =>
    k.includes('@') || (typeof v === 'string' && typeof r[k] === 'string' ? (r[k]).toLowerCase() === v.toLowerCase() : r[k] === v));
  const columns = Object.keys(keyValues).filter((k) => !k.includes('@'));
  const candidates = store.lookup(t.logicalName, columns, columns.map((c) => keyValues[c]));
  return { row: candidates.find(match), keyValues, byAlternateKey: true };
}

/** `/cdm_companies(<guid>)`, `cdm_companies(cdm_companycode='usmf')` or an absolute URL -> the row. */
export function resolveBind(store: DataverseStore, ref: string): { table: TableDef; row: Row } {
  const m = /([A-Za-z_]\w*)\((.*)\)\s*$/.exec(decodeURIComponent(ref.replace(/^.*\/api\/data\/v[\d.]+\//, '')));
  const t = m ? TABLE_BY_SET.get(m[1]) : undefined;
  if (!m || !t) throw dvErrors.badRequest(`The @odata.bind value '${ref}' is not a reference such as /accounts(<guid>).`);
  const found = findByKey(store, t, m[2]);
  if (!found.row) throw found.byAlternateKey ? dvErrors.notFoundByKey(t.logicalName) : dvErrors.notFoundById(t.logicalName, String(found.keyValues[t.primaryKey]));
  return { table: t, row: found.row };
}

/** Turns a request body into the stored-column patch, validating names and types as the platform does. */
export function bodyToPatch(store: DataverseStore, t: TableDef, body: unknown): Row {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw dvErrors.badRequest('The request body must be a JSON object.');
  const patch: Row = {};
  for (const [k, v] of Object.entries(body as Row)) {
    if (k.startsWith('@odata.')) continue;
    const bind = /^(\w+)@odata\.bind$/.exec(k);
    if (bind) {
      const nav = navigationProperty(t, bind[1]);
      if (!nav) throw dvErrors.badRequest(`An undeclared property '${bind[1]}' which only has property annotations in the payload but no property value was found in the payload. Use the navigation property name of a lookup of ${t.logicalName}.`);
      if (v === null) { patch[lookupValueKey(nav.column)] = null; continue; }
      if (typeof v !== 'string') throw dvErrors.badRequest(`${k} must be a string such as "/accounts(<guid>)".`);
      const { table, row } = resolveBind(store, v);
      const allowed = t.lookups[nav.column].targets;
      if ((nav.target && nav.target !== table.logicalName) || (allowed.length && !allowed.includes(table.logicalName))) {
        throw dvErrors.badRequest(`${k} cannot point at a ${table.logicalName}: it expects ${nav.target ?? allowed.join(' or ')}.`);
      }
      patch[lookupValueKey(nav.column)] = String(row[table.primaryKey]);
      patch[lookupValueKey(nav.column) + LOOKUP_TARGET_ANNOTATION] = table.logicalName;
      continue;
    }
    const type = t.columns[k];
    if (!type) throw dvErrors.badRequest(`The property '${k}' does not exist on type 'Microsoft.Dynamics.CRM.${t.logicalName}'. Make sure to only use property names that are defined by the type.`);
    if (isLookupType(type)) throw dvErrors.badRequest(`The lookup '${k}' of ${t.logicalName} is set with "${k}@odata.bind": "/<entityset>(<id>)".`);
    if (READ_ONLY.has(k)) continue;
    if (v !== null) {
      if (NUMERIC.has(type) && typeof v !== 'number') throw dvErrors.badRequest(`Cannot convert the literal '${JSON.stringify(v)}' to the expected type 'Edm.${type === 'Money' ? 'Decimal' : type}' of ${k}.`);
      if (type === 'Boolean' && typeof v !== 'boolean') throw dvErrors.badRequest(`Cannot convert the literal '${JSON.stringify(v)}' to the expected type 'Edm.Boolean' of ${k}.`);
      if ((type === 'String' || type === 'Memo' || type === 'EntityName') && typeof v !== 'string') throw dvErrors.badRequest(`Cannot convert '${JSON.stringify(v)}' to the expected type 'Edm.String' of ${k}.`);
      if (typeof v === 'string') checkLength(t.logicalName, k, v, store.customMaxLengths);
    }
    patch[k] = v;
  }
  return patch;
}

export interface ShapeOptions {
  select?: string[];
  annotations: boolean;
}

/** A stored row as the Web API returns it. */
export function rowToJson(store: DataverseStore, t: TableDef, row: Row, opts: ShapeOptions): Row {
  const out: Row = { '@odata.etag': numericEtag(Number(row.versionnumber)) };
  const selected = opts.select && !opts.select.includes('*') ? new Set([...opts.select, t.primaryKey]) : undefined;
  for (const [k, v] of Object.entries(row)) {
    if (k.includes('@')) continue;
    if (t.writeOnly?.includes(k)) continue;
    if (selected && !selected.has(k)) continue;
    out[k] = v;
    if (!opts.annotations) continue;
    const lookup = /^_(\w+)_value$/.exec(k);
    if (lookup && typeof v === 'string') {
      const target = row[k + LOOKUP_TARGET_ANNOTATION] as string | undefined;
      const tt = target ? TABLE_BY_NAME.get(target) : undefined;
      const ref = tt ? store.get(tt.logicalName, v) : undefined;
      if (ref && tt) out[`${k}@OData.Community.Display.V1.FormattedValue`] = ref[tt.primaryName];
      out[`${k}@Microsoft.Dynamics.CRM.associatednavigationproperty`] = t.lookups[lookup[1]]?.targets.length === 1 ? lookup[1] : `${lookup[1]}_${target}`;
      out[`${k}@Microsoft.Dynamics.CRM.lookuplogicalname`] = target;
    } else if (t.columns[k] === 'Boolean' && typeof v === 'boolean') {
      out[`${k}@OData.Community.Display.V1.FormattedValue`] = v ? 'Yes' : 'No';
    } else if (typeof v === 'number' && OPTION_LABELS[k]?.[v]) {
      out[`${k}@OData.Community.Display.V1.FormattedValue`] = OPTION_LABELS[k][v];
    } else if (t.columns[k] === 'Money' && typeof v === 'number') {
      out[`${k}@OData.Community.Display.V1.FormattedValue`] = v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
  }
  // Every column comes back, null included: the selected ones, or (without $select) all the table has.
  for (const s of selected ?? queryableNames(t)) if (!(s in out) && !s.includes('/')) out[s] = null;
  return out;
}

/** Names a client may use in $select/$filter/$orderby for a table. */
export function queryableNames(t: TableDef): Set<string> {
  const names = new Set<string>();
  for (const [c, type] of Object.entries(t.columns)) {
    if (t.writeOnly?.includes(c)) continue;
    names.add(isLookupType(type) ? lookupValueKey(c) : c);
  }
  return names;
}
