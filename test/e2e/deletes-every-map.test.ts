// Deletes for every shipped map (issue 16), through the real engine over real HTTP: one sandbox, one bridge with every
// map enabled and every notification on (F&O data events, Dataverse Delete webhooks). deletes.test.ts covers
// customers-accounts (every policy), customer groups and vendor groups; this file covers the other maps, one test per
// map and direction their shipped `deletes` policy names (README "Deletes"):
//  - customers-contacts: F&O delete -> contact deactivated; contact deleted in CE -> F&O customer kept, unlinked;
//  - vendors: F&O delete -> msdyn_vendor deleted; vendor deleted in CE -> F&O vendor kept, unlinked;
//  - payment-terms: deleted on both sides;
//  - released-products, currencies, legal-entities: F&O delete -> Dataverse row deactivated;
//  - operating-units, exchange-rates, organisation-hierarchies: F&O delete -> Dataverse row deleted;
//  - legal-entity-organisations, organisation-hierarchy-types: F&O delete -> Dataverse row kept (active), unlinked.
// Each asserts the other side's row afterwards, that the link is gone, that the delete is recorded, and that nothing
// comes back: a later change of the kept row, a late notification of the deleted record (its Update event delivered
// after the delete) and a sweep re-create nothing. F&O refuses to delete records in use, so every record deleted here is
// made fresh in F&O for this test (the sandbox's control route, as an F&O user would) and synced by the bridge first.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Sandbox } from '@finops-bridge/sandbox';
import { keyJson } from '../../bridge-service/src/db/repos/links';
import { eventually, json, sandboxApi, startBridge, startWorld, type Bridge } from './support/harness';

let sandbox: Sandbox;
let bridge: Bridge;
let api: ReturnType<typeof sandboxApi>;
let nlmf: string;

jest.setTimeout(20_000);

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const engine = () => bridge.sync.engine();
const idle = () => engine().worker.idle(15_000);
const settle = async () => { await idle(); await new Promise((r) => setTimeout(r, 300)); await idle(); };
const segment = (key: Record<string, string>) => Object.entries(key).map(([k, v]) => `${k}='${v.replace(/'/g, "''")}'`).join(',');
const fnoUrl = (entitySet: string, key: Record<string, string>) => `${sandbox.urls.fno}/data/${entitySet}(${segment(key)})?cross-company=true`;
const fnoToken = () => sandbox.getToken('bridge', 'fno');

/** An F&O user deletes a record (OData DELETE: F&O sends its Delete data event). */
async function fnoDelete(entitySet: string, key: Record<string, string>): Promise<void> {
  const res = await fetch(fnoUrl(entitySet, key), { method: 'DELETE', headers: { authorization: `Bearer ${await fnoToken()}`, 'If-Match': '*' } });
  expect(res.status).toBe(204);
}
const fnoStatus = async (entitySet: string, key: Record<string, string>) => (await fetch(fnoUrl(entitySet, key), { headers: { authorization: `Bearer ${await fnoToken()}` } })).status;

/** A Dataverse user deletes a row: `controller` for contacts and vendors, the application user (an admin) for reference data. */
async function dvDelete(who: 'controller' | 'bridge', entitySet: string, id: string): Promise<void> {
  const res = await fetch(`${sandbox.urls.dataverseApi}/${entitySet}(${id})`, { method: 'DELETE', headers: { authorization: `Bearer ${await sandbox.getToken(who, 'dataverse')}` } });
  expect(res.status).toBe(204);
}
const dvStatus = async (entitySet: string, id: string) => (await fetch(`${sandbox.urls.dataverseApi}/${entitySet}(${id})`, { headers: { authorization: `Bearer ${await sandbox.getToken('bridge', 'dataverse')}` } })).status;
const dvRows = (entitySet: string, filter: string) => api.dvGet(entitySet, `$filter=${encodeURIComponent(filter)}`);

/** The one Dataverse row a filter finds, once the bridge has written it and linked it. */
async function synced(mapName: string, entitySet: string, table: string, primaryId: string, filter: string): Promise<string> {
  const row = await eventually(async () => { const rows = await dvRows(entitySet, filter); return rows.length === 1 ? rows[0] : null; }, 10_000);
  const id = str(row[primaryId]);
  await eventually(() => bridge.app.bridge.repos.links.findByDataverse(mapName, table, id), 10_000);
  return id;
}

