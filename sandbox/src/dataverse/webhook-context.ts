// Builds the RemoteExecutionContext a Dataverse webhook POSTs. Asynchronous steps (mode 1) write Guid and
// DateTime values bare; synchronous steps (mode 0) wrap them as {"__type":"Guid:#System","__value":...}.
import { isLookupType, LOOKUP_TARGET_ANNOTATION, type TableDef } from './schema-types';
import { text, type Row } from './store';

const CONTRACTS = 'http://schemas.microsoft.com/xrm/2011/Contracts';

export type MessageName = 'Create' | 'Update' | 'Delete';

export interface ContextInput {
  table: TableDef;
  message: MessageName;
  id: string;
  /** Target attributes (stored form) as the request sent them; absent for Delete. */
  target?: Row;
  images: { pre: { alias: string; row: Row }[]; post: { alias: string; row: Row }[] };
  mode: 0 | 1;
  stage: number;
  stepId: string;
  stepName: string | null;
  userId: string;
  initiatingUserId: string;
  businessUnitId: string;
  organizationId: string;
  organizationName: string;
  correlationId: string;
  operationId: string;
  requestId: string | null;
  now: Date;
  /** Over 256 KB: Target and images are dropped. */
  dropTargetAndImages?: boolean;
}

const msDate = (d: Date | string): string => `/Date(${typeof d === 'string' ? Date.parse(d) : d.getTime()})/`;

function encodeValue(t: TableDef, column: string, v: unknown, sync: boolean, row: Row): unknown {
  if (v === null || v === undefined) return null;
  const type = t.columns[column];
  if (isLookupType(type)) {
    return { __type: `EntityReference:${CONTRACTS}`, Id: v, KeyAttributes: [], LogicalName: row[`_${column}_value${LOOKUP_TARGET_ANNOTATION}`] ?? null, Name: null, RowVersion: null };
  }
  if (type === 'Uniqueidentifier') return sync ? { __type: 'Guid:#System', __value: v } : v;
  if (type === 'DateTime') return sync ? { __type: 'DateTime:#System', __value: msDate(text(v)) } : msDate(text(v));
  if (type === 'Money') return { __type: `Money:${CONTRACTS}`, Value: v };
  if (type === 'Picklist' || type === 'State' || type === 'Status') return { __type: `OptionSetValue:${CONTRACTS}`, Value: v };
  return v;
}

/** Stored row -> the SDK's Entity shape (lookups back under their logical names). */
export function toEntity(t: TableDef, id: string, row: Row, sync: boolean, withType: boolean): Row {
  const attrs: { key: string; value: unknown }[] = [];
  for (const [k, v] of Object.entries(row)) {
    if (k.includes('@')) continue;
    const lookup = /^_(\w+)_value$/.exec(k);
    const column = lookup ? lookup[1] : k;
    if (!t.columns[column] || t.writeOnly?.includes(column)) continue;
    attrs.push({ key: column, value: encodeValue(t, column, v, sync, row) });
  }
  const entity: Row = {
    Attributes: attrs, EntityState: null, FormattedValues: [], Id: id, KeyAttributes: [], LogicalName: t.logicalName,
    RelatedEntities: [], RowVersion: row.versionnumber === undefined ? null : text(row.versionnumber),
  };
  return withType ? { __type: `Entity:${CONTRACTS}`, ...entity } : entity;
}

export function buildContext(i: ContextInput): Row {
  const sync = i.mode === 0;
  const input: { key: string; value: unknown }[] = [];
  const drop = i.dropTargetAndImages === true;
  if (!drop) {
    if (i.message === 'Delete') {
      input.push({ key: 'Target', value: { __type: `EntityReference:${CONTRACTS}`, Id: i.id, KeyAttributes: [], LogicalName: i.table.logicalName, Name: null, RowVersion: null } });
    } else if (i.target) {
      input.push({ key: 'Target', value: toEntity(i.table, i.id, i.target, sync, true) });
    }
  }
  const outputs = i.message === 'Create' ? [{ key: 'id', value: sync ? { __type: 'Guid:#System', __value: i.id } : i.id }] : [];
  const images = (list: { alias: string; row: Row }[]) => (drop ? [] : list.map((im) => ({ key: im.alias, value: toEntity(i.table, i.id, im.row, sync, false) })));
  const base = {
    BusinessUnitId: i.businessUnitId,
    CorrelationId: i.correlationId,
    Depth: 1,
    InitiatingUserId: i.initiatingUserId,
    InputParameters: input,
    IsExecutingOffline: false,
    IsInTransaction: sync,
    IsOfflinePlayback: false,
    IsolationMode: 1,
    MessageName: i.message,
    Mode: i.mode,
    OperationCreatedOn: msDate(i.now),
    OperationId: i.operationId,
    OrganizationId: i.organizationId,
    OrganizationName: i.organizationName,
    OutputParameters: outputs,
    OwningExtension: { Id: i.stepId, KeyAttributes: [], LogicalName: 'sdkmessageprocessingstep', Name: i.stepName, RowVersion: null },
  };
  const tail = {
    PostEntityImages: images(i.images.post),
    PreEntityImages: images(i.images.pre),
    PrimaryEntityId: i.id,
    PrimaryEntityName: i.table.logicalName,
    RequestId: i.requestId,
    SecondaryEntityName: 'none',
    SharedVariables: [] as unknown[],
    Stage: i.stage,
    UserId: i.userId,
  };
  const parent = {
    ...base,
    OwningExtension: { Id: '63cdbb1b-ea3e-db11-86a7-000a3a5473e8', KeyAttributes: [], LogicalName: 'sdkmessageprocessingstep', Name: 'ObjectModel Implementation', RowVersion: null },
    ParentContext: null,
    ...tail,
    PostEntityImages: [],
    PreEntityImages: [],
    SharedVariables: [{ key: 'ChangedEntityTypes', value: [{ __type: 'KeyValuePairOfstringstring:#System.Collections.Generic', key: i.table.logicalName, value: i.message }] }],
    Stage: 30,
  };
  return { ...base, ParentContext: parent, ...tail };
}
