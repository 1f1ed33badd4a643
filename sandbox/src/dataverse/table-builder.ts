// Builds a TableDef the way the platform shapes every table: system columns, owner columns for
// user/team-owned tables, and a lookup definition for every lookup column.
import type { ColumnType, LookupDef, TableDef } from './schema-types';

const SYSTEM: Record<string, ColumnType> = {
  createdon: 'DateTime', modifiedon: 'DateTime', versionnumber: 'BigInt', createdby: 'Lookup', modifiedby: 'Lookup',
  modifiedonbehalfby: 'Lookup', createdonbehalfby: 'Lookup',
};
const OWNED: Record<string, ColumnType> = { ownerid: 'Owner', owningbusinessunit: 'Lookup', owningteam: 'Lookup', owninguser: 'Lookup', statecode: 'State', statuscode: 'Status' };
const SYSTEM_LOOKUPS: Record<string, LookupDef> = {
  createdby: { targets: ['systemuser'] }, modifiedby: { targets: ['systemuser'] },
  createdonbehalfby: { targets: ['systemuser'] }, modifiedonbehalfby: { targets: ['systemuser'] },
};
const OWNED_LOOKUPS: Record<string, LookupDef> = {
  ownerid: { targets: ['systemuser', 'team'] }, owningbusinessunit: { targets: ['businessunit'] },
  owningteam: { targets: ['team'] }, owninguser: { targets: ['systemuser'] },
};
export const COMPANY: LookupDef = { targets: ['cdm_company'] };

export function table(t: Omit<TableDef, 'columns' | 'lookups'> & { columns: Record<string, ColumnType>; lookups?: Record<string, LookupDef>; owned?: boolean }): TableDef {
  const columns = { ...t.columns, ...SYSTEM, ...(t.owned ? OWNED : {}) };
  const lookups = { ...SYSTEM_LOOKUPS, ...(t.owned ? OWNED_LOOKUPS : {}), ...(t.lookups ?? {}) };
  for (const [name, type] of Object.entries(columns)) {
    if ((type === 'Lookup' || type === 'Owner' || type === 'Customer') && !lookups[name]) lookups[name] = { targets: [] };
  }
  const { owned: _owned, ...rest } = t;
  return { ...rest, columns, lookups };
}