const linkOf = (mapName: string, table: string, id: string) => bridge.app.bridge.repos.links.findByDataverse(mapName, table, id);
const deletesOf = async (mapName: string) => (await engine().deletes.list({ map: mapName, limit: 20 })).map((d) => ({ side: d.deletedSide, action: d.action, dataverseId: d.dataverseId, fnoKey: d.fnoKey }));

/** The F&O record's Update notification delivered late (after its delete), then a sweep: neither may bring anything back. */
async function lateNotificationAndSweep(mapName: string, key: Record<string, string>): Promise<void> {
  await engine().queue.enqueue([{ mapName, side: 'fno', recordKey: keyJson(key), message: 'Update', dedupeKey: `late|${mapName}|${keyJson(key)}` }]);
  await engine().sweeper.sweepOnce();
  await engine().sweeper.sweepOnce();
  await settle();
  expect(await engine().queue.jobOf(mapName, 'fno', keyJson(key))).toMatchObject({ state: 'succeeded' });
}
/** A Dataverse row's Update notification delivered late (after its delete). */
async function lateDataverseNotification(mapName: string, id: string): Promise<void> {
  await engine().queue.enqueue([{ mapName, side: 'dataverse', recordKey: id, message: 'Update', dedupeKey: `late|${mapName}|${id}` }]);
  await settle();
  expect(await engine().queue.jobOf(mapName, 'dataverse', id)).toMatchObject({ state: 'succeeded' });
}

// Keys of the records made for this test.
const PERSON_FNO = { dataAreaId: 'nlmf', CustomerAccount: 'NL-DELP-1' };
const PERSON_CE = { dataAreaId: 'nlmf', CustomerAccount: 'NL-DELP-2' };
const VENDOR_FNO = { dataAreaId: 'nlmf', VendorAccountNumber: 'V-NL-DEL-1' };
const VENDOR_CE = { dataAreaId: 'nlmf', VendorAccountNumber: 'V-NL-DEL-2' };
const TERMS_FNO = { dataAreaId: 'nlmf', Name: 'DEL30' };
const TERMS_CE = { dataAreaId: 'nlmf', Name: 'DEL31' };
const PRODUCT = { dataAreaId: 'usmf', ProductNumber: 'DEL-0001' };
const CURRENCY = { CurrencyCode: 'XTS' };
const COMPANY = { LegalEntityId: 'xxmf' };
const COMPANY_PARTY = '000001799';
const UNIT = { OperatingUnitNumber: 'OU-DEL' };
const UNIT_PARTY = '000002099';
const RATE = { RateTypeName: 'Default', FromCurrency: 'EUR', ToCurrency: 'USD', StartDate: '2026-05-01T12:00:00Z' };
const RELATION = { HierarchyType: 'Organization chart', ChildOrganizationPartyNumber: '000001703', validFrom: '2026-04-01T00:00:00Z' };
const TYPE = { Name: 'Delete test hierarchy' };

const ids: Record<string, string> = {};
const inNl = (filter: string) => `${filter} and _msdyn_company_value eq ${nlmf}`;

