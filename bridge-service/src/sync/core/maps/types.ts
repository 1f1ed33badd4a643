// Table maps as typed data. A map is plain data so it can be validated at start, listed by the admin
// API and tested without a network; the engine interprets it.

export type Side = 'fno' | 'dataverse';
/** Which way a whole map flows (MapDirection) and one row write travels (SyncDirection): defined with the contracts. */
export type { MapDirection, SyncDirection } from '../../../contracts/states';
import type { MapDirection, SyncDirection } from '../../../contracts/states';
/** Dual-write's notation: `=` both ways, `>` F&O to Dataverse only, `<` Dataverse to F&O only. */
export type FieldDirection = '=' | '>' | '<';

export type Scalar = string | number | boolean | null;

/** Enum (F&O member name) <-> option set value or other scalar. */
export interface ValueMapTransform {
  kind: 'valueMap';
  /** F&O enum type name, so validation can check that every member is covered. */
  fnoEnum?: string;
  pairs: ReadonlyArray<{ fno: string | number; dataverse: string | number | boolean }>;
  /**
   * F&O values with no Dataverse counterpart, mapped one way only (F&O to Dataverse). The reverse never
   * produces them, and because only changed fields are written, a Dataverse edit of another column never
   * overwrites them in F&O.
   */
  fnoOnly?: ReadonlyArray<{ fno: string | number; dataverse: string | number | boolean }>;
}

/** F&O NoYes enum ('No' | 'Yes') <-> Dataverse Boolean. */
export interface NoYesBooleanTransform { kind: 'noYesBoolean' }

/**
 * A Dataverse lookup resolved by the related row's key: F&O holds the key value ('10'), Dataverse a
 * reference to the row whose `keyColumn` equals it (within the same company when `companyScoped`).
 */
export interface LookupTransform {
  kind: 'lookup';
  /** Entity set of the related table, e.g. 'msdyn_customergroups'. */
  entitySet: string;
  /** Logical name of the related table, e.g. 'msdyn_customergroup'. */
  table: string;
  keyColumn: string;
  companyScoped: boolean;
  /** Navigation property for `@odata.bind`; defaults to the lookup column's logical name. */
  bindProperty?: string;
  /** A reference to a row of the same map (InvoiceAccount): written in a second pass when missing. */
  selfReference?: boolean;
}

export type Transform = ValueMapTransform | NoYesBooleanTransform | LookupTransform;

export interface FieldMapping {
  /** F&O field (OData name); null when Dataverse has a column F&O does not (then a default feeds it). */
  fno: string | null;
  /** Dataverse column (logical name); null when F&O has a field Dataverse does not. */
  dataverse: string | null;
  dir: FieldDirection;
  transform?: Transform;
  /** Written to the target when the source has no value (or no field at all). */
  default?: Scalar;
  /** Part of the row key on both sides (company included). */
  key?: boolean;
  /** The target refuses a row without it. */
  required?: boolean;
}

export type ConflictPolicy = { kind: 'primary'; side: Side } | { kind: 'latest' };

/**
 * What happens to a linked row when its counterpart is deleted on the other side (see ../deletes.ts):
 * 'delete' deletes it too, 'deactivate' writes the map's deactivate values to it (Dataverse: statecode and
 * statuscode; F&O has no generic deactivate, so the values name a field such as a customer's OnHoldStatus),
 * 'unlink' keeps it as it is. Each removes the link, and the kept row is never re-created on the deleted side.
 */
export type { DeleteAction } from '../../../contracts/states';
import type { DeleteAction } from '../../../contracts/states';

export interface DeletePolicy {
  /** When the F&O record is deleted, what happens to its Dataverse row (maps that flow F&O to Dataverse). */
  fnoDeleted?: DeleteAction;
  /** When the Dataverse row is deleted, what happens to its F&O record (maps that flow Dataverse to F&O). */
  dataverseDeleted?: DeleteAction;
  /** The values 'deactivate' writes, per side that is deactivated. */
  deactivate?: { dataverse?: Readonly<Record<string, Scalar>>; fno?: Readonly<Record<string, Scalar>> };
}

/** One AND-ed condition of a source filter; evaluable on a row and renderable as OData `$filter`. */
export interface FilterCondition {
  field: string;
  op: 'eq' | 'ne';
  value: Scalar;
}

export interface TableMap {
  /** Stable name, e.g. 'customers-accounts'. */
  name: string;
  description: string;
  direction: MapDirection;
  fno: {
    entitySet: string;
    /** Key fields, dataAreaId included when the entity is company specific. */
    keys: readonly string[];
    /** Field holding the legal entity, when company specific. */
    companyField?: string;
    /** Field the reconciliation sweep uses for "modified since", when the entity has one. */
    modifiedField?: string;
  };
  dataverse: {
    entitySet: string;
    table: string;
    primaryId: string;
    /** Alternate key columns, the company lookup included. */
    alternateKey: readonly string[];
    /** Company lookup column (to cdm_company by cdm_companycode), when company specific. */
    companyLookup?: string;
    modifiedField: string;
  };
  fields: readonly FieldMapping[];
  filters?: { fno?: readonly FilterCondition[]; dataverse?: readonly FilterCondition[] };
  /** 'all', or the dataAreaIds (lower case) the map is limited to. */
  legalEntities: 'all' | readonly string[];
  /** Maps that must run first (initial sync order, and lookups that must exist). */
  dependsOn: readonly string[];
  conflictPolicy: ConflictPolicy;
  /** Delete propagation; a direction left out keeps the row and unlinks it ('unlink'). */
  deletes?: DeletePolicy;
}

/** Dataverse's inactive state of a standard table (statecode 1 Inactive, statuscode 2 Inactive). */
export const DATAVERSE_INACTIVE: Readonly<Record<string, Scalar>> = Object.freeze({ statecode: 1, statuscode: 2 });

/** Stable id of a field mapping: used as the key of snapshots and conflicts. */
export function fieldId(f: FieldMapping): string {
  return `${f.fno ?? '-'}:${f.dataverse ?? '-'}`;
}

/** Whether a field flows in the given write direction. */
export function fieldFlows(f: FieldMapping, direction: SyncDirection): boolean {
  if (f.dir === '=') return true;
  return direction === 'fno_to_dataverse' ? f.dir === '>' : f.dir === '<';
}

/** Whether the map as a whole flows in the given write direction. */
export function mapFlows(map: TableMap, direction: SyncDirection): boolean {
  return map.direction === 'both' || map.direction === direction;
}

/** Whether the map covers a legal entity (dataAreaId compared case-insensitively, as F&O does). */
export function inLegalEntityScope(map: TableMap, dataAreaId: string | null | undefined): boolean {
  if (map.legalEntities === 'all' || !map.fno.companyField) return true;
  if (!dataAreaId) return false;
  const wanted = dataAreaId.toLowerCase();
  return map.legalEntities.some((le) => le.toLowerCase() === wanted);
}

/** The Web API read name of a lookup column: `_<column>_value`. */
export function lookupValueAttribute(column: string): string {
  return `_${column}_value`;
}

/** The company lookup's related table, shared by every company-specific map (dual-write's cdm_company). */
export const COMPANY_LOOKUP: LookupTransform = {
  kind: 'lookup',
  entitySet: 'cdm_companies',
  table: 'cdm_company',
  keyColumn: 'cdm_companycode',
  companyScoped: false,
};
