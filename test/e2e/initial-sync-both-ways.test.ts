// Initial sync in both directions (issue 16): a two-way map's rows that exist only in Dataverse reach F&O, and
// `winner: dataverse` (`--wins dataverse`) writes Dataverse's differing values to F&O. Both go to F&O through the
// sync queue after the F&O -> Dataverse pass, record by record through the applier. Real HTTP against the sandbox;
// the Dataverse rows are set up before the bridge runs (as data that existed before the bridge), so no
// notification tells the bridge about them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Sandbox } from '@finops-bridge/sandbox';
import { adminFetch, eventually, json, sandboxApi, startBridge, startWorld, type Bridge } from './support/harness';

let sandbox: Sandbox;
let bridge: Bridge;
let api: ReturnType<typeof sandboxApi>;
let adminToken: string;
let nl: Record<string, unknown>[];

const admin = (method: 'GET' | 'POST', path: string, body?: unknown) => adminFetch(bridge, adminToken, method, path, body);
const fnoKey = (account: string) => `dataAreaId='nlmf',CustomerAccount='${account}'`;
const fnoRow = (account: string): Promise<Record<string, unknown> | null> => api.fnoFind('CustomersV3', fnoKey(account));

async function initialSync(body: unknown): Promise<{ state: string; failed: number }> {
  expect((await admin('POST', '/maps/customers-accounts/initial-sync', body)).status).toBe(202);
  return eventually(async () => {
    const p = await json<{ state: string; failed: number }>(await admin('GET', '/maps/customers-accounts/initial-sync'));
    return p.state === 'done' || p.state === 'failed' ? p : null;
  }, 30_000);
}

beforeAll(async () => {
  sandbox = await startWorld({ customers: 60 });
  const store = sandbox.dataverse.store;
  const companies = new Map(store.all('cdm_company').map((c) => [String(c.cdm_companyid), String(c.cdm_companycode)]));
  nl = store.all('account').filter((a) => a.customertypecode === 3 && companies.get(String(a._msdyn_company_value)) === 'nlmf')
    .sort((a, b) => String(a.accountnumber).localeCompare(String(b.accountnumber)));
  // Before the bridge: one account's phone differs from F&O, and one account exists only in Dataverse.
  store.put('account', String(nl[0].accountid), { ...nl[0], telephone1: '+31 20 555 0777' }, 'updated');
  const id = randomUUID();
  store.put('account', id, { ...nl[1], accountid: id, accountnumber: 'NL-CE-ONLY', name: 'Alleen In CE B.V.', telephone1: '+31 20 555 0778', _msdyn_billingaccount_value: null }, 'created');
  bridge = await startBridge(sandbox, { settings: { initialMapState: 'not_running', registerWebhooks: 'false' } });
  api = sandboxApi(sandbox);
  adminToken = await sandbox.getToken('admin', 'bridge');
}, 60_000);

afterAll(async () => {
  await bridge?.close();
  await sandbox?.close();
});

describe('initial sync in both directions', () => {
  it('writes Dataverse\'s differing values to F&O when Dataverse wins, and creates the records only Dataverse has', async () => {
    expect((await fnoRow(String(nl[0].accountnumber)))?.PrimaryContactPhone).not.toBe('+31 20 555 0777');
    expect(await fnoRow('NL-CE-ONLY')).toBeNull();
    expect(await initialSync({ legalEntities: ['nlmf'], winner: 'dataverse' })).toMatchObject({ state: 'done', failed: 0 });
    await eventually(async () => (await fnoRow(String(nl[0].accountnumber)))?.PrimaryContactPhone === '+31 20 555 0777', 10_000);
    const created = await eventually(() => fnoRow('NL-CE-ONLY'), 10_000);
    expect(created).toMatchObject({ OrganizationName: 'Alleen In CE B.V.', PrimaryContactPhone: '+31 20 555 0778', CustomerGroupId: (await fnoRow(String(nl[1].accountnumber)))?.CustomerGroupId });
    await bridge.sync.engine().worker.idle(10_000);
    // Both are linked now, and nothing is left waiting or failing.
    const links = bridge.app.bridge.repos.links;
    expect(await links.findByFno('customers-accounts', 'CustomersV3', { dataAreaId: 'nlmf', CustomerAccount: 'NL-CE-ONLY' })).not.toBeNull();
    const errors = await json<{ errors: unknown[]; initialSync: unknown[] }>(await admin('GET', '/errors'));
    expect(errors).toEqual({ errors: [], initialSync: [] });
    // The prospects (relationship type not Customer) stay out of F&O: the map's Dataverse filter applies.
    const fnoAccounts = await api.fnoStats();
    expect(fnoAccounts.entities.CustomersV3?.creates ?? 0).toBe(1);
  }, 60_000);

  it('keeps F&O\'s values when F&O wins (the default), writing nothing to F&O', async () => {
    const store = sandbox.dataverse.store;
    const row = store.get('account', String(nl[2].accountid))!;
    store.put('account', String(nl[2].accountid), { ...row, telephone1: '+31 20 555 0779' }, 'updated');
    const before = (await api.fnoStats()).entities.CustomersV3?.updates ?? 0;
    expect(await initialSync({ legalEntities: ['nlmf'], restart: true })).toMatchObject({ state: 'done', failed: 0 });
    await bridge.sync.engine().worker.idle(10_000);
    expect((await api.dvRow('accounts', String(nl[2].accountid))).telephone1).toBe((await fnoRow(String(nl[2].accountnumber)))?.PrimaryContactPhone);
    expect((await api.fnoStats()).entities.CustomersV3?.updates ?? 0).toBe(before);
  }, 60_000);
});