beforeAll(async () => {
  sandbox = await startWorld();
  bridge = await startBridge(sandbox, { settings: { maps: 'all' } });
  api = sandboxApi(sandbox);
  nlmf = str((await api.dvGet('cdm_companies', "$filter=cdm_companycode eq 'nlmf'&$select=cdm_companyid"))[0].cdm_companyid);
  await eventually(async () => (await json<{ value: unknown[] }>(await fetch(`${sandbox.urls.fno}/_sandbox/events/subscriptions`))).value.length > 0);

  // Fresh records, made in F&O by its users; no orders, invoices or other records use them.
  const customer = { CustomerGroupId: '80', PaymentTerms: 'COD', SalesCurrencyCode: 'EUR', PartyType: 'Person' };
  await api.fnoChange('CustomersV3', { ...PERSON_FNO, ...customer, PersonFirstName: 'Daan', PersonLastName: 'Verwijderd' });
  await api.fnoChange('CustomersV3', { ...PERSON_CE, ...customer, PersonFirstName: 'Eva', PersonLastName: 'Bewaard' });
  await api.fnoChange('VendorsV2', { ...VENDOR_FNO, VendorOrganizationName: 'Verwijderd Leverancier B.V.', VendorGroupId: '10', CurrencyCode: 'EUR' });
  await api.fnoChange('VendorsV2', { ...VENDOR_CE, VendorOrganizationName: 'Bewaard Leverancier B.V.', VendorGroupId: '10', CurrencyCode: 'EUR' });
  await api.fnoChange('PaymentTerms', { ...TERMS_FNO, Description: 'Delete test, F&O side', NumberOfDays: 30, PaymentMethodType: 'Net' });
  await api.fnoChange('PaymentTerms', { ...TERMS_CE, Description: 'Delete test, CE side', NumberOfDays: 31, PaymentMethodType: 'Net' });
  await api.fnoChange('ReleasedProductsV2', { ...PRODUCT, ItemNumber: 'DEL-0001', SearchName: 'Delete test product', ProductType: 'Item', SalesPrice: 5, UnitCost: 2 });
  await api.fnoChange('Currencies', { ...CURRENCY, Name: 'Delete test currency', Symbol: 'X' });
  await api.fnoChange('LegalEntities', { ...COMPANY, Name: 'Delete Test Company', NameAlias: 'Delete', LanguageId: 'en-us', PartyNumber: COMPANY_PARTY });
  await api.fnoChange('OperatingUnits', { ...UNIT, PartyNumber: UNIT_PARTY, Name: 'Delete test unit', NameAlias: 'Delete', LanguageId: 'en-us', OperatingUnitType: 'OMBusinessUnit' });
  await api.fnoChange('ExchangeRates', { ...RATE, EndDate: '2154-12-31T23:59:59Z', Rate: 1.25, ConversionFactor: 'One' });
  await api.fnoChange('OrganizationHierarchyPublishedV2', { ...RELATION, ParentOrganizationPartyNumber: '000001702', validTo: '2154-12-31T23:59:59Z' });
  await api.fnoChange('OrganizationHierarchyTypes', TYPE);

  ids.personFno = await synced('customers-contacts', 'contacts', 'contact', 'contactid', inNl("msdyn_contactpersonid eq 'NL-DELP-1'"));
  ids.personCe = await synced('customers-contacts', 'contacts', 'contact', 'contactid', inNl("msdyn_contactpersonid eq 'NL-DELP-2'"));
  ids.vendorFno = await synced('vendors', 'msdyn_vendors', 'msdyn_vendor', 'msdyn_vendorid', inNl("msdyn_vendoraccountnumber eq 'V-NL-DEL-1'"));
  ids.vendorCe = await synced('vendors', 'msdyn_vendors', 'msdyn_vendor', 'msdyn_vendorid', inNl("msdyn_vendoraccountnumber eq 'V-NL-DEL-2'"));
  ids.termsFno = await synced('payment-terms', 'msdyn_paymentterms', 'msdyn_paymentterm', 'msdyn_paymenttermid', inNl("msdyn_name eq 'DEL30'"));
  ids.termsCe = await synced('payment-terms', 'msdyn_paymentterms', 'msdyn_paymentterm', 'msdyn_paymenttermid', inNl("msdyn_name eq 'DEL31'"));
  ids.product = await synced('released-products', 'products', 'product', 'productid', "msdyn_productnumber eq 'DEL-0001'");
  ids.currency = await synced('currencies', 'transactioncurrencies', 'transactioncurrency', 'transactioncurrencyid', "isocurrencycode eq 'XTS'");
  ids.company = await synced('legal-entities', 'cdm_companies', 'cdm_company', 'cdm_companyid', "cdm_companycode eq 'xxmf'");
  ids.companyOrg = await synced('legal-entity-organisations', 'msdyn_internalorganizations', 'msdyn_internalorganization', 'msdyn_internalorganizationid', `msdyn_partynumber eq '${COMPANY_PARTY}'`);
  ids.unit = await synced('operating-units', 'msdyn_internalorganizations', 'msdyn_internalorganization', 'msdyn_internalorganizationid', `msdyn_partynumber eq '${UNIT_PARTY}'`);
  ids.rate = await synced('exchange-rates', 'msdyn_currencyexchangerates', 'msdyn_currencyexchangerate', 'msdyn_currencyexchangerateid', "msdyn_tocurrencycode eq 'USD' and msdyn_validfrom eq 2026-05-01T12:00:00Z");
  ids.relation = await synced('organisation-hierarchies', 'msdyn_internalorganizationhierarchies', 'msdyn_internalorganizationhierarchy', 'msdyn_internalorganizationhierarchyid',
    "msdyn_childpartyid eq '000001703' and msdyn_validfrom eq 2026-04-01T00:00:00Z");
  ids.type = await synced('organisation-hierarchy-types', 'msdyn_internalorganizationhierarchytypes', 'msdyn_internalorganizationhierarchytype', 'msdyn_internalorganizationhierarchytypeid',
    `msdyn_name eq '${TYPE.Name}'`);
  await settle();
}, 60_000);

