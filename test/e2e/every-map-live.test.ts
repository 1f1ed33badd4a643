// Every shipped map through the real engine (issue 16), part two: live sync of each map. Real HTTP: the sandbox
// sends its notifications (F&O data events, Dataverse webhooks) to one bridge with every map enabled. For each map an
// F&O user creates a record and changes one, and the change reaches Dataverse with its lookups resolved; for each
// two-way map a Dataverse user creates a row and changes one, and the change reaches F&O. Dataverse writes are made as
// the controller (who writes nlmf and semf accounts, contacts and vendors) where that user may, and as the bridge's
// application user for the reference tables, which the demo users have no privilege on (as in a real environment,
// where only admins maintain payment terms, customer groups and vendor groups). Where F&O cannot take a create (a
// vendor or a person created in CE without its group) the test asserts what the admin sees: the job parked with F&O's
// reason, until the CE user picks a group. A legal entity created in F&O gets its internal organisation
// (legal-entity-organisations), so a hierarchy relation to it lands with no admin's help.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Sandbox } from '@finops-bridge/sandbox';
import { eventually, json, sandboxApi, startBridge, startWorld, type Bridge } from './support/harness';

type Row = Record<string, unknown>;
let sandbox: Sandbox;
let bridge: Bridge;
let api: ReturnType<typeof sandboxApi>;
let adminToken: string;
let nlmf: string;
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const q = (v: string) => `'${v.replace(/'/g, "''")}'`;

jest.setTimeout(20_000);

const admin = (method: 'GET' | 'POST', path: string) => fetch(`${bridge.url}/api/v1/admin${path}`, { method, headers: { authorization: `Bearer ${adminToken}` } });
const idle = () => bridge.sync.engine().worker.idle(15_000);

/** Fails with what the admin sees: the failing jobs and their reasons. */
const withErrors = <T>(p: Promise<T>): Promise<T> => p.catch(async (e: unknown) => {
  throw new Error(`${String(e)}; errors: ${JSON.stringify(await json(await admin('GET', '/errors')))}`);
});

/** The Dataverse row of a table whose filter matches exactly one, once it is there. */
const dvOne = (entitySet: string, filter: string, until: (r: Row) => boolean = () => true, timeoutMs = 8000) => withErrors(eventually(async () => {
  const rows = await api.dvGet(entitySet, `$filter=${encodeURIComponent(filter)}`);
  return rows.length === 1 && until(rows[0]) ? rows[0] : null;
}, timeoutMs));

/** The F&O record, once it is there and `until` holds. */
const fnoOne = (entitySet: string, key: string, until: (r: Row) => boolean = () => true, timeoutMs = 8000) => withErrors(eventually(async () => {
  const r = await fetch(`${sandbox.urls.fno}/data/${entitySet}(${key})?cross-company=true`, { headers: { authorization: `Bearer ${await sandbox.getToken('bridge', 'fno')}` } });
  if (r.status !== 200) return null;
  const row = (await r.json()) as Row;
  return until(row) ? row : null;
}, timeoutMs));

/** A Dataverse user's create (POST) or update (PATCH), as `who`. */
async function dvWrite(who: 'controller' | 'bridge', method: 'POST' | 'PATCH', path: string, body: Row): Promise<void> {
  const t = await sandbox.getToken(who, 'dataverse');
  const res = await fetch(`${sandbox.urls.dataverseApi}/${path}`, {
    method, headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json', ...(method === 'PATCH' ? { 'If-Match': '*' } : {}) }, body: JSON.stringify(body),
  });
  if (res.status !== 204) throw new Error(`${method} ${path} as ${who} answered ${res.status}: ${await res.text()}`);
}

const idOf = async (entitySet: string, filter: string, primaryId: string): Promise<string> => str((await dvOne(entitySet, filter))[primaryId]);
const inNl = (filter: string) => `${filter} and _msdyn_company_value eq ${nlmf}`;

beforeAll(async () => {
  sandbox = await startWorld();
  bridge = await startBridge(sandbox, { settings: { maps: 'all' } });
  api = sandboxApi(sandbox);
  adminToken = await sandbox.getToken('admin', 'bridge');
  nlmf = str((await api.dvGet('cdm_companies', "$filter=cdm_companycode eq 'nlmf'&$select=cdm_companyid"))[0].cdm_companyid);
  await eventually(async () => (await json<{ value: unknown[] }>(await fetch(`${sandbox.urls.fno}/_sandbox/events/subscriptions`))).value.length > 0);
}, 60_000);

afterAll(async () => {
  await bridge?.close();
  await sandbox?.close();
});

