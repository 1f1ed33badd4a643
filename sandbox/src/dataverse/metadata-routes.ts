// Table definitions as the Web API's metadata entity set serves them:
// `EntityDefinitions`, `EntityDefinitions(LogicalName='account')` and `EntityDefinitions(<MetadataId>)`, with
// `$select` on the definition and `$expand=Attributes,Keys`. Read-only and readable by every caller, as on
// the platform (every user has prvReadEntity). Filters are limited to `LogicalName eq '<name>'`.
import { dvId } from './seed';
import { DataverseError, dvErrors } from './errors';
import type { TableDef } from './schema-types';
import { TABLE_BY_NAME, TABLES } from './tables';

const DEFINITION_PROPS = ['MetadataId', 'LogicalName', 'SchemaName', 'EntitySetName', 'LogicalCollectionName', 'PrimaryIdAttribute', 'PrimaryNameAttribute', 'ObjectTypeCode'] as const;

/** `@odata.type` of an attribute, after the platform's AttributeMetadata subtypes. */
const ATTRIBUTE_ODATA_TYPE: Record<string, string> = {
  String: 'StringAttributeMetadata', Memo: 'MemoAttributeMetadata', Integer: 'IntegerAttributeMetadata', BigInt: 'BigIntAttributeMetadata',
  Double: 'DoubleAttributeMetadata', Decimal: 'DecimalAttributeMetadata', Money: 'MoneyAttributeMetadata', Boolean: 'BooleanAttributeMetadata',
  DateTime: 'DateTimeAttributeMetadata', Uniqueidentifier: 'UniqueIdentifierAttributeMetadata', Picklist: 'PicklistAttributeMetadata',
  State: 'StateAttributeMetadata', Status: 'StatusAttributeMetadata', Lookup: 'LookupAttributeMetadata', Owner: 'LookupAttributeMetadata',
  Customer: 'LookupAttributeMetadata', EntityName: 'EntityNameAttributeMetadata',
};

export function definitionOf(t: TableDef, select: string[] | undefined, expand: Set<string>): Record<string, unknown> {
  const all: Record<string, unknown> = {
    MetadataId: dvId('entitymetadata', t.logicalName), LogicalName: t.logicalName, SchemaName: t.logicalName, EntitySetName: t.entitySet,
    LogicalCollectionName: t.entitySet, PrimaryIdAttribute: t.primaryKey, PrimaryNameAttribute: t.primaryName, ObjectTypeCode: t.objectTypeCode,
  };
  const out: Record<string, unknown> = select ? Object.fromEntries(select.map((p) => [p, all[p] ?? null])) : all;
  if (expand.has('Attributes')) {
    out.Attributes = Object.entries(t.columns).map(([name, type]) => ({
      '@odata.type': `#Microsoft.Dynamics.CRM.${ATTRIBUTE_ODATA_TYPE[type] ?? 'AttributeMetadata'}`,
      MetadataId: dvId('attributemetadata', `${t.logicalName}.${name}`), LogicalName: name, SchemaName: name, AttributeType: type,
      IsValidForRead: !(t.writeOnly ?? []).includes(name),
      ...(t.lookups[name] ? { Targets: t.lookups[name].targets } : {}),
    }));
  }
  if (expand.has('Keys')) {
    out.Keys = t.alternateKeys.map((cols) => ({ LogicalName: cols.join('_'), KeyAttributes: cols, EntityKeyIndexStatus: 'Active' }));
  }
  return out;
}

function parseOptions(search: URLSearchParams): { select?: string[]; expand: Set<string>; filterName?: string } {
  const select = search.get('$select')?.split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of select ?? []) {
    if (!(DEFINITION_PROPS as readonly string[]).includes(p)) throw dvErrors.badQuery(`Could not find a property named '${p}' on type 'Microsoft.Dynamics.CRM.EntityMetadata'. The sandbox serves ${DEFINITION_PROPS.join(', ')}.`);
  }
  const expand = new Set<string>();
  for (const part of (search.get('$expand') ?? '').split(/,(?![^(]*\))/).map((s) => s.trim()).filter(Boolean)) {
    const nav = part.replace(/\(.*\)$/, '');
    if (nav !== 'Attributes' && nav !== 'Keys') throw dvErrors.badQuery(`EntityMetadata has no navigation property '${nav}' the sandbox serves: expand Attributes or Keys.`);
    expand.add(nav);
  }
  const filter = search.get('$filter');
  let filterName: string | undefined;
  if (filter) {
    const m = /^\s*LogicalName\s+eq\s+'([^']*)'\s*$/.exec(filter);
    if (!m) throw dvErrors.badQuery(`The sandbox filters EntityDefinitions only by LogicalName eq '<name>', not by: ${filter}`);
    filterName = m[1];
  }
  return { select, expand, filterName };
}

/** Answers a GET under EntityDefinitions; undefined when the path is not a metadata path. */
export function entityDefinitions(apiUrl: string, method: string, path: string, search: URLSearchParams, missing: ReadonlySet<string> = new Set()): { status: number; body: unknown } | undefined {
  const m = /^EntityDefinitions(?:\((.*)\))?$/.exec(path);
  if (!m) return undefined;
  if (method !== 'GET') throw new DataverseError(405, '0x80060888', `${method} is not supported on EntityDefinitions in the sandbox: table definitions are read-only here.`);
  const opts = parseOptions(search);
  const context = `${apiUrl}/$metadata#EntityDefinitions${opts.select ? `(${opts.select.join(',')})` : ''}`;
  if (m[1] === undefined) {
    const present = TABLES.filter((t) => !missing.has(t.logicalName));
    const tables = opts.filterName === undefined ? present : present.filter((t) => t.logicalName === opts.filterName);
    return { status: 200, body: { '@odata.context': context, value: tables.map((t) => definitionOf(t, opts.select, opts.expand)) } };
  }
  const byName = /^LogicalName='([^']*)'$/.exec(m[1]);
  const found = byName ? TABLE_BY_NAME.get(byName[1]) : TABLES.find((x) => dvId('entitymetadata', x.logicalName) === m[1].toLowerCase());
  const t = found && !missing.has(found.logicalName) ? found : undefined;
  if (!t) throw new DataverseError(404, '0x80040217', `Could not find an entity with ${byName ? `LogicalName = ${byName[1]}` : `MetadataId = ${m[1]}`}.`);
  return { status: 200, body: { '@odata.context': `${context}/$entity`, ...definitionOf(t, opts.select, opts.expand) } };
}
