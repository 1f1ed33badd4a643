import { describe, expect, it } from '@jest/globals';
import { SHIPPED_MAPS } from '../sync/core/maps/shipped/index';
import { schemaChecks, schemaNeeds, schemaProblems, type TableDefinition } from './doctor-schema';
import type { Check } from './doctor-checks';

const accounts = SHIPPED_MAPS.filter((m) => m.name === 'customers-accounts');

describe('doctor: the Dataverse schema the maps need', () => {
  it('collects the tables, columns and alternate keys of the enabled maps, lookup targets included', () => {
    const needs = schemaNeeds(accounts);
    const account = needs.find((n) => n.table === 'account')!;
    expect([...account.columns]).toEqual(expect.arrayContaining(['accountid', 'accountnumber', 'msdyn_company', 'name', 'creditlimit', 'modifiedon']));
    expect(account.keys).toEqual([['accountnumber', 'msdyn_company']]);
    expect(needs.map((n) => n.table)).toEqual(expect.arrayContaining(['cdm_company', 'msdyn_customergroup', 'transactioncurrency']));
    expect(needs.find((n) => n.table === 'cdm_company')!.columns.has('cdm_companycode')).toBe(true);
  });

  it('covers the vendor groups: their table, its key and lookups, and the vendor\'s lookup to it', () => {
    const needs = schemaNeeds(SHIPPED_MAPS.filter((m) => m.name === 'vendors' || m.name === 'vendor-groups'));
    const groups = needs.find((n) => n.table === 'msdyn_vendorgroup')!;
    expect([...groups.maps].sort()).toEqual(['vendor-groups', 'vendors']);
    expect([...groups.columns]).toEqual(expect.arrayContaining(['msdyn_vendorgroupid', 'msdyn_vendorgroup', 'msdyn_company', 'msdyn_paymentterms', 'msdyn_clearingperiodpaymentpermname']));
    expect(groups.keys).toEqual([['msdyn_company', 'msdyn_vendorgroup']]);
    expect(needs.find((n) => n.table === 'msdyn_vendor')!.columns.has('msdyn_vendorgroupid')).toBe(true);
    expect(needs.find((n) => n.table === 'msdyn_paymentterm')!.columns.has('msdyn_name')).toBe(true);
  });

  it('names missing columns and alternate keys, case-insensitively', () => {
    const needs = schemaNeeds(accounts).find((n) => n.table === 'account')!;
    const all = [...needs.columns].map((c) => ({ LogicalName: c.toUpperCase() }));
    const def: TableDefinition = { Attributes: all, Keys: [{ KeyAttributes: ['msdyn_company', 'accountnumber'] }] };
    expect(schemaProblems(needs, def)).toEqual([]);
    const lacking: TableDefinition = { Attributes: all.filter((a) => a.LogicalName !== 'MSDYN_COMPANY'), Keys: [] };
    expect(schemaProblems(needs, lacking)).toEqual(['account has no column msdyn_company', 'account has no alternate key on (accountnumber, msdyn_company)']);
  });

  it('fails per table that is missing or lacking, warns when a definition cannot be read, and says ok only when all is there', async () => {
    const full = (t: string): TableDefinition => {
      const n = schemaNeeds(accounts).find((x) => x.table === t)!;
      return { Attributes: [...n.columns].map((c) => ({ LogicalName: c })), Keys: n.keys.map((k) => ({ KeyAttributes: k })) };
    };
    const run = async (get: (t: string) => Promise<TableDefinition | null | string>) => { const c: Check[] = []; await schemaChecks(get, accounts, c); return c; };
    expect((await run(async (t) => full(t))).map((c) => c.status)).toEqual(['ok']);
    const missing = await run(async (t) => (t === 'msdyn_customergroup' ? null : full(t)));
    expect(missing).toEqual([expect.objectContaining({ name: 'table msdyn_customergroup', status: 'fail', detail: 'does not exist in this environment; needed by customers-accounts' })]);
    const unreadable = await run(async (t) => (t === 'account' ? 'HTTP 403' : full(t)));
    expect(unreadable).toEqual([expect.objectContaining({ name: 'table account', status: 'warn' })]);
  });
});