afterAll(async () => {
  await bridge?.close();
  await sandbox?.close();
});

describe('customers-contacts (F&O delete: deactivate; CE delete: keep the customer, unlink)', () => {
  const MAP = 'customers-contacts';

  it('deactivates the contact of a person customer deleted in F&O; a CE edit, a late notification and the sweep re-create nothing', async () => {
    await fnoDelete('CustomersV3', PERSON_FNO);
    await eventually(async () => (await api.dvRow('contacts', ids.personFno)).statecode === 1, 8000);
    await settle();
    expect(await api.dvRow('contacts', ids.personFno)).toMatchObject({ statecode: 1, statuscode: 2, msdyn_contactpersonid: 'NL-DELP-1' });
    expect(await linkOf(MAP, 'contact', ids.personFno)).toBeNull();
    expect(await deletesOf(MAP)).toContainEqual({ side: 'fno', action: 'deactivate', dataverseId: ids.personFno, fnoKey: PERSON_FNO });

    await api.dvPatch('contacts', ids.personFno, { jobtitle: 'Oud-klant' });
    await settle();
    expect(await engine().queue.jobOf(MAP, 'dataverse', ids.personFno)).toMatchObject({ state: 'succeeded', lastError: null });
    await lateNotificationAndSweep(MAP, PERSON_FNO);
    expect(await fnoStatus('CustomersV3', PERSON_FNO)).toBe(404);
    expect(await api.dvRow('contacts', ids.personFno)).toMatchObject({ statecode: 1, jobtitle: 'Oud-klant' });
    expect(await linkOf(MAP, 'contact', ids.personFno)).toBeNull();
  });

  it('keeps the F&O customer of a contact deleted in CE, unlinked; a later F&O edit does not re-create the contact', async () => {
    await dvDelete('controller', 'contacts', ids.personCe);
    await eventually(async () => (await deletesOf(MAP)).some((d) => d.dataverseId === ids.personCe), 8000);
    await settle();
    expect(await deletesOf(MAP)).toContainEqual({ side: 'dataverse', action: 'unlink', dataverseId: ids.personCe, fnoKey: PERSON_CE });
    expect(await api.fnoGet('CustomersV3', segment(PERSON_CE))).toMatchObject({ PersonLastName: 'Bewaard', PartyType: 'Person' });
    expect(await linkOf(MAP, 'contact', ids.personCe)).toBeNull();
    expect(await bridge.app.bridge.repos.links.findByFno(MAP, 'CustomersV3', PERSON_CE)).toBeNull();

    await api.fnoChange('CustomersV3', { ...PERSON_CE, PersonProfessionalTitle: 'Inkoper' });
    await lateNotificationAndSweep(MAP, PERSON_CE);
    expect(await dvRows('contacts', "msdyn_contactpersonid eq 'NL-DELP-2'")).toEqual([]);
    expect(await api.fnoGet('CustomersV3', segment(PERSON_CE))).toMatchObject({ PersonProfessionalTitle: 'Inkoper' });
  });
});