describe('F&O -> Dataverse, every map: a created record and a changed one arrive, lookups resolved', () => {
  it('legal-entities and legal-entity-organisations (a company and its internal organisation, by party number)', async () => {
    await api.fnoChange('LegalEntities', { LegalEntityId: 'dkmf', Name: 'Contoso Danmark', NameAlias: 'Contoso DK', LanguageId: 'da', PartyNumber: '000001704' });
    await api.fnoChange('LegalEntities', { LegalEntityId: 'semf', Name: 'Contoso Sverige AB (renamed)' });
    expect(await dvOne('cdm_companies', "cdm_companycode eq 'dkmf'")).toMatchObject({ cdm_name: 'Contoso Danmark' });
    await dvOne('cdm_companies', "cdm_companycode eq 'semf'", (r) => r.cdm_name === 'Contoso Sverige AB (renamed)');
    expect(await dvOne('msdyn_internalorganizations', "msdyn_partynumber eq '000001704'")).toMatchObject({
      msdyn_companycode: 'dkmf', msdyn_name: 'Contoso Danmark', msdyn_namealias: 'Contoso DK', msdyn_languageid: 'da', msdyn_type: 806380000,
    });
    // The renamed company's internal organisation (the seed's, keyed by semf's party number) follows.
    await dvOne('msdyn_internalorganizations', "msdyn_partynumber eq '000001703'", (r) => r.msdyn_name === 'Contoso Sverige AB (renamed)' && r.msdyn_companycode === 'semf');
  });

  it('operating-units and organisation-hierarchies (parent and child resolved to internal organisations)', async () => {
    // An operating unit's party number is not its unit number: the internal organisation is keyed by the party number.
    await api.fnoChange('OperatingUnits', { OperatingUnitNumber: 'OU-005', PartyNumber: '000002005', Name: 'Contoso Benelux', NameAlias: 'Benelux', LanguageId: 'nl', OperatingUnitType: 'OMBusinessUnit' });
    await api.fnoChange('OperatingUnits', { OperatingUnitNumber: 'OU-001', Name: 'Sales and marketing' });
    const ou5 = await dvOne('msdyn_internalorganizations', "msdyn_partynumber eq '000002005'");
    expect(ou5).toMatchObject({ msdyn_name: 'Contoso Benelux', msdyn_namealias: 'Benelux', msdyn_languageid: 'nl' });
    expect(await api.dvGet('msdyn_internalorganizations', "$filter=msdyn_partynumber eq 'OU-005'")).toEqual([]);
    const ou1 = await dvOne('msdyn_internalorganizations', "msdyn_partynumber eq '000002001'", (r) => r.msdyn_name === 'Sales and marketing');
    // nlmf's internal organisation (party number 000001702).
    const nl = await dvOne('msdyn_internalorganizations', "msdyn_partynumber eq '000001702'");
    const chart = await dvOne('msdyn_internalorganizationhierarchytypes', "msdyn_name eq 'Organization chart'");

    const edge = { HierarchyType: 'Organization chart', ChildOrganizationPartyNumber: '000002005', validFrom: '2026-02-01T00:00:00Z' };
    await api.fnoChange('OrganizationHierarchyPublishedV2', { ...edge, ParentOrganizationPartyNumber: '000002001', validTo: '2154-12-31T23:59:59Z' });
    const created = await dvOne('msdyn_internalorganizationhierarchies', "msdyn_childpartyid eq '000002005'");
    expect(created).toMatchObject({
      msdyn_parentpartyid: '000002001', _msdyn_parentid_value: ou1.msdyn_internalorganizationid, _msdyn_childid_value: ou5.msdyn_internalorganizationid,
      msdyn_hierarchytypename: 'Organization chart', _msdyn_hierarchytypeid_value: chart.msdyn_internalorganizationhierarchytypeid,
    });
    // Moved under another parent: the same relation row, its lookup changed with it.
    await api.fnoChange('OrganizationHierarchyPublishedV2', { ...edge, ParentOrganizationPartyNumber: '000001702' });
    await dvOne('msdyn_internalorganizationhierarchies', "msdyn_childpartyid eq '000002005'", (r) => r.msdyn_parentpartyid === '000001702' && r._msdyn_parentid_value === nl.msdyn_internalorganizationid);
  });

  it('organisation-hierarchy-types: a new type arrives, and a relation of that type points at it', async () => {
    await api.fnoChange('OrganizationHierarchyTypes', { Name: 'Budget planning' });
    const budget = await dvOne('msdyn_internalorganizationhierarchytypes', "msdyn_name eq 'Budget planning'");
    await api.fnoChange('OrganizationHierarchyPublishedV2', {
      HierarchyType: 'Budget planning', ChildOrganizationPartyNumber: '000002005', validFrom: '2026-03-01T00:00:00Z', ParentOrganizationPartyNumber: '000002001', validTo: '2154-12-31T23:59:59Z',
    });
    await dvOne('msdyn_internalorganizationhierarchies', "msdyn_hierarchytypename eq 'Budget planning'", (r) => r._msdyn_hierarchytypeid_value === budget.msdyn_internalorganizationhierarchytypeid);
  });

  it('organisation-hierarchies: a legal entity created in F&O and a relation to it a moment later: the relation lands, no admin involved', async () => {
    // Before legal-entity-organisations, a company created in F&O had no internal organisation and such a relation
    // waited (SYNC_LOOKUP_MISSING) until an admin created one in Dataverse. Now the company's own map creates it; if the
    // relation's job runs first it retries and lands once the internal organisation is there. The parent, Contoso
    // Nordics, gets its internal organisation first (the live world's Dataverse has only the legal entities').
    await api.fnoChange('OperatingUnits', { OperatingUnitNumber: 'OU-004', NameAlias: 'Nordics' });
    const nordics = await dvOne('msdyn_internalorganizations', "msdyn_partynumber eq '000002004'");
    await api.fnoChange('LegalEntities', { LegalEntityId: 'fimf', Name: 'Contoso Suomi Oy', PartyNumber: '000001705', LanguageId: 'fi' });
    await api.fnoChange('OrganizationHierarchyPublishedV2', {
      HierarchyType: 'Organization chart', ChildOrganizationPartyNumber: '000001705', validFrom: '2026-02-01T00:00:00Z', ParentOrganizationPartyNumber: '000002004', validTo: '2154-12-31T23:59:59Z',
    });
    const fi = await dvOne('msdyn_internalorganizations', "msdyn_partynumber eq '000001705'");
    expect(fi).toMatchObject({ msdyn_companycode: 'fimf', msdyn_type: 806380000 });
    await dvOne('msdyn_internalorganizationhierarchies', "msdyn_childpartyid eq '000001705'",
      (r) => r._msdyn_childid_value === fi.msdyn_internalorganizationid && r._msdyn_parentid_value === nordics.msdyn_internalorganizationid, 15_000);
    await idle();
    expect((await json<{ errors: Row[] }>(await admin('GET', '/errors'))).errors.filter((e) => String(e.map).startsWith('organisation') || String(e.map).startsWith('legal'))).toEqual([]);
  });

  it('currencies and exchange-rates (a rate of a new currency)', async () => {
    await api.fnoChange('Currencies', { CurrencyCode: 'NOK', Name: 'Norwegian krone', Symbol: 'kr' });
    await api.fnoChange('Currencies', { CurrencyCode: 'GBP', Name: 'British pound' });
    expect(await dvOne('transactioncurrencies', "isocurrencycode eq 'NOK'")).toMatchObject({ currencyname: 'Norwegian krone', currencysymbol: 'kr', exchangerate: 1 });
    await dvOne('transactioncurrencies', "isocurrencycode eq 'GBP'", (r) => r.currencyname === 'British pound');
    const rate = { RateTypeName: 'Default', FromCurrency: 'EUR', ToCurrency: 'NOK', StartDate: '2026-02-01T12:00:00Z' };
    await api.fnoChange('ExchangeRates', { ...rate, EndDate: '2154-12-31T23:59:59Z', Rate: 11.7, ConversionFactor: 'One' });
    expect(await dvOne('msdyn_currencyexchangerates', "msdyn_tocurrencycode eq 'NOK'")).toMatchObject({ msdyn_fromcurrencycode: 'EUR', msdyn_exchangerate: 11.7 });
    await api.fnoChange('ExchangeRates', { ...rate, Rate: 11.9 });
    await dvOne('msdyn_currencyexchangerates', "msdyn_tocurrencycode eq 'NOK'", (r) => r.msdyn_exchangerate === 11.9);
  });

  it('payment-terms and customer-groups (a new group\'s payment term resolved in its company)', async () => {
    await api.fnoChange('PaymentTerms', { dataAreaId: 'nlmf', Name: 'Net60', Description: 'Net 60 days', NumberOfDays: 60, PaymentMethodType: 'Net' });
    await api.fnoChange('PaymentTerms', { dataAreaId: 'nlmf', Name: 'Net10', Description: 'Netto 10 dagen' });
    const net60 = await dvOne('msdyn_paymentterms', inNl("msdyn_name eq 'Net60'"));
    expect(net60).toMatchObject({ msdyn_description: 'Net 60 days' });
    await dvOne('msdyn_paymentterms', inNl("msdyn_name eq 'Net10'"), (r) => r.msdyn_description === 'Netto 10 dagen');

    await api.fnoChange('CustomerGroups', { dataAreaId: 'nlmf', CustomerGroupId: '90', Description: 'Intercompany', PaymentTermId: 'Net60', IsSalesTaxIncludedInPrice: 'Yes' });
    expect(await dvOne('msdyn_customergroups', inNl("msdyn_groupid eq '90'"))).toMatchObject({
      msdyn_description: 'Intercompany', msdyn_issalestaxincludedinprice: true, _msdyn_paymenttermid_value: net60.msdyn_paymenttermid,
    });
    const net45 = await dvOne('msdyn_paymentterms', inNl("msdyn_name eq 'Net45'"));
    await api.fnoChange('CustomerGroups', { dataAreaId: 'nlmf', CustomerGroupId: '10', Description: 'Groothandel', PaymentTermId: 'Net45' });
    await dvOne('msdyn_customergroups', inNl("msdyn_groupid eq '10'"), (r) => r.msdyn_description === 'Groothandel' && r._msdyn_paymenttermid_value === net45.msdyn_paymenttermid);
  });

  it('customers-accounts and customers-contacts (currency, customer group and payment terms resolved)', async () => {
    const group = await dvOne('msdyn_customergroups', inNl("msdyn_groupid eq '80'"));
    const term = await dvOne('msdyn_paymentterms', inNl("msdyn_name eq 'COD'"));
    const gbp = await dvOne('transactioncurrencies', "isocurrencycode eq 'GBP'");
    const customer = { dataAreaId: 'nlmf', CustomerGroupId: '80', PaymentTerms: 'COD', SalesCurrencyCode: 'GBP' };
    await api.fnoChange('CustomersV3', { ...customer, CustomerAccount: 'NL-E2E-ORG', PartyType: 'Organization', OrganizationName: 'Live Organisatie B.V.', PrimaryContactPhone: '+31 20 555 0101' });
    const account = await dvOne('accounts', inNl("accountnumber eq 'NL-E2E-ORG'"));
    expect(account).toMatchObject({
      name: 'Live Organisatie B.V.', telephone1: '+31 20 555 0101', customertypecode: 3, _transactioncurrencyid_value: gbp.transactioncurrencyid,
      _msdyn_customergroupid_value: group.msdyn_customergroupid, _msdyn_paymentterm_value: term.msdyn_paymenttermid,
    });
    await api.fnoChange('CustomersV3', { dataAreaId: 'nlmf', CustomerAccount: 'NL-E2E-ORG', OrganizationName: 'Live Organisatie Holding B.V.', InvoiceAccount: 'NL-001' });
    const nl001 = await dvOne('accounts', inNl("accountnumber eq 'NL-001'"));
    await dvOne('accounts', inNl("accountnumber eq 'NL-E2E-ORG'"), (r) => r.name === 'Live Organisatie Holding B.V.' && r._msdyn_billingaccount_value === nl001.accountid);

    await api.fnoChange('CustomersV3', { ...customer, CustomerAccount: 'NL-E2E-PER', PartyType: 'Person', PersonFirstName: 'Anouk', PersonLastName: 'Jansen', PrimaryContactEmail: 'anouk@example.nl' });
    const contact = await dvOne('contacts', inNl("msdyn_contactpersonid eq 'NL-E2E-PER'"));
    expect(contact).toMatchObject({
      firstname: 'Anouk', lastname: 'Jansen', emailaddress1: 'anouk@example.nl', msdyn_sellable: true, _transactioncurrencyid_value: gbp.transactioncurrencyid,
      _msdyn_customergroupid_value: group.msdyn_customergroupid, _msdyn_paymentterms_value: term.msdyn_paymenttermid,
    });
    await api.fnoChange('CustomersV3', { dataAreaId: 'nlmf', CustomerAccount: 'NL-E2E-PER', PersonLastName: 'Jansen-de Boer', PersonProfessionalTitle: 'Inkoper' });
    await dvOne('contacts', inNl("msdyn_contactpersonid eq 'NL-E2E-PER'"), (r) => r.lastname === 'Jansen-de Boer' && r.jobtitle === 'Inkoper');
  });

  it('vendor-groups (both terms of payment resolved in the group\'s company)', async () => {
    const net45 = await dvOne('msdyn_paymentterms', inNl("msdyn_name eq 'Net45'"));
    const net10 = await dvOne('msdyn_paymentterms', inNl("msdyn_name eq 'Net10'"));
    const cod = await dvOne('msdyn_paymentterms', inNl("msdyn_name eq 'COD'"));
    await api.fnoChange('VendorGroups', { dataAreaId: 'nlmf', VendorGroupId: '50', Description: 'Transport', DefaultPaymentTermName: 'Net45', ClearingPeriodPaymentTermName: 'Net10' });
    expect(await dvOne('msdyn_vendorgroups', inNl("msdyn_vendorgroup eq '50'"))).toMatchObject({
      msdyn_description: 'Transport', _msdyn_paymentterms_value: net45.msdyn_paymenttermid, _msdyn_clearingperiodpaymentpermname_value: net10.msdyn_paymenttermid,
    });
    await api.fnoChange('VendorGroups', { dataAreaId: 'nlmf', VendorGroupId: '10', Description: 'Handelsleveranciers', DefaultPaymentTermName: 'COD' });
    await dvOne('msdyn_vendorgroups', inNl("msdyn_vendorgroup eq '10'"), (r) => r.msdyn_description === 'Handelsleveranciers' && r._msdyn_paymentterms_value === cod.msdyn_paymenttermid);
  });

  it('vendors (company, currency and vendor group resolved; a new group follows)', async () => {
    const eur = await dvOne('transactioncurrencies', "isocurrencycode eq 'EUR'");
    const g10 = await dvOne('msdyn_vendorgroups', inNl("msdyn_vendorgroup eq '10'"));
    await api.fnoChange('VendorsV2', { dataAreaId: 'nlmf', VendorAccountNumber: 'V-NL-E2E', VendorOrganizationName: 'Leverancier Live B.V.', VendorGroupId: '10', CurrencyCode: 'EUR', PrimaryPhoneNumber: '+31 10 555 0102' });
    expect(await dvOne('msdyn_vendors', inNl("msdyn_vendoraccountnumber eq 'V-NL-E2E'"))).toMatchObject({
      msdyn_name: 'Leverancier Live B.V.', msdyn_pimaryphonenumber: '+31 10 555 0102', _msdyn_currencycode_value: eur.transactioncurrencyid,
      _msdyn_vendorgroupid_value: g10.msdyn_vendorgroupid,
    });
    const g50 = await dvOne('msdyn_vendorgroups', inNl("msdyn_vendorgroup eq '50'"));
    await api.fnoChange('VendorsV2', { dataAreaId: 'nlmf', VendorAccountNumber: 'V-NL-E2E', CreditLimit: 25000, VendorGroupId: '50' });
    await dvOne('msdyn_vendors', inNl("msdyn_vendoraccountnumber eq 'V-NL-E2E'"), (r) => r.msdyn_vendorcreditlimit === 25000 && r._msdyn_vendorgroupid_value === g50.msdyn_vendorgroupid);
  });

  it('released-products (read from CDSReleasedDistinctProducts; usmf only: another company\'s release stays out)', async () => {
    // An F&O user releases products (ReleasedProductsV2); F&O lists them in CDSReleasedDistinctProducts, which the map reads.
    // Item and product number differ here, so a map keyed by the wrong one is caught.
    const usd = await dvOne('transactioncurrencies', "isocurrencycode eq 'USD'");
    await api.fnoChange('ReleasedProductsV2', { dataAreaId: 'usmf', ItemNumber: 'I-0009', ProductNumber: 'D0009', SearchName: 'Subwoofer', ProductType: 'Item', SalesPrice: 499, UnitCost: 299.4 });
    await api.fnoChange('ReleasedProductsV2', { dataAreaId: 'usmf', ItemNumber: 'S0002', ProductNumber: 'S0002', SearchName: 'Calibration service', ProductType: 'Service', SalesPrice: 90, UnitCost: 40 });
    await api.fnoChange('ReleasedProductsV2', { dataAreaId: 'nlmf', ItemNumber: 'D0010', ProductNumber: 'D0010', SearchName: 'Alleen NL', ProductType: 'Item', SalesPrice: 10 });
    await api.fnoChange('ReleasedProductsV2', { dataAreaId: 'usmf', ItemNumber: 'D0001', SalesPrice: 139 });
    expect(await dvOne('products', "msdyn_productnumber eq 'D0009'")).toMatchObject({
      productnumber: 'D0009', msdyn_itemnumber: 'I-0009', name: 'Subwoofer', price: 499, currentcost: 299.4, producttypecode: 1,
      _transactioncurrencyid_value: usd.transactioncurrencyid,
    });
    expect(await dvOne('products', "msdyn_productnumber eq 'S0002'")).toMatchObject({ name: 'Calibration service', producttypecode: 3 });
    await dvOne('products', "msdyn_productnumber eq 'D0001'", (r) => r.price === 139);
    await idle();
    expect(await api.dvGet('products', "$filter=msdyn_productnumber eq 'D0010'")).toEqual([]);
  });

  it('a customer in a group created a moment before it gets the group, whichever job runs first', async () => {
    await api.fnoChange('PaymentTerms', { dataAreaId: 'semf', Name: 'Net14', Description: 'Netto 14 dagar', NumberOfDays: 14, PaymentMethodType: 'Net' });
    await api.fnoChange('CustomerGroups', { dataAreaId: 'semf', CustomerGroupId: '91', Description: 'Nya kunder', PaymentTermId: 'Net14' });
    await api.fnoChange('CustomersV3', { dataAreaId: 'semf', CustomerAccount: 'SE-E2E-ORG', PartyType: 'Organization', OrganizationName: 'Ny Kund AB', CustomerGroupId: '91', PaymentTerms: 'Net14', SalesCurrencyCode: 'SEK' });
    const semf = str((await api.dvGet('cdm_companies', "$filter=cdm_companycode eq 'semf'&$select=cdm_companyid"))[0].cdm_companyid);
    const account = await dvOne('accounts', `accountnumber eq 'SE-E2E-ORG' and _msdyn_company_value eq ${semf}`, (r) => !!r._msdyn_customergroupid_value && !!r._msdyn_paymentterm_value, 15_000);
    const group = await dvOne('msdyn_customergroups', `msdyn_groupid eq '91' and _msdyn_company_value eq ${semf}`);
    const term = await dvOne('msdyn_paymentterms', `msdyn_name eq 'Net14' and _msdyn_company_value eq ${semf}`);
    expect(account).toMatchObject({ _msdyn_customergroupid_value: group.msdyn_customergroupid, _msdyn_paymentterm_value: term.msdyn_paymenttermid });
    expect(group._msdyn_paymenttermid_value).toBe(term.msdyn_paymenttermid);
  });

  it('left nothing failing', async () => {
    await idle();
    expect((await json<{ errors: unknown[] }>(await admin('GET', '/errors'))).errors).toEqual([]);
  });
});

