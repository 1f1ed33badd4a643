// The customers-contacts map's initial sync in the Dataverse -> F&O direction (issue 16), beside
// initial-sync-both-ways.test.ts (accounts) and initial-sync-vendors.test.ts (vendors). Real HTTP against the sandbox;
// the Dataverse rows are set up before the bridge runs (data that existed before it), so no notification tells the
// bridge about them. With `winner: dataverse` (`--wins dataverse`) a linked person customer's differing values are
// written to F&O; a contact only Dataverse has, passing the map's Dataverse filter (sellable, a contact person id),
// with company, currency, customer group and payment terms, is created in F&O as a person customer; one without a
// customer group is refused by F&O (a customer needs a group) and parked with F&O's words; one that is not sellable
// stays out of F&O.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Sandbox } from '@finops-bridge/sandbox';
import { adminFetch, eventually, json, sandboxApi, startBridge, startWorld, type Bridge } from './support/harness';

type Row = Record<string, unknown>;
const MAP = 'customers-contacts';
let sandbox: Sandbox;
let bridge: Bridge;
let api: ReturnType<typeof sandboxApi>;
let adminToken: string;
let linked: Row;
let noGroupId: string;

const admin = (method: 'GET' | 'POST', path: string, body?: unknown) => adminFetch(bridge, adminToken, method, path, body);
const fnoCustomer = (account: string): Promise<Row | null> => api.fnoFind('CustomersV3', `dataAreaId='nlmf',CustomerAccount='${account}'`);
const code = (table: string, id: unknown, column: string) => String(sandbox.dataverse.store.get(table, String(id))![column]);

beforeAll(async () => {
  sandbox = await startWorld({ customers: 30 });
  const store = sandbox.dataverse.store;
  const companies = new Map(store.all('cdm_company').map((c) => [String(c.cdm_companyid), String(c.cdm_companycode)]));
  const nl = store.all('contact').filter((c) => c.msdyn_sellable === true && c.msdyn_contactpersonid && companies.get(String(c._msdyn_company_value)) === 'nlmf')
    .sort((a, b) => String(a.msdyn_contactpersonid).localeCompare(String(b.msdyn_contactpersonid)));
  linked = nl[0];
  const template = nl[1];
  // Before the bridge: one linked contact's job title and phone differ from F&O; three contacts exist only in Dataverse.
  store.put('contact', String(linked.contactid), { ...linked, jobtitle: 'Hoofd inkoop', telephone1: '+31 20 555 0880' }, 'updated');
  const only = randomUUID();
  store.put('contact', only, {
    ...template, contactid: only, msdyn_contactpersonid: 'NL-CE-PERSON', firstname: 'Sanne', lastname: 'Visser', jobtitle: 'Eigenaar', telephone1: '+31 20 555 0881',
  }, 'created');
  noGroupId = randomUUID();
  store.put('contact', noGroupId, {
    ...template, contactid: noGroupId, msdyn_contactpersonid: 'NL-CE-NOGROUP', firstname: 'Zonder', lastname: 'Groep', _msdyn_customergroupid_value: null,
  }, 'created');
  const notSellable = randomUUID();
  store.put('contact', notSellable, { ...template, contactid: notSellable, msdyn_contactpersonid: 'NL-CE-NOTSOLD', lastname: 'Geen Klant', msdyn_sellable: false }, 'created');
  bridge = await startBridge(sandbox, { settings: { maps: [MAP], initialMapState: 'not_running', registerWebhooks: 'false' } });
  api = sandboxApi(sandbox);
  adminToken = await sandbox.getToken('admin', 'bridge');
}, 60_000);

afterAll(async () => {
  await bridge?.close();
  await sandbox?.close();
});

describe('customers-contacts: initial sync from Dataverse to F&O', () => {
  it('writes Dataverse\'s values of a linked person when Dataverse wins, creates the person only Dataverse has, parks the one without a group', async () => {
    const account = String(linked.msdyn_contactpersonid);
    expect(await fnoCustomer(account)).toMatchObject({ PartyType: 'Person' });
    expect((await fnoCustomer(account))?.PersonProfessionalTitle).not.toBe('Hoofd inkoop');
    expect(await fnoCustomer('NL-CE-PERSON')).toBeNull();

    expect((await admin('POST', `/maps/${MAP}/initial-sync`, { legalEntities: ['nlmf'], winner: 'dataverse' })).status).toBe(202);
    const progress = await eventually(async () => {
      const p = await json<{ state: string; failed: number }>(await admin('GET', `/maps/${MAP}/initial-sync`));
      return p.state === 'done' || p.state === 'failed' ? p : null;
    }, 30_000);
    expect(progress).toMatchObject({ state: 'done', failed: 0 });

    // Dataverse won: its values of the linked person reach F&O.
    await eventually(async () => { const c = await fnoCustomer(account); return c?.PersonProfessionalTitle === 'Hoofd inkoop' && c.PrimaryContactPhone === '+31 20 555 0880'; }, 10_000);

    // The contact only Dataverse had is a person customer in F&O, with its group, currency and payment terms as codes.
    const template = sandbox.dataverse.store.get('contact', String((await api.dvGet('contacts', "$filter=msdyn_contactpersonid eq 'NL-CE-PERSON'&$select=contactid"))[0].contactid))!;
    const created = await eventually(() => fnoCustomer('NL-CE-PERSON'), 10_000);
    expect(created).toMatchObject({
      PartyType: 'Person', PersonFirstName: 'Sanne', PersonLastName: 'Visser', PersonProfessionalTitle: 'Eigenaar', PrimaryContactPhone: '+31 20 555 0881',
      CustomerGroupId: code('msdyn_customergroup', template._msdyn_customergroupid_value, 'msdyn_groupid'),
      SalesCurrencyCode: code('transactioncurrency', template._transactioncurrencyid_value, 'isocurrencycode'),
      PaymentTerms: code('msdyn_paymentterm', template._msdyn_paymentterms_value, 'msdyn_name'),
    });
    await bridge.sync.engine().worker.idle(10_000);
    expect(await bridge.app.bridge.repos.links.findByFno(MAP, 'CustomersV3', { dataAreaId: 'nlmf', CustomerAccount: 'NL-CE-PERSON' })).not.toBeNull();

    // Without a customer group F&O refuses the create: parked, with F&O's reason.
    expect(await fnoCustomer('NL-CE-NOGROUP')).toBeNull();
    const { errors } = await json<{ errors: Row[] }>(await admin('GET', '/errors'));
    expect(errors).toEqual([expect.objectContaining({ map: MAP, recordKey: noGroupId, state: 'parked', code: 'SYNC_REJECTED' })]);
    expect(errors[0].message).toContain("Field 'Customer group' must be filled in.");
    // Not sellable: outside the map's Dataverse filter, never sent to F&O. One person created in F&O, no other.
    expect(await fnoCustomer('NL-CE-NOTSOLD')).toBeNull();
    expect((await api.fnoStats()).entities.CustomersV3).toMatchObject({ creates: 1 });
  }, 60_000);
});
