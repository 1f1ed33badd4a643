// What a running sandbox says it serves, reduced to names: F&O entity sets from the CSDL of /data/$metadata,
// Dataverse tables from EntityDefinitions. Pure parsing and comparison, so a broken map shows up as a
// readable list of problems rather than a failed boolean.
import type { TableMap } from '../../bridge-service/src/sync/core/maps/types';

export interface FnoServedEntity { keys: string[]; properties: Set<string> }
export interface FnoServedSchema { entitySets: Map<string, FnoServedEntity>; enums: Map<string, string[]> }
export interface DvServedTable { entitySet: string; primaryId: string; columns: Set<string>; keys: string[][] }
export type DvServedSchema = Map<string, DvServedTable>;

export function parseCsdl(xml: string): FnoServedSchema {
  const types = new Map<string, FnoServedEntity>();
  for (const m of xml.matchAll(/<EntityType Name="([^"]+)"[^>]*>([\s\S]*?)<\/EntityType>/g)) {
    const keys = [...(/<Key>([\s\S]*?)<\/Key>/.exec(m[2])?.[1] ?? '').matchAll(/<PropertyRef Name="([^"]+)"/g)].map((k) => k[1]);
    const properties = new Set([...m[2].matchAll(/<Property Name="([^"]+)"/g)].map((p) => p[1]));
    types.set(m[1], { keys, properties });
  }
  const entitySets = new Map<string, FnoServedEntity>();
  for (const m of xml.matchAll(/<EntitySet Name="([^"]+)" EntityType="[^"]*?\.([^".]+)"/g)) {
    const t = types.get(m[2]);
    if (t) entitySets.set(m[1], t);
  }
  const enums = new Map<string, string[]>();
  for (const m of xml.matchAll(/<EnumType Name="([^"]+)"[^>]*>([\s\S]*?)<\/EnumType>/g)) {
    enums.set(m[1], [...m[2].matchAll(/<Member Name="([^"]+)"/g)].map((x) => x[1]));
  }
  return { entitySets, enums };
}

interface EntityDefinitionJson {
  LogicalName: string; EntitySetName: string; PrimaryIdAttribute: string;
  Attributes: { LogicalName: string }[]; Keys: { KeyAttributes: string[] }[];
}

export function parseEntityDefinitions(body: { value: EntityDefinitionJson[] }): DvServedSchema {
  return new Map(body.value.map((d) => [d.LogicalName, {
    entitySet: d.EntitySetName, primaryId: d.PrimaryIdAttribute,
    columns: new Set(d.Attributes.map((a) => a.LogicalName)), keys: d.Keys.map((k) => k.KeyAttributes),
  }]));
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

/** Every name a map uses that the served schema lacks, as "<map>: <what>" lines; [] when all are served. */
export function coverageProblems(maps: readonly TableMap[], fno: FnoServedSchema, dv: DvServedSchema): string[] {
  const out: string[] = [];
  for (const map of maps) {
    const say = (what: string) => out.push(`${map.name}: ${what}`);
    const entity = fno.entitySets.get(map.fno.entitySet);
    if (!entity) say(`F&O serves no entity set ${map.fno.entitySet}`);
    else {
      if (!sameSet(map.fno.keys, entity.keys)) say(`F&O ${map.fno.entitySet} is keyed by (${entity.keys.join(', ')}), the map says (${map.fno.keys.join(', ')})`);
      const names = [...map.fno.keys, ...map.fields.map((f) => f.fno), ...(map.filters?.fno ?? []).map((c) => c.field), map.fno.companyField, map.fno.modifiedField];
      for (const n of new Set(names)) if (n && !entity.properties.has(n)) say(`F&O ${map.fno.entitySet} has no property ${n}`);
    }
    const table = dv.get(map.dataverse.table);
    if (!table) { say(`Dataverse has no table ${map.dataverse.table}`); continue; }
    if (table.entitySet !== map.dataverse.entitySet) say(`Dataverse table ${map.dataverse.table} is served as ${table.entitySet}, the map says ${map.dataverse.entitySet}`);
    if (table.primaryId !== map.dataverse.primaryId) say(`Dataverse ${map.dataverse.table} primary id is ${table.primaryId}, the map says ${map.dataverse.primaryId}`);
    if (!table.keys.some((k) => sameSet(k, map.dataverse.alternateKey))) say(`Dataverse ${map.dataverse.table} has no alternate key (${map.dataverse.alternateKey.join(', ')})`);
    const columns = [...map.dataverse.alternateKey, ...map.fields.map((f) => f.dataverse), ...(map.filters?.dataverse ?? []).map((c) => c.field),
      map.dataverse.companyLookup, map.dataverse.modifiedField];
    for (const c of new Set(columns)) if (c && !table.columns.has(c)) say(`Dataverse ${map.dataverse.table} has no column ${c}`);
    for (const f of map.fields) {
      const t = f.transform;
      if (t?.kind === 'lookup') {
        const related = dv.get(t.table);
        if (!related) say(`lookup ${f.dataverse ?? '?'} targets table ${t.table}, which Dataverse does not serve`);
        else {
          if (related.entitySet !== t.entitySet) say(`lookup ${f.dataverse ?? '?'}: ${t.table} is served as ${related.entitySet}, not ${t.entitySet}`);
          if (!related.columns.has(t.keyColumn)) say(`lookup ${f.dataverse ?? '?'}: ${t.table} has no column ${t.keyColumn}`);
        }
      }
      if (t?.kind === 'valueMap' && t.fnoEnum) {
        const members = fno.enums.get(t.fnoEnum);
        if (!members) say(`value map of ${f.fno ?? '?'} names enum ${t.fnoEnum}, which F&O's $metadata lacks`);
        else for (const p of [...t.pairs, ...(t.fnoOnly ?? [])]) if (!members.includes(String(p.fno))) say(`enum ${t.fnoEnum} has no member ${String(p.fno)}`);
      }
    }
  }
  return out;
}