describe('Dataverse -> F&O, every two-way map: a created row and a changed one arrive', () => {
  const bind = (entitySet: string, id: string) => `/${entitySet}(${id})`;

  it('payment-terms and customer-groups (written by an administrator; the group\'s payment term resolved to its F&O name)', async () => {
    await dvWrite('bridge', 'POST', 'msdyn_paymentterms', { msdyn_name: 'Net90', msdyn_description: 'Net 90 days', 'msdyn_company@odata.bind': bind('cdm_companies', nlmf) });
    expect(await fnoOne('PaymentTerms', "dataAreaId='nlmf',Name='Net90'")).toMatchObject({ Description: 'Net 90 days' });
    const net90 = await idOf('msdyn_paymentterms', inNl("msdyn_name eq 'Net90'"), 'msdyn_paymenttermid');
    await dvWrite('bridge', 'PATCH', `msdyn_paymentterms(${net90})`, { msdyn_description: 'Netto 90 dagen' });
    await fnoOne('PaymentTerms', "dataAreaId='nlmf',Name='Net90'", (r) => r.Description === 'Netto 90 dagen');

    await dvWrite('bridge', 'POST', 'msdyn_customergroups', {
      msdyn_groupid: '95', msdyn_description: 'Export', msdyn_issalestaxincludedinprice: true,
      'msdyn_company@odata.bind': bind('cdm_companies', nlmf), 'msdyn_paymenttermid@odata.bind': bind('msdyn_paymentterms', net90),
    });
    expect(await fnoOne('CustomerGroups', "dataAreaId='nlmf',CustomerGroupId='95'")).toMatchObject({ Description: 'Export', PaymentTermId: 'Net90', IsSalesTaxIncludedInPrice: 'Yes' });
    const g30 = await idOf('msdyn_customergroups', inNl("msdyn_groupid eq '30'"), 'msdyn_customergroupid');
    const cod = await idOf('msdyn_paymentterms', inNl("msdyn_name eq 'COD'"), 'msdyn_paymenttermid');
    await dvWrite('bridge', 'PATCH', `msdyn_customergroups(${g30})`, { msdyn_description: 'Detailhandel', 'msdyn_paymenttermid@odata.bind': bind('msdyn_paymentterms', cod) });
    await fnoOne('CustomerGroups', "dataAreaId='nlmf',CustomerGroupId='30'", (r) => r.Description === 'Detailhandel' && r.PaymentTermId === 'COD');
  });

  it('vendor-groups (written by an administrator; both terms of payment resolved to their F&O names)', async () => {
    const net30 = await idOf('msdyn_paymentterms', inNl("msdyn_name eq 'Net30'"), 'msdyn_paymenttermid');
    const net10 = await idOf('msdyn_paymentterms', inNl("msdyn_name eq 'Net10'"), 'msdyn_paymenttermid');
    await dvWrite('bridge', 'POST', 'msdyn_vendorgroups', {
      msdyn_vendorgroup: '60', msdyn_description: 'Leveranciers uit CE', 'msdyn_company@odata.bind': bind('cdm_companies', nlmf),
      'msdyn_paymentterms@odata.bind': bind('msdyn_paymentterms', net30), 'msdyn_clearingperiodpaymentpermname@odata.bind': bind('msdyn_paymentterms', net10),
    });
    expect(await fnoOne('VendorGroups', "dataAreaId='nlmf',VendorGroupId='60'")).toMatchObject({
      Description: 'Leveranciers uit CE', DefaultPaymentTermName: 'Net30', ClearingPeriodPaymentTermName: 'Net10',
    });
    const g20 = await idOf('msdyn_vendorgroups', inNl("msdyn_vendorgroup eq '20'"), 'msdyn_vendorgroupid');
    const cod = await idOf('msdyn_paymentterms', inNl("msdyn_name eq 'COD'"), 'msdyn_paymenttermid');
    await dvWrite('bridge', 'PATCH', `msdyn_vendorgroups(${g20})`, { msdyn_description: 'Dienstverleners', 'msdyn_paymentterms@odata.bind': bind('msdyn_paymentterms', cod) });
    await fnoOne('VendorGroups', "dataAreaId='nlmf',VendorGroupId='20'", (r) => r.Description === 'Dienstverleners' && r.DefaultPaymentTermName === 'COD');
  });

  it('customers-accounts (a CE user\'s new account with currency, group and payment terms; an edit)', async () => {
    const group = await idOf('msdyn_customergroups', inNl("msdyn_groupid eq '20'"), 'msdyn_customergroupid');
    const term = await idOf('msdyn_paymentterms', inNl("msdyn_name eq 'Net45'"), 'msdyn_paymenttermid');
    const sek = await idOf('transactioncurrencies', "isocurrencycode eq 'SEK'", 'transactioncurrencyid');
    await dvWrite('controller', 'POST', 'accounts', {
      name: 'Uit CE B.V.', accountnumber: 'NL-CE-ORG', customertypecode: 3, emailaddress1: 'info@uitce.nl',
      'msdyn_company@odata.bind': bind('cdm_companies', nlmf), 'msdyn_customergroupid@odata.bind': bind('msdyn_customergroups', group),
      'msdyn_paymentterm@odata.bind': bind('msdyn_paymentterms', term), 'transactioncurrencyid@odata.bind': bind('transactioncurrencies', sek),
    });
    expect(await fnoOne('CustomersV3', "dataAreaId='nlmf',CustomerAccount='NL-CE-ORG'")).toMatchObject({
      OrganizationName: 'Uit CE B.V.', PartyType: 'Organization', PrimaryContactEmail: 'info@uitce.nl', CustomerGroupId: '20', PaymentTerms: 'Net45', SalesCurrencyCode: 'SEK',
    });
    const id = await idOf('accounts', inNl("accountnumber eq 'NL-CE-ORG'"), 'accountid');
    // Another group and a billing account (the map's self reference) chosen in CE: F&O gets their codes.
    const g10 = await idOf('msdyn_customergroups', inNl("msdyn_groupid eq '10'"), 'msdyn_customergroupid');
    const nl001 = await idOf('accounts', inNl("accountnumber eq 'NL-001'"), 'accountid');
    await dvWrite('controller', 'PATCH', `accounts(${id})`, {
      address1_city: 'Utrecht', 'msdyn_customergroupid@odata.bind': bind('msdyn_customergroups', g10), 'msdyn_billingaccount@odata.bind': bind('accounts', nl001),
    });
    await fnoOne('CustomersV3', "dataAreaId='nlmf',CustomerAccount='NL-CE-ORG'", (r) => r.DeliveryAddressCity === 'Utrecht' && r.CustomerGroupId === '10' && r.InvoiceAccount === 'NL-001');
  });

  it('customers-contacts (a CE user\'s new person customer; an edit)', async () => {
    const group = await idOf('msdyn_customergroups', inNl("msdyn_groupid eq '30'"), 'msdyn_customergroupid');
    const eur = await idOf('transactioncurrencies', "isocurrencycode eq 'EUR'", 'transactioncurrencyid');
    const net10 = await idOf('msdyn_paymentterms', inNl("msdyn_name eq 'Net10'"), 'msdyn_paymenttermid');
    await dvWrite('controller', 'POST', 'contacts', {
      'msdyn_paymentterms@odata.bind': bind('msdyn_paymentterms', net10),
      firstname: 'Pieter', lastname: 'Bakker', msdyn_contactpersonid: 'NL-CE-PER', msdyn_sellable: true, telephone1: '+31 30 555 0103',
      'msdyn_company@odata.bind': bind('cdm_companies', nlmf), 'msdyn_customergroupid@odata.bind': bind('msdyn_customergroups', group),
      'transactioncurrencyid@odata.bind': bind('transactioncurrencies', eur),
    });
    expect(await fnoOne('CustomersV3', "dataAreaId='nlmf',CustomerAccount='NL-CE-PER'")).toMatchObject({
      PartyType: 'Person', PersonFirstName: 'Pieter', PersonLastName: 'Bakker', PrimaryContactPhone: '+31 30 555 0103', CustomerGroupId: '30', SalesCurrencyCode: 'EUR', PaymentTerms: 'Net10',
    });
    const id = await idOf('contacts', inNl("msdyn_contactpersonid eq 'NL-CE-PER'"), 'contactid');
    await dvWrite('controller', 'PATCH', `contacts(${id})`, { jobtitle: 'Eigenaar' });
    await fnoOne('CustomersV3', "dataAreaId='nlmf',CustomerAccount='NL-CE-PER'", (r) => r.PersonProfessionalTitle === 'Eigenaar');
  });

  it('customers-contacts: a person created in CE without a customer group is parked with F&O\'s reason (F&O requires a group)', async () => {
    await dvWrite('controller', 'POST', 'contacts', {
      firstname: 'Zonder', lastname: 'Groep', msdyn_contactpersonid: 'NL-CE-NOGROUP', msdyn_sellable: true, 'msdyn_company@odata.bind': bind('cdm_companies', nlmf),
    });
    const id = await idOf('contacts', inNl("msdyn_contactpersonid eq 'NL-CE-NOGROUP'"), 'contactid');
    const parked = await eventually(async () => (await json<{ errors: Row[] }>(await admin('GET', '/errors'))).errors.find((e) => e.recordKey === id), 8000);
    expect(parked).toMatchObject({ map: 'customers-contacts', state: 'parked', code: 'SYNC_REJECTED' });
    expect(parked.message).toContain("Field 'Customer group' must be filled in.");
    // Once the CE user picks a group, that edit creates the customer, and the error is gone.
    const group = await idOf('msdyn_customergroups', inNl("msdyn_groupid eq '30'"), 'msdyn_customergroupid');
    await dvWrite('controller', 'PATCH', `contacts(${id})`, { 'msdyn_customergroupid@odata.bind': bind('msdyn_customergroups', group) });
    expect(await fnoOne('CustomersV3', "dataAreaId='nlmf',CustomerAccount='NL-CE-NOGROUP'")).toMatchObject({ PartyType: 'Person', PersonFirstName: 'Zonder', PersonLastName: 'Groep', CustomerGroupId: '30' });
    await idle();
    expect((await json<{ errors: Row[] }>(await admin('GET', '/errors'))).errors.filter((e) => e.recordKey === id)).toEqual([]);
  });

  it('vendors: a vendor created in CE with a vendor group reaches F&O with the group\'s code', async () => {
    // The group made in CE a moment ago (vendor-groups above): F&O has it, so F&O takes the vendor. Its empty credit
    // limit is written as 0 (F&O's CreditLimit cannot be null).
    const g60 = await idOf('msdyn_vendorgroups', inNl("msdyn_vendorgroup eq '60'"), 'msdyn_vendorgroupid');
    const eur = await idOf('transactioncurrencies', "isocurrencycode eq 'EUR'", 'transactioncurrencyid');
    await dvWrite('controller', 'POST', 'msdyn_vendors', {
      msdyn_vendoraccountnumber: 'V-NL-CE', msdyn_name: 'Leverancier Uit CE B.V.', msdyn_addresscity: 'Delft', 'msdyn_company@odata.bind': bind('cdm_companies', nlmf),
      'msdyn_vendorgroupid@odata.bind': bind('msdyn_vendorgroups', g60), 'msdyn_currencycode@odata.bind': bind('transactioncurrencies', eur),
    });
    expect(await fnoOne('VendorsV2', "dataAreaId='nlmf',VendorAccountNumber='V-NL-CE'")).toMatchObject({
      VendorOrganizationName: 'Leverancier Uit CE B.V.', AddressCity: 'Delft', VendorGroupId: '60', CurrencyCode: 'EUR', CreditLimit: 0,
    });
    // Another group picked in CE: F&O gets its code.
    const g10 = await idOf('msdyn_vendorgroups', inNl("msdyn_vendorgroup eq '10'"), 'msdyn_vendorgroupid');
    const id = await idOf('msdyn_vendors', inNl("msdyn_vendoraccountnumber eq 'V-NL-CE'"), 'msdyn_vendorid');
    await dvWrite('controller', 'PATCH', `msdyn_vendors(${id})`, { 'msdyn_vendorgroupid@odata.bind': bind('msdyn_vendorgroups', g10) });
    await fnoOne('VendorsV2', "dataAreaId='nlmf',VendorAccountNumber='V-NL-CE'", (r) => r.VendorGroupId === '10');
  });

  it('vendors: one created in CE without a vendor group is parked with F&O\'s reason, and created once the CE user picks a group', async () => {
    // F&O requires a group to create a vendor (VendTable.VendGroup is mandatory). The admin sees the job parked with
    // F&O's own words.
    await dvWrite('controller', 'POST', 'msdyn_vendors', { msdyn_vendoraccountnumber: 'V-NL-CE-NOGROUP', msdyn_name: 'Leverancier Zonder Groep B.V.', 'msdyn_company@odata.bind': bind('cdm_companies', nlmf) });
    const id = await idOf('msdyn_vendors', inNl("msdyn_vendoraccountnumber eq 'V-NL-CE-NOGROUP'"), 'msdyn_vendorid');
    const parked = await eventually(async () => (await json<{ errors: Row[] }>(await admin('GET', '/errors'))).errors.find((e) => e.recordKey === id), 8000);
    expect(parked).toMatchObject({ map: 'vendors', side: 'dataverse', state: 'parked', code: 'SYNC_REJECTED', params: expect.objectContaining({ side: 'fno', status: 400 }) });
    expect(parked.message).toMatch(/^Finance and Operations rejected the data \(HTTP 400\)\. It said: .*Field 'Vendor group' must be filled in\..* Fix the record, then retry\.$/);
    expect(parked.message).not.toMatch(/CreditLimit/);
    const r = await fetch(`${sandbox.urls.fno}/data/VendorsV2(dataAreaId='nlmf',VendorAccountNumber='V-NL-CE-NOGROUP')?cross-company=true`, { headers: { authorization: `Bearer ${await sandbox.getToken('bridge', 'fno')}` } });
    expect(r.status).toBe(404);
    // The CE user picks a group: that edit creates the vendor, and the error is gone.
    const g20 = await idOf('msdyn_vendorgroups', inNl("msdyn_vendorgroup eq '20'"), 'msdyn_vendorgroupid');
    await dvWrite('controller', 'PATCH', `msdyn_vendors(${id})`, { 'msdyn_vendorgroupid@odata.bind': bind('msdyn_vendorgroups', g20) });
    expect(await fnoOne('VendorsV2', "dataAreaId='nlmf',VendorAccountNumber='V-NL-CE-NOGROUP'")).toMatchObject({ VendorOrganizationName: 'Leverancier Zonder Groep B.V.', VendorGroupId: '20' });
    await idle();
    expect((await json<{ errors: Row[] }>(await admin('GET', '/errors'))).errors.filter((e) => e.recordKey === id)).toEqual([]);
  });

  it('vendors: a credit limit cleared in CE is F&O\'s "no limit", 0', async () => {
    const id = await idOf('msdyn_vendors', inNl("msdyn_vendoraccountnumber eq 'V-NL-E2E'"), 'msdyn_vendorid');
    await dvWrite('controller', 'PATCH', `msdyn_vendors(${id})`, { msdyn_vendorcreditlimit: null, msdyn_addresszipcode: '3011 AA' });
    await fnoOne('VendorsV2', "dataAreaId='nlmf',VendorAccountNumber='V-NL-E2E'", (r) => r.AddressZipCode === '3011 AA' && r.CreditLimit === 0);
  });

  it('vendors: an edit reaches F&O', async () => {
    const vendor = (sandbox.data.VendorsV2 as Row[]).find((v) => v.dataAreaId === 'nlmf')!;
    const id = await idOf('msdyn_vendors', inNl(`msdyn_vendoraccountnumber eq ${q(str(vendor.VendorAccountNumber))}`), 'msdyn_vendorid');
    await dvWrite('controller', 'PATCH', `msdyn_vendors(${id})`, { msdyn_addresscity: 'Eindhoven', msdyn_name: 'Leverancier Hernoemd B.V.' });
    await fnoOne('VendorsV2', `dataAreaId='nlmf',VendorAccountNumber=${q(str(vendor.VendorAccountNumber))}`, (r) => r.AddressCity === 'Eindhoven' && r.VendorOrganizationName === 'Leverancier Hernoemd B.V.');
  });

  it('echoes nothing back: every map at rest, nothing failing', async () => {
    await idle();
    await new Promise((r) => setTimeout(r, 500));
    await idle();
    expect((await json<{ errors: unknown[] }>(await admin('GET', '/errors'))).errors).toEqual([]);
    const fno0 = (await api.fnoStats()).entities;
    const dv0 = (await api.dvStats()).tables;
    await new Promise((r) => setTimeout(r, 1000));
    await idle();
    expect((await api.fnoStats()).entities).toEqual(fno0);
    expect((await api.dvStats()).tables).toEqual(dv0);
  });
});
