// How the sandbox describes a Dataverse table: enough metadata to validate bodies, resolve keys and lookups,
// and encode webhook payloads the way the platform does.
export type ColumnType =
  | 'String' | 'Memo' | 'Integer' | 'BigInt' | 'Double' | 'Decimal' | 'Money' | 'Boolean' | 'DateTime'
  | 'Uniqueidentifier' | 'Picklist' | 'State' | 'Status' | 'Lookup' | 'Owner' | 'Customer' | 'EntityName';

export interface LookupDef {
  /** Tables the lookup may point at; empty = any (targets the sandbox does not model). */
  targets: string[];
}

export interface OneToManyDef {
  table: string;
  /** The lookup column on `table` that points back at this table. */
  referencingColumn: string;
}

export interface TableDef {
  logicalName: string;
  entitySet: string;
  primaryKey: string;
  primaryName: string;
  objectTypeCode: number;
  columns: Record<string, ColumnType>;
  lookups: Record<string, LookupDef>;
  /** Alternate keys, each a list of columns (lookup columns by their logical name, e.g. msdyn_company). */
  alternateKeys: string[][];
  /** Row-level security by company (msdyn_company -> cdm_company.cdm_companycode). */
  companyScoped?: boolean;
  /** Columns that can be written but never read back (serviceendpoint.authvalue). */
  writeOnly?: string[];
  oneToMany?: Record<string, OneToManyDef>;
}

export const isLookupType = (t: ColumnType | undefined): boolean => t === 'Lookup' || t === 'Owner' || t === 'Customer';
export const lookupValueKey = (column: string): string => `_${column}_value`;
export const LOOKUP_TARGET_ANNOTATION = '@Microsoft.Dynamics.CRM.lookuplogicalname';
