// The vendors map's initial sync in the Dataverse -> F&O direction (issue 16), beside initial-sync-both-ways.test.ts,
// which proves it for accounts. Vendors that only Dataverse has (made before the bridge, so no notification tells the
// bridge about them) are queued after the F&O -> Dataverse pass and written to F&O by the worker: one with a vendor
// group is created in F&O with the group's code; one without is refused by F&O (a vendor needs a group) and parked
// with F&O's words. Real HTTP against the sandbox.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Sandbox } from '@finops-bridge/sandbox';
import { adminFetch, eventually, json, sandboxApi, startBridge, startWorld, type Bridge } from './support/harness';

type Row = Record<string, unknown>;
let sandbox: Sandbox;
let bridge: Bridge;
let api: ReturnType<typeof sandboxApi>;
let adminToken: string;
let template: Row;
let groupCode: string;
let withoutGroupId: string;

const admin = (method: 'GET' | 'POST', path: string, body?: unknown) => adminFetch(bridge, adminToken, method, path, body);
const fnoVendor = (account: string): Promise<Row | null> => api.fnoFind('VendorsV2', `dataAreaId='nlmf',VendorAccountNumber='${account}'`);

beforeAll(async () => {
  sandbox = await startWorld({ customers: 30 });
  const store = sandbox.dataverse.store;
  const companies = new Map(store.all('cdm_company').map((c) => [String(c.cdm_companyid), String(c.cdm_companycode)]));
  template = store.all('msdyn_vendor').filter((v) => companies.get(String(v._msdyn_company_value)) === 'nlmf')
    .sort((a, b) => String(a.msdyn_vendoraccountnumber).localeCompare(String(b.msdyn_vendoraccountnumber)))[0];
  groupCode = String(store.get('msdyn_vendorgroup', String(template._msdyn_vendorgroupid_value))!.msdyn_vendorgroup);
  // Before the bridge: two vendors exist only in Dataverse, one in the template's vendor group, one without a group.
  const id = randomUUID();
  store.put('msdyn_vendor', id, { ...template, msdyn_vendorid: id, msdyn_vendoraccountnumber: 'V-NL-CE-ONLY', msdyn_name: 'Alleen In CE Leverancier B.V.', msdyn_addresscity: 'Leiden' }, 'created');
  withoutGroupId = randomUUID();
  store.put('msdyn_vendor', withoutGroupId, {
    ...template, msdyn_vendorid: withoutGroupId, msdyn_vendoraccountnumber: 'V-NL-CE-NOGROUP', msdyn_name: 'Zonder Groep B.V.', _msdyn_vendorgroupid_value: null,
  }, 'created');
  bridge = await startBridge(sandbox, { settings: { maps: ['vendor-groups', 'vendors'], initialMapState: 'not_running', registerWebhooks: 'false' } });
  api = sandboxApi(sandbox);
  adminToken = await sandbox.getToken('admin', 'bridge');
}, 60_000);

afterAll(async () => {
  await bridge?.close();
  await sandbox?.close();
});

describe('vendors: initial sync from Dataverse to F&O', () => {
  it('creates in F&O the vendor only Dataverse has, with its vendor group; parks the one without a group with F&O\'s reason', async () => {
    expect(await fnoVendor('V-NL-CE-ONLY')).toBeNull();
    expect((await admin('POST', '/maps/vendors/initial-sync', { legalEntities: ['nlmf'] })).status).toBe(202);
    const progress = await eventually(async () => {
      const p = await json<{ state: string; failed: number }>(await admin('GET', '/maps/vendors/initial-sync'));
      return p.state === 'done' || p.state === 'failed' ? p : null;
    }, 30_000);
    expect(progress).toMatchObject({ state: 'done', failed: 0 });

    const created = await eventually(() => fnoVendor('V-NL-CE-ONLY'), 10_000);
    expect(created).toMatchObject({ VendorOrganizationName: 'Alleen In CE Leverancier B.V.', AddressCity: 'Leiden', VendorGroupId: groupCode });
    await bridge.sync.engine().worker.idle(10_000);
    expect(await bridge.app.bridge.repos.links.findByFno('vendors', 'VendorsV2', { dataAreaId: 'nlmf', VendorAccountNumber: 'V-NL-CE-ONLY' })).not.toBeNull();

    expect(await fnoVendor('V-NL-CE-NOGROUP')).toBeNull();
    const { errors } = await json<{ errors: Row[] }>(await admin('GET', '/errors'));
    expect(errors).toEqual([expect.objectContaining({ map: 'vendors', recordKey: withoutGroupId, state: 'parked', code: 'SYNC_REJECTED' })]);
    expect(errors[0].message).toContain("Field 'Vendor group' must be filled in.");
    // Nothing else was written to F&O: the vendors F&O already had are linked, not rewritten.
    expect((await api.fnoStats()).entities.VendorsV2).toMatchObject({ creates: 1 });
    expect((await api.fnoStats()).entities.VendorsV2?.updates ?? 0).toBe(0);
  }, 60_000);
});
