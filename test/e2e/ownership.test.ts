// Who owns what the bridge creates, and so who sees it. As dual-write does, a row the bridge creates for a company is
// owned by the company's default owning team (cdm_company.cdm_defaultowningteam); the sandbox's Dataverse decides
// access from ownership (the company's readers and editors teams reach what is owned in its business unit), as
// Dataverse does, never from the row's msdyn_company column. Real HTTP: the sandbox, one bridge, the finance route.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { companyId, dvId, type Sandbox } from '@finops-bridge/sandbox';
import { eventually, json, sandboxApi, startBridge, startWorld, type Bridge } from './support/harness';

let sandbox: Sandbox;
let bridge: Bridge;
let api: ReturnType<typeof sandboxApi>;

async function createCustomer(company: string, account: string): Promise<Record<string, unknown>> {
  const template = (await api.dvGet('accounts', `$filter=startswith(accountnumber,'${company.slice(0, 2).toUpperCase()}-')&$select=accountnumber&$top=1`))[0];
  const like = await api.fnoGet('CustomersV3', `dataAreaId='${company}',CustomerAccount='${String(template.accountnumber)}'`);
  await api.fnoChange('CustomersV3', {
    dataAreaId: company, CustomerAccount: account, OrganizationName: `Ownership ${account}`, PartyType: 'Organization',
    CustomerGroupId: like.CustomerGroupId, SalesCurrencyCode: like.SalesCurrencyCode, PaymentTerms: like.PaymentTerms,
  });
  return eventually(async () => (await api.dvGet('accounts', `$filter=accountnumber eq '${account}'&$select=accountid,_ownerid_value,_owningbusinessunit_value`))[0]);
}

const panel = async (who: 'sales' | 'controller', accountId: string) => fetch(`${bridge.url}/api/v1/accounts/${accountId}/finance`, {
  headers: { authorization: `Bearer ${await sandbox.getToken(who, 'bridge')}` },
});

beforeAll(async () => {
  sandbox = await startWorld();
  bridge = await startBridge(sandbox);
  api = sandboxApi(sandbox);
  await eventually(async () => (await json<{ value: unknown[] }>(await fetch(`${sandbox.urls.fno}/_sandbox/events/subscriptions`))).value.length > 0);
}, 60_000);

afterAll(async () => {
  await bridge?.close();
  await sandbox?.close();
});

describe('rows the bridge creates', () => {
  it('are owned by their company\'s default owning team, in its business unit, so the company\'s users see them', async () => {
    const row = await createCustomer('nlmf', 'NL-OWN-1');
    expect({ owner: row._ownerid_value, unit: row._owningbusinessunit_value }).toEqual({ owner: dvId('team', 'nlmf'), unit: dvId('businessunit', 'nlmf') });
    // Sales reads nlmf's rows: the new account's panel answers.
    expect((await panel('sales', String(row.accountid))).status).toBe(200);
  });

  it('of a company the user has no team in stay invisible to them: 404, as for a missing id', async () => {
    const row = await createCustomer('semf', 'SE-OWN-1');
    expect(row._ownerid_value).toBe(dvId('team', 'semf'));
    expect((await panel('sales', String(row.accountid))).status).toBe(404);
    expect((await panel('controller', String(row.accountid))).status).toBe(200);
  });

  it('of a company without a default owning team are the application user\'s (Dataverse\'s default), which company users do not see', async () => {
    const dv = sandbox.dataverse.store;
    const company = dv.get('cdm_company', companyId('nlmf'))!;
    dv.put('cdm_company', companyId('nlmf'), { ...company, _cdm_defaultowningteam_value: null }, 'updated');
    bridge.sync.engine().lookups.clear();
    try {
      const row = await createCustomer('nlmf', 'NL-OWN-2');
      expect(row._ownerid_value).not.toBe(dvId('team', 'nlmf'));
      expect((await panel('sales', String(row.accountid))).status).toBe(404);
    } finally {
      dv.put('cdm_company', companyId('nlmf'), company, 'updated');
    }
  });
});
