// The first account of each company in the sandbox's Dataverse (company code -> account), read through
// the bridge's own Dataverse client: tests that need one readable account per legal entity.
import type { DataverseClient } from '../../src/clients/dataverse-client';
import type { LinksRepo } from '../../src/db/repos/links';

export type AccountsByCompany = Record<string, { accountid: string; accountnumber: string }>;

export async function firstAccountPerCompany(dv: DataverseClient): Promise<AccountsByCompany> {
  const accounts: AccountsByCompany = {};
  const companies = new Map((await dv.list('cdm_companies', { select: ['cdm_companyid', 'cdm_companycode'] }))
    .map((c) => [String(c.cdm_companyid), String(c.cdm_companycode).toLowerCase()]));
  for (const a of await dv.list('accounts', { select: ['accountid', 'accountnumber', '_msdyn_company_value'], filter: 'accountnumber ne null', limit: 500 })) {
    const code = companies.get(String(a._msdyn_company_value));
    if (code && !accounts[code]) accounts[code] = { accountid: String(a.accountid), accountnumber: String(a.accountnumber) };
  }
  return accounts;
}

/** Links each account to its F&O customer, as the customer sync's initial sync would: finance edits go only
 * through such a link. */
export async function linkAsTheSyncWould(links: LinksRepo, accounts: AccountsByCompany): Promise<void> {
  for (const [company, a] of Object.entries(accounts)) {
    await links.upsert({ mapName: 'customers-accounts', dataverseTable: 'account', dataverseId: a.accountid, fnoEntity: 'CustomersV3', fnoKey: { dataAreaId: company, CustomerAccount: a.accountnumber } });
  }
}
