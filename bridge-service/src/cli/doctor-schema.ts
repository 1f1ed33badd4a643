// `doctor`'s check of the Dataverse schema the enabled maps need: every table, column and alternate key they read
// or write, asked of the table definitions (EntityDefinitions), with the missing ones named. Most of them
// (cdm_company, msdyn_*, account.msdyn_*) come with Microsoft's dual-write core solutions.
import type { TableMap } from '../sync/core/maps/types';
import type { Check } from './doctor-checks';

export interface TableNeeds {
  table: string;
  columns: Set<string>;
  /** Alternate keys the maps address rows by (columns, in any order). */
  keys: string[][];
  /** The maps that need the table. */
  maps: Set<string>;
}

/** The tables, columns and keys the maps need, by table. Pure. */
export function schemaNeeds(maps: readonly TableMap[]): TableNeeds[] {
  const byTable = new Map<string, TableNeeds>();
  const need = (table: string, map: string): TableNeeds => {
    let t = byTable.get(table);
    if (!t) byTable.set(table, (t = { table, columns: new Set(), keys: [], maps: new Set() }));
    t.maps.add(map);
    return t;
  };
  const addKey = (t: TableNeeds, cols: readonly string[]) => {
    const sorted = [...cols].sort();
    if (!t.keys.some((k) => k.join() === sorted.join())) t.keys.push(sorted);
  };
  for (const m of maps) {
    const t = need(m.dataverse.table, m.name);
    for (const c of [m.dataverse.primaryId, m.dataverse.modifiedField, ...m.dataverse.alternateKey]) t.columns.add(c);
    if (m.dataverse.companyLookup) t.columns.add(m.dataverse.companyLookup);
    if (m.dataverse.alternateKey.length) addKey(t, m.dataverse.alternateKey);
    for (const f of m.fields) {
      if (f.dataverse) t.columns.add(f.dataverse);
      if (f.transform?.kind === 'lookup') need(f.transform.table, m.name).columns.add(f.transform.keyColumn);
    }
  }
  return [...byTable.values()].sort((a, b) => a.table.localeCompare(b.table));
}

export interface TableDefinition {
  Attributes?: { LogicalName?: unknown }[];
  Keys?: { KeyAttributes?: unknown }[];
}

/** What a table lacks of what the maps need, in words; empty when nothing. Pure. */
export function schemaProblems(needs: TableNeeds, def: TableDefinition): string[] {
  const have = new Set((def.Attributes ?? []).map((a) => String(a.LogicalName).toLowerCase()));
  const problems: string[] = [];
  const missing = [...needs.columns].filter((c) => !have.has(c.toLowerCase())).sort();
  if (missing.length) problems.push(`${needs.table} has no column ${missing.join(', ')}`);
  const keys = (def.Keys ?? []).map((k) => (Array.isArray(k.KeyAttributes) ? k.KeyAttributes.map((a) => String(a).toLowerCase()).sort().join() : ''));
  for (const k of needs.keys) {
    if (!keys.includes(k.map((c) => c.toLowerCase()).join())) problems.push(`${needs.table} has no alternate key on (${k.join(', ')})`);
  }
  return problems;
}

/** One table's definition: the definition, null when the table does not exist (404), or why it could not be read. */
export type GetDefinition = (table: string) => Promise<TableDefinition | null | string>;

export const DEFINITION_QUERY = (table: string): string =>
  `EntityDefinitions(LogicalName='${table}')?$select=LogicalName&$expand=Attributes($select=LogicalName),Keys($select=KeyAttributes)`;

const FIX = 'install Microsoft\'s dual-write core solutions (Dual-write Application Core; docs/admin-guide.md, section 3b), or leave the maps that need it out of SYNC_MAPS';

export async function schemaChecks(get: GetDefinition, maps: readonly TableMap[], checks: Check[]): Promise<void> {
  const needs = schemaNeeds(maps);
  let fine = 0;
  for (const n of needs) {
    const def = await get(n.table);
    const used = `needed by ${[...n.maps].sort().join(', ')}`;
    if (typeof def === 'string') {
      checks.push({ name: `table ${n.table}`, status: 'warn', detail: `cannot read its definition (${def}); ${used}`, fix: 'give the application user read access to table definitions (every security role has it by default)' });
    } else if (def === null) {
      checks.push({ name: `table ${n.table}`, status: 'fail', detail: `does not exist in this environment; ${used}`, fix: FIX });
    } else {
      const problems = schemaProblems(n, def);
      if (problems.length) checks.push({ name: `table ${n.table}`, status: 'fail', detail: `${problems.join('; ')}; ${used}`, fix: FIX });
      else fine++;
    }
  }
  if (fine === needs.length) checks.push({ name: 'Dataverse schema', status: 'ok', detail: `the ${needs.length} tables the enabled maps use have every column and alternate key they need` });
}