describe('vendors (F&O delete: delete; CE delete: keep the vendor, unlink)', () => {
  const MAP = 'vendors';

  it('deletes the Dataverse vendor of a vendor deleted in F&O; a late notification and the sweep re-create nothing', async () => {
    await fnoDelete('VendorsV2', VENDOR_FNO);
    await eventually(async () => (await dvStatus('msdyn_vendors', ids.vendorFno)) === 404, 8000);
    await settle();
    expect(await linkOf(MAP, 'msdyn_vendor', ids.vendorFno)).toBeNull();
    expect(await deletesOf(MAP)).toContainEqual({ side: 'fno', action: 'delete', dataverseId: ids.vendorFno, fnoKey: VENDOR_FNO });
    await lateDataverseNotification(MAP, ids.vendorFno); // the Delete webhook of the bridge's own delete, again
    await lateNotificationAndSweep(MAP, VENDOR_FNO);
    expect(await dvRows('msdyn_vendors', "msdyn_vendoraccountnumber eq 'V-NL-DEL-1'")).toEqual([]);
    expect(await fnoStatus('VendorsV2', VENDOR_FNO)).toBe(404);
  });

  it('keeps the F&O vendor of a vendor deleted in CE, unlinked; a later F&O edit does not re-create it in Dataverse', async () => {
    await dvDelete('controller', 'msdyn_vendors', ids.vendorCe);
    await eventually(async () => (await deletesOf(MAP)).some((d) => d.dataverseId === ids.vendorCe), 8000);
    await settle();
    expect(await deletesOf(MAP)).toContainEqual({ side: 'dataverse', action: 'unlink', dataverseId: ids.vendorCe, fnoKey: VENDOR_CE });
    expect(await api.fnoGet('VendorsV2', segment(VENDOR_CE))).toMatchObject({ VendorOrganizationName: 'Bewaard Leverancier B.V.' });
    expect(await bridge.app.bridge.repos.links.findByFno(MAP, 'VendorsV2', VENDOR_CE)).toBeNull();

    await api.fnoChange('VendorsV2', { ...VENDOR_CE, AddressCity: 'Gouda' });
    await lateNotificationAndSweep(MAP, VENDOR_CE);
    expect(await dvRows('msdyn_vendors', "msdyn_vendoraccountnumber eq 'V-NL-DEL-2'")).toEqual([]);
  });
});

describe('payment-terms (deleted on both sides)', () => {
  const MAP = 'payment-terms';

  it('deletes the Dataverse terms of terms deleted in F&O; nothing comes back', async () => {
    await fnoDelete('PaymentTerms', TERMS_FNO);
    await eventually(async () => (await dvStatus('msdyn_paymentterms', ids.termsFno)) === 404, 8000);
    await settle();
    expect(await linkOf(MAP, 'msdyn_paymentterm', ids.termsFno)).toBeNull();
    expect(await deletesOf(MAP)).toContainEqual({ side: 'fno', action: 'delete', dataverseId: ids.termsFno, fnoKey: TERMS_FNO });
    await lateDataverseNotification(MAP, ids.termsFno);
    await lateNotificationAndSweep(MAP, TERMS_FNO);
    expect(await dvRows('msdyn_paymentterms', inNl("msdyn_name eq 'DEL30'"))).toEqual([]);
    expect(await fnoStatus('PaymentTerms', TERMS_FNO)).toBe(404);
  });

  it('deletes the F&O terms of terms deleted in Dataverse; nothing comes back', async () => {
    await dvDelete('bridge', 'msdyn_paymentterms', ids.termsCe);
    await eventually(async () => (await fnoStatus('PaymentTerms', TERMS_CE)) === 404, 8000);
    await settle();
    expect(await linkOf(MAP, 'msdyn_paymentterm', ids.termsCe)).toBeNull();
    expect(await deletesOf(MAP)).toContainEqual({ side: 'dataverse', action: 'delete', dataverseId: ids.termsCe, fnoKey: TERMS_CE });
    await lateDataverseNotification(MAP, ids.termsCe);
    await lateNotificationAndSweep(MAP, TERMS_CE); // the Delete data event of the bridge's own delete, again
    expect(await fnoStatus('PaymentTerms', TERMS_CE)).toBe(404);
    expect(await dvRows('msdyn_paymentterms', inNl("msdyn_name eq 'DEL31'"))).toEqual([]);
  });
});

