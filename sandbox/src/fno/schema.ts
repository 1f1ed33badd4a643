// The F&O entity schema served by the sandbox, read at start from the real metadata extracts in ./metadata
// (so the 305 CustomerV3 properties are never hand-copied). Properties whose enum type has no verbatim
// member list are left out: a record may lack properties of the real entity but never carry invented ones.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EXTRA_ENTITIES, SUPPLEMENTAL_ENUMS } from './extra-entities';
import type { EntitySchema, EnumSchema, FnoSchema, PropertySchema } from './schema-types';

export type { EntitySchema, EnumSchema, FnoSchema, PropertySchema };

export const NS = 'Microsoft.Dynamics.DataEntities';

const DIR = fileURLToPath(new URL('./metadata/', import.meta.url));

/** [TSV file stem, entity set] of the verbatim or reconstructed metadata. */
const FROM_TSV: [string, string][] = [
  ['CustomerV3', 'CustomersV3'], ['VendorV2', 'VendorsV2'], ['ReleasedProductV2', 'ReleasedProductsV2'],
  ['SalesOrderHeaderV2', 'SalesOrderHeadersV2'], ['SalesInvoiceHeaderV2', 'SalesInvoiceHeadersV2'],
  ['LegalEntity', 'LegalEntities'], ['CustomerGroup', 'CustomerGroups'], ['PaymentTerm', 'PaymentTerms'],
];

export function parseEnumsXml(xml: string): EnumSchema[] {
  const out: EnumSchema[] = [];
  for (const m of xml.matchAll(/<EnumType Name="([^"]+)"[^>]*>([\s\S]*?)<\/EnumType>/g)) {
    const members = [...m[2].matchAll(/<Member Name="([^"]+)" Value="(-?\d+)"/g)].map((mm) => ({ name: mm[1], value: Number(mm[2]) }));
    out.push({ name: m[1], members });
  }
  return out;
}

export function parsePropertiesTsv(tsv: string): { properties: PropertySchema[]; keys: string[] } {
  const properties: PropertySchema[] = [];
  const keys: string[] = [];
  for (const line of tsv.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const [name, type, nullable, key] = line.split('\t');
    properties.push({ name, type, nullable: nullable === 'true' });
    if (key?.trim() === 'key') keys.push(name);
  }
  return { properties, keys };
}

function makeEntity(entitySet: string, typeName: string, keys: string[], properties: PropertySchema[]): EntitySchema {
  return { entitySet, typeName, keys, properties, companyScoped: keys.includes('dataAreaId'), byName: new Map(properties.map((p) => [p.name, p])) };
}

let cached: FnoSchema | undefined;

export function loadFnoSchema(): FnoSchema {
  if (cached) return cached;
  const enums = new Map<string, EnumSchema>();
  for (const e of [...parseEnumsXml(readFileSync(`${DIR}CustomerV3.enums.xml`, 'utf8')), ...SUPPLEMENTAL_ENUMS]) enums.set(e.name, e);
  const known = (type: string): boolean => type.startsWith('Edm.') || enums.has(type.replace(`${NS}.`, ''));
  const entities = new Map<string, EntitySchema>();
  for (const [stem, set] of FROM_TSV) {
    const { properties, keys } = parsePropertiesTsv(readFileSync(`${DIR}${stem}.properties.tsv`, 'utf8'));
    entities.set(set, makeEntity(set, stem, keys, properties.filter((p) => known(p.type))));
  }
  for (const x of EXTRA_ENTITIES) entities.set(x.entitySet, makeEntity(x.entitySet, x.typeName, x.keys, x.properties));
  cached = { entities, enums };
  return cached;
}

/** Enum type name without namespace, or undefined for Edm types. */
export function enumTypeOf(p: PropertySchema): string | undefined {
  return p.type.startsWith(`${NS}.`) ? p.type.slice(NS.length + 1) : undefined;
}