describe('one-way maps: what an F&O delete does to the Dataverse row', () => {
  it('released-products: the product is deactivated (retired), unlinked, and stays so', async () => {
    const MAP = 'released-products';
    await fnoDelete('ReleasedProductsV2', { dataAreaId: 'usmf', ItemNumber: 'DEL-0001' });
    await eventually(async () => (await api.dvRow('products', ids.product)).statecode === 1, 8000);
    await settle();
    expect(await api.dvRow('products', ids.product)).toMatchObject({ statecode: 1, statuscode: 2, msdyn_productnumber: 'DEL-0001' });
    expect(await linkOf(MAP, 'product', ids.product)).toBeNull();
    expect(await deletesOf(MAP)).toEqual([{ side: 'fno', action: 'deactivate', dataverseId: ids.product, fnoKey: PRODUCT }]);
    await lateNotificationAndSweep(MAP, PRODUCT);
    expect(await dvRows('products', "msdyn_productnumber eq 'DEL-0001'")).toEqual([expect.objectContaining({ productid: ids.product, statecode: 1 })]);
  });

  it('currencies: the currency is deactivated, unlinked, and stays so', async () => {
    const MAP = 'currencies';
    await fnoDelete('Currencies', CURRENCY);
    await eventually(async () => (await api.dvRow('transactioncurrencies', ids.currency)).statecode === 1, 8000);
    await settle();
    expect(await api.dvRow('transactioncurrencies', ids.currency)).toMatchObject({ statecode: 1, statuscode: 2, isocurrencycode: 'XTS' });
    expect(await linkOf(MAP, 'transactioncurrency', ids.currency)).toBeNull();
    expect(await deletesOf(MAP)).toEqual([{ side: 'fno', action: 'deactivate', dataverseId: ids.currency, fnoKey: CURRENCY }]);
    await lateNotificationAndSweep(MAP, CURRENCY);
    expect(await dvRows('transactioncurrencies', "isocurrencycode eq 'XTS'")).toEqual([expect.objectContaining({ transactioncurrencyid: ids.currency, statecode: 1 })]);
  });

  it('legal-entities: the company is deactivated, unlinked, and stays so', async () => {
    const MAP = 'legal-entities';
    await fnoDelete('LegalEntities', COMPANY);
    await eventually(async () => (await api.dvRow('cdm_companies', ids.company)).statecode === 1, 8000);
    await settle();
    expect(await api.dvRow('cdm_companies', ids.company)).toMatchObject({ statecode: 1, statuscode: 2, cdm_companycode: 'xxmf' });
    expect(await linkOf(MAP, 'cdm_company', ids.company)).toBeNull();
    expect(await deletesOf(MAP)).toEqual([{ side: 'fno', action: 'deactivate', dataverseId: ids.company, fnoKey: COMPANY }]);
    await lateNotificationAndSweep(MAP, COMPANY);
    expect(await dvRows('cdm_companies', "cdm_companycode eq 'xxmf'")).toEqual([expect.objectContaining({ cdm_companyid: ids.company, statecode: 1 })]);
  });

  it('legal-entity-organisations: the same legal entity\'s internal organisation is kept as it is (active), unlinked', async () => {
    // The delete of the legal entity above.
    const MAP = 'legal-entity-organisations';
    await eventually(async () => (await deletesOf(MAP)).length > 0, 8000);
    await settle();
    expect(await api.dvRow('msdyn_internalorganizations', ids.companyOrg)).toMatchObject({ statecode: 0, msdyn_partynumber: COMPANY_PARTY, msdyn_companycode: 'xxmf' });
    expect(await linkOf(MAP, 'msdyn_internalorganization', ids.companyOrg)).toBeNull();
    expect(await deletesOf(MAP)).toEqual([{ side: 'fno', action: 'unlink', dataverseId: ids.companyOrg, fnoKey: COMPANY }]);
    await lateNotificationAndSweep(MAP, COMPANY);
    expect(await dvRows('msdyn_internalorganizations', `msdyn_partynumber eq '${COMPANY_PARTY}'`)).toEqual([expect.objectContaining({ msdyn_internalorganizationid: ids.companyOrg, statecode: 0 })]);
    expect(await linkOf(MAP, 'msdyn_internalorganization', ids.companyOrg)).toBeNull();
  });

  it('operating-units: the internal organisation is deleted, and stays so', async () => {
    const MAP = 'operating-units';
    await fnoDelete('OperatingUnits', UNIT);
    await eventually(async () => (await dvStatus('msdyn_internalorganizations', ids.unit)) === 404, 8000);
    await settle();
    expect(await linkOf(MAP, 'msdyn_internalorganization', ids.unit)).toBeNull();
    expect(await deletesOf(MAP)).toEqual([{ side: 'fno', action: 'delete', dataverseId: ids.unit, fnoKey: UNIT }]);
    await lateNotificationAndSweep(MAP, UNIT);
    expect(await dvRows('msdyn_internalorganizations', `msdyn_partynumber eq '${UNIT_PARTY}'`)).toEqual([]);
  });

  it('exchange-rates: the rate is deleted, and stays so', async () => {
    const MAP = 'exchange-rates';
    const key = { ExchangeRateTypeName: 'Default', FromCurrencyCode: 'EUR', ToCurrencyCode: 'USD', ValidFrom: RATE.StartDate };
    await fnoDelete('ExchangeRates', RATE);
    await eventually(async () => (await dvStatus('msdyn_currencyexchangerates', ids.rate)) === 404, 8000);
    await settle();
    expect(await linkOf(MAP, 'msdyn_currencyexchangerate', ids.rate)).toBeNull();
    expect(await deletesOf(MAP)).toEqual([expect.objectContaining({ side: 'fno', action: 'delete', dataverseId: ids.rate })]);
    await lateNotificationAndSweep(MAP, key);
    expect(await dvRows('msdyn_currencyexchangerates', "msdyn_tocurrencycode eq 'USD' and msdyn_validfrom eq 2026-05-01T12:00:00Z")).toEqual([]);
  });

  it('organisation-hierarchies: the relation is deleted, and stays so', async () => {
    const MAP = 'organisation-hierarchies';
    await fnoDelete('OrganizationHierarchyPublishedV2', RELATION);
    await eventually(async () => (await dvStatus('msdyn_internalorganizationhierarchies', ids.relation)) === 404, 8000);
    await settle();
    expect(await linkOf(MAP, 'msdyn_internalorganizationhierarchy', ids.relation)).toBeNull();
    expect(await deletesOf(MAP)).toEqual([expect.objectContaining({ side: 'fno', action: 'delete', dataverseId: ids.relation })]);
    await lateNotificationAndSweep(MAP, RELATION);
    expect(await dvRows('msdyn_internalorganizationhierarchies', "msdyn_childpartyid eq '000001703' and msdyn_validfrom eq 2026-04-01T00:00:00Z")).toEqual([]);
  });

  it('organisation-hierarchy-types: the type is kept as it is (active), unlinked, and stays so', async () => {
    const MAP = 'organisation-hierarchy-types';
    await fnoDelete('OrganizationHierarchyTypes', TYPE);
    await eventually(async () => (await deletesOf(MAP)).length > 0, 8000);
    await settle();
    expect(await api.dvRow('msdyn_internalorganizationhierarchytypes', ids.type)).toMatchObject({ statecode: 0, msdyn_name: TYPE.Name });
    expect(await linkOf(MAP, 'msdyn_internalorganizationhierarchytype', ids.type)).toBeNull();
    expect(await deletesOf(MAP)).toEqual([{ side: 'fno', action: 'unlink', dataverseId: ids.type, fnoKey: TYPE }]);
    await lateNotificationAndSweep(MAP, TYPE);
    expect(await dvRows('msdyn_internalorganizationhierarchytypes', `msdyn_name eq '${TYPE.Name}'`)).toEqual([expect.objectContaining({ statecode: 0 })]);
    expect(await linkOf(MAP, 'msdyn_internalorganizationhierarchytype', ids.type)).toBeNull();
  });

  it('left nothing failing', async () => {
    await settle();
    const t = await sandbox.getToken('admin', 'bridge');
    expect((await json<{ errors: unknown[] }>(await fetch(`${bridge.url}/api/v1/admin/errors`, { headers: { authorization: `Bearer ${t}` } }))).errors).toEqual([]);
  });
});
