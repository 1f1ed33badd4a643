// Every shipped map through the real engine (issue 16), part one: the initial sync of every map, in dependency
// order, into a Dataverse that lacks the mapped rows. Real HTTP: the sandbox's F&O and Dataverse, one bridge with
// every map enabled, driven through the admin API. Before the bridge starts, the Dataverse store loses the rows the
// maps create (payment terms, customer groups, vendor groups, accounts, contacts, vendors, products, one currency, the
// legal entities' internal organisations and the hierarchy types; exchange rates, operating units and hierarchy
// relations it never had) and a company's name is made stale; the companies
// themselves stay, as every seeded row and the demo users' security refer to them. Each map's rows must then land
// with their lookups resolved to the rows of the right company; a payment term, a customer group and a vendor group
// that only Dataverse has reach F&O once the two-way maps go live.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Sandbox } from '@finops-bridge/sandbox';
import { SHIPPED_MAPS } from '../../bridge-service/src/sync/core/maps/shipped/index';
import { executionOrder } from '../../bridge-service/src/sync/core/maps/order';
import { adminFetch, eventually, json, sandboxApi, startBridge, startWorld, type Bridge } from './support/harness';

type Row = Record<string, unknown>;
let sandbox: Sandbox;
let bridge: Bridge;
let api: ReturnType<typeof sandboxApi>;
let adminToken: string;
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

const admin = (method: 'GET' | 'POST', path: string, body?: unknown) => adminFetch(bridge, adminToken, method, path, body);

interface Progress { state: string; total: number; done: number; failed: number }
const finished: { name: string; progress: Progress; finishedAt: number }[] = [];

/** F&O rows of an entity set, as the sandbox holds them. */
const fno = (set: string): Row[] => (sandbox.data as unknown as Record<string, Row[]>)[set];
/** company guid -> code, from Dataverse. */
let companyCode: Map<string, string>;
const codeOf = (row: Row): string => companyCode.get(str(row._msdyn_company_value)) ?? '?';
const CE_TERM = '5e0c7a10-1a2b-4c3d-8e4f-000d3a000075';
const CE_GROUP = '5e0c7a10-1a2b-4c3d-8e4f-000d3a000096';
const CE_VENDOR_GROUP = '5e0c7a10-1a2b-4c3d-8e4f-000d3a000097';

beforeAll(async () => {
  sandbox = await startWorld({ customers: 60 });
  const store = sandbox.dataverse.store;
  for (const table of ['msdyn_paymentterm', 'msdyn_customergroup', 'msdyn_vendorgroup', 'account', 'contact', 'msdyn_vendor', 'product', 'msdyn_internalorganization', 'msdyn_internalorganizationhierarchytype']) {
    for (const row of store.all(table)) store.remove(table, String(row[`${table}id`]));
  }
  for (const row of store.all('transactioncurrency').filter((c) => c.isocurrencycode === 'GBP')) store.remove('transactioncurrency', String(row.transactioncurrencyid));
  const nlmf = store.all('cdm_company').find((c) => c.cdm_companycode === 'nlmf')!;
  store.put('cdm_company', String(nlmf.cdm_companyid), { ...nlmf, cdm_name: 'Stale name' }, 'updated');
  // Reference data that exists only in Dataverse (made there before the bridge): the two-way maps take it to F&O.
  const owner = { _ownerid_value: nlmf._ownerid_value, _owningbusinessunit_value: nlmf._owningbusinessunit_value, _msdyn_company_value: nlmf.cdm_companyid, statecode: 0, statuscode: 1 };
  store.put('msdyn_paymentterm', CE_TERM, { msdyn_paymenttermid: CE_TERM, msdyn_name: 'Net75', msdyn_description: 'Net 75 days (made in CE)', ...owner }, 'created');
  store.put('msdyn_customergroup', CE_GROUP, {
    msdyn_customergroupid: CE_GROUP, msdyn_groupid: '96', msdyn_description: 'Made in CE', msdyn_issalestaxincludedinprice: false, _msdyn_paymenttermid_value: CE_TERM, ...owner,
  }, 'created');
  // Without terms of payment: F&O refuses a group whose terms are not in its company, and the CE-only Net75 may reach
  // F&O after the group (the maps go live together), so the group names none.
  store.put('msdyn_vendorgroup', CE_VENDOR_GROUP, { msdyn_vendorgroupid: CE_VENDOR_GROUP, msdyn_vendorgroup: '97', msdyn_description: 'Vendor group made in CE', ...owner }, 'created');
  bridge = await startBridge(sandbox, { settings: { maps: 'all', initialMapState: 'not_running' } });
  api = sandboxApi(sandbox);
  adminToken = await sandbox.getToken('admin', 'bridge');
  companyCode = new Map((await api.dvGet('cdm_companies', '$select=cdm_companyid,cdm_companycode')).map((c) => [str(c.cdm_companyid), str(c.cdm_companycode)]));
}, 60_000);

afterAll(async () => {
  await bridge?.close();
  await sandbox?.close();
});

describe('initial sync of every shipped map, reference data first', () => {
  it('runs every map that flows from F&O, one after the other in dependency order, each without a failed record', async () => {
    const order = executionOrder(SHIPPED_MAPS).filter((m) => m.direction !== 'dataverse_to_fno');
    expect(order.map((m) => m.name)).toHaveLength(SHIPPED_MAPS.length);
    for (const map of order) {
      expect((await admin('POST', `/maps/${map.name}/initial-sync`, { pageSize: 100 })).status).toBe(202);
      const progress = await eventually(async () => {
        const p = await json<Progress>(await admin('GET', `/maps/${map.name}/initial-sync`));
        return p.state === 'done' || p.state === 'failed' ? p : null;
      }, 30_000);
      finished.push({ name: map.name, progress, finishedAt: Date.now() });
      expect({ map: map.name, ...progress }).toMatchObject({ map: map.name, state: 'done', failed: 0 });
      expect(progress.total).toBeGreaterThan(0);
    }
    for (const map of order) {
      const at = finished.findIndex((f) => f.name === map.name);
      for (const dep of map.dependsOn) expect(finished.findIndex((f) => f.name === dep)).toBeLessThan(at);
    }
    // Nothing the admin has to look at: no failing job, no record the initial sync could not write.
    await bridge.sync.engine().worker.idle(20_000);
    expect(await json(await admin('GET', '/errors'))).toEqual({ errors: [], initialSync: [] });
  }, 120_000);

  it('legal entities: the stale company name is F&O\'s again', async () => {
    const rows = await api.dvGet('cdm_companies', '$select=cdm_companycode,cdm_name');
    for (const le of fno('LegalEntities')) {
      expect(rows.find((r) => r.cdm_companycode === str(le.LegalEntityId).toLowerCase())).toMatchObject({ cdm_name: le.Name });
    }
  });

  it('currencies and exchange rates: the missing currency is created, every rate lands with its currency codes', async () => {
    const [gbp] = await api.dvGet('transactioncurrencies', "$filter=isocurrencycode eq 'GBP'&$select=currencyname,currencysymbol,exchangerate");
    expect(gbp).toMatchObject({ currencyname: 'Pound sterling', currencysymbol: '£', exchangerate: 1 });
    const rates = await api.dvGet('msdyn_currencyexchangerates', '$select=msdyn_exchangeratetypename,msdyn_fromcurrencycode,msdyn_tocurrencycode,msdyn_exchangerate,msdyn_validfrom');
    expect(rates).toHaveLength(fno('ExchangeRates').length);
    // Read from ExchangeRatesCDSEntity (the entity of Microsoft's map), which F&O computes from the same rates.
    for (const r of fno('ExchangeRates')) {
      expect(rates).toContainEqual(expect.objectContaining({
        msdyn_exchangeratetypename: r.RateTypeName, msdyn_fromcurrencycode: r.FromCurrency, msdyn_tocurrencycode: r.ToCurrency, msdyn_exchangerate: r.Rate,
        msdyn_validfrom: r.StartDate,
      }));
    }
  });

  it('legal entities, operating units and the published hierarchy: every party\'s internal organisation by party number, every relation at its parent, child and type', async () => {
    const orgs = await api.dvGet('msdyn_internalorganizations', '$select=msdyn_internalorganizationid,msdyn_partynumber,msdyn_name,msdyn_namealias,msdyn_languageid,msdyn_companycode,msdyn_type');
    expect(orgs).toHaveLength(fno('LegalEntities').length + fno('OperatingUnits').length);
    for (const le of fno('LegalEntities')) {
      expect(orgs).toContainEqual(expect.objectContaining({
        msdyn_partynumber: le.PartyNumber, msdyn_companycode: le.LegalEntityId, msdyn_name: le.Name, msdyn_namealias: le.NameAlias, msdyn_languageid: le.LanguageId, msdyn_type: 806380000,
      }));
    }
    for (const ou of fno('OperatingUnits')) {
      expect(orgs).toContainEqual(expect.objectContaining({ msdyn_partynumber: ou.PartyNumber, msdyn_name: ou.Name, msdyn_languageid: ou.LanguageId }));
    }
    const idOf = (party: unknown) => orgs.find((o) => str(o.msdyn_partynumber).toLowerCase() === str(party).toLowerCase())?.msdyn_internalorganizationid;
    const types = await api.dvGet('msdyn_internalorganizationhierarchytypes', '$select=msdyn_internalorganizationhierarchytypeid,msdyn_name');
    expect(types.map((t) => t.msdyn_name).sort()).toEqual(fno('OrganizationHierarchyTypes').map((t) => t.Name).sort());
    const typeId = (name: unknown) => types.find((t) => t.msdyn_name === name)?.msdyn_internalorganizationhierarchytypeid;
    const edges = await api.dvGet('msdyn_internalorganizationhierarchies', '$select=msdyn_childpartyid,msdyn_parentpartyid,_msdyn_parentid_value,_msdyn_childid_value,_msdyn_hierarchytypeid_value');
    expect(edges).toHaveLength(fno('OrganizationHierarchyPublishedV2').length);
    for (const e of fno('OrganizationHierarchyPublishedV2')) {
      const row = edges.find((x) => x.msdyn_childpartyid === e.ChildOrganizationPartyNumber);
      expect(idOf(e.ParentOrganizationPartyNumber)).toBeDefined();
      expect(idOf(e.ChildOrganizationPartyNumber)).toBeDefined();
      expect(row).toMatchObject({
        msdyn_parentpartyid: e.ParentOrganizationPartyNumber, _msdyn_parentid_value: idOf(e.ParentOrganizationPartyNumber), _msdyn_childid_value: idOf(e.ChildOrganizationPartyNumber),
        _msdyn_hierarchytypeid_value: typeId(e.HierarchyType),
      });
    }
  });

  it('payment terms and customer groups: one per company, each group\'s payment term resolved in its own company', async () => {
    const terms = await api.dvGet('msdyn_paymentterms', '$select=msdyn_paymenttermid,msdyn_name,msdyn_description,_msdyn_company_value');
    expect(terms).toHaveLength(fno('PaymentTerms').length + 1);
    for (const t of fno('PaymentTerms')) expect(terms.filter((r) => r.msdyn_name === t.Name && codeOf(r) === t.dataAreaId)).toEqual([expect.objectContaining({ msdyn_description: t.Description })]);
    const groups = await api.dvGet('msdyn_customergroups', '$select=msdyn_groupid,msdyn_description,_msdyn_company_value,_msdyn_paymenttermid_value,msdyn_issalestaxincludedinprice');
    expect(groups).toHaveLength(fno('CustomerGroups').length + 1);
    for (const g of fno('CustomerGroups')) {
      const row = groups.find((r) => r.msdyn_groupid === g.CustomerGroupId && codeOf(r) === g.dataAreaId)!;
      const term = terms.find((t) => t.msdyn_name === g.PaymentTermId && codeOf(t) === g.dataAreaId)!;
      expect(row).toMatchObject({ msdyn_description: g.Description, msdyn_issalestaxincludedinprice: g.IsSalesTaxIncludedInPrice === 'Yes', _msdyn_paymenttermid_value: term.msdyn_paymenttermid });
    }
  });

  it('vendor groups: one per company, both terms of payment resolved in the group\'s own company (none when F&O has none)', async () => {
    const terms = await api.dvGet('msdyn_paymentterms', '$select=msdyn_paymenttermid,msdyn_name,_msdyn_company_value');
    const termId = (co: unknown, name: unknown) => (str(name) ? terms.find((t) => t.msdyn_name === name && codeOf(t) === co)!.msdyn_paymenttermid : null);
    const groups = await api.dvGet('msdyn_vendorgroups', '$select=msdyn_vendorgroup,msdyn_description,_msdyn_company_value,_msdyn_paymentterms_value,_msdyn_clearingperiodpaymentpermname_value');
    expect(fno('VendorGroups').length).toBeGreaterThan(0);
    expect(groups).toHaveLength(fno('VendorGroups').length + 1);
    for (const g of fno('VendorGroups')) {
      expect(groups.filter((r) => r.msdyn_vendorgroup === g.VendorGroupId && codeOf(r) === g.dataAreaId)).toEqual([expect.objectContaining({
        msdyn_description: g.Description, _msdyn_paymentterms_value: termId(g.dataAreaId, g.DefaultPaymentTermName),
        _msdyn_clearingperiodpaymentpermname_value: termId(g.dataAreaId, g.ClearingPeriodPaymentTermName),
      })]);
    }
    expect(fno('VendorGroups').some((g) => g.ClearingPeriodPaymentTermName === '')).toBe(true);
  });

  it('accounts and contacts: every customer, with company, currency, customer group and payment terms resolved', async () => {
    const groups = await api.dvGet('msdyn_customergroups', '$select=msdyn_customergroupid,msdyn_groupid,_msdyn_company_value');
    const terms = await api.dvGet('msdyn_paymentterms', '$select=msdyn_paymenttermid,msdyn_name,_msdyn_company_value');
    const currencies = await api.dvGet('transactioncurrencies', '$select=transactioncurrencyid,isocurrencycode');
    const groupId = (co: unknown, id: unknown) => groups.find((g) => g.msdyn_groupid === id && codeOf(g) === co)?.msdyn_customergroupid;
    const termId = (co: unknown, name: unknown) => terms.find((t) => t.msdyn_name === name && codeOf(t) === co)?.msdyn_paymenttermid;
    const currencyId = (code: unknown) => currencies.find((c) => c.isocurrencycode === code)?.transactioncurrencyid;

    const customers = fno('CustomersV3');
    const accounts = await api.dvGet('accounts', '$select=accountid,accountnumber,name,_msdyn_company_value,_transactioncurrencyid_value,_msdyn_customergroupid_value,_msdyn_paymentterm_value,_msdyn_billingaccount_value,customertypecode,_ownerid_value');
    // Each created row is owned by its company's default owning team, as dual-write assigns it: Dataverse security
    // then gives the company's users their access (the company column alone gives nobody any).
    const teamOf = new Map((await api.dvGet('cdm_companies', '$select=cdm_companycode,_cdm_defaultowningteam_value')).map((c) => [c.cdm_companycode, c._cdm_defaultowningteam_value]));
    const orgs = customers.filter((c) => c.PartyType === 'Organization');
    expect(accounts).toHaveLength(orgs.length);
    for (const c of orgs) {
      const a = accounts.find((r) => r.accountnumber === c.CustomerAccount && codeOf(r) === c.dataAreaId);
      expect(a).toMatchObject({
        name: c.OrganizationName, customertypecode: 3, _transactioncurrencyid_value: currencyId(c.SalesCurrencyCode),
        _msdyn_customergroupid_value: groupId(c.dataAreaId, c.CustomerGroupId), _msdyn_paymentterm_value: termId(c.dataAreaId, c.PaymentTerms),
        _ownerid_value: teamOf.get(c.dataAreaId),
      });
      if (c.InvoiceAccount) expect(a?._msdyn_billingaccount_value).toBe(accounts.find((r) => r.accountnumber === c.InvoiceAccount && codeOf(r) === c.dataAreaId)?.accountid);
    }

    const contacts = await api.dvGet('contacts', '$select=msdyn_contactpersonid,firstname,lastname,emailaddress1,msdyn_sellable,_msdyn_company_value,_transactioncurrencyid_value,_msdyn_customergroupid_value,_msdyn_paymentterms_value');
    const persons = customers.filter((c) => c.PartyType === 'Person');
    expect(persons.length).toBeGreaterThan(0);
    expect(contacts).toHaveLength(persons.length);
    for (const c of persons) {
      expect(contacts.find((r) => r.msdyn_contactpersonid === c.CustomerAccount && codeOf(r) === c.dataAreaId)).toMatchObject({
        firstname: c.PersonFirstName, lastname: c.PersonLastName, emailaddress1: c.PrimaryContactEmail || null, msdyn_sellable: true,
        _transactioncurrencyid_value: currencyId(c.SalesCurrencyCode), _msdyn_customergroupid_value: groupId(c.dataAreaId, c.CustomerGroupId),
        _msdyn_paymentterms_value: termId(c.dataAreaId, c.PaymentTerms),
      });
    }
  });

  it('vendors and released products: every vendor in its company with its currency and its group; usmf\'s products only', async () => {
    const currencies = await api.dvGet('transactioncurrencies', '$select=transactioncurrencyid,isocurrencycode');
    const groups = await api.dvGet('msdyn_vendorgroups', '$select=msdyn_vendorgroupid,msdyn_vendorgroup,_msdyn_company_value');
    const vendors = await api.dvGet('msdyn_vendors', '$select=msdyn_vendoraccountnumber,msdyn_name,_msdyn_company_value,_msdyn_currencycode_value,_msdyn_vendorgroupid_value,msdyn_pimaryphonenumber');
    expect(vendors).toHaveLength(fno('VendorsV2').length);
    for (const v of fno('VendorsV2')) {
      const group = groups.find((g) => g.msdyn_vendorgroup === v.VendorGroupId && codeOf(g) === v.dataAreaId);
      expect(group).toBeDefined();
      expect(vendors.find((r) => r.msdyn_vendoraccountnumber === v.VendorAccountNumber && codeOf(r) === v.dataAreaId)).toMatchObject({
        msdyn_name: v.VendorOrganizationName, _msdyn_currencycode_value: currencies.find((c) => c.isocurrencycode === v.CurrencyCode)?.transactioncurrencyid,
        _msdyn_vendorgroupid_value: group!.msdyn_vendorgroupid,
      });
    }
    // Read from CDSReleasedDistinctProducts (the entity of Microsoft's map), which the sandbox's F&O computes from the
    // released products: the product number is the key, the product name (here the search name) the name, usmf's
    // currency the currency, Item/Service the product type.
    const products = await api.dvGet('products', '$select=productnumber,msdyn_productnumber,msdyn_itemnumber,name,price,currentcost,producttypecode,_transactioncurrencyid_value');
    const usmf = fno('ReleasedProductsV2').filter((p) => p.dataAreaId === 'usmf');
    const usd = currencies.find((c) => c.isocurrencycode === 'USD')?.transactioncurrencyid;
    expect(usd).toBeDefined();
    expect(products).toHaveLength(usmf.length);
    for (const p of usmf) {
      expect(products).toContainEqual(expect.objectContaining({
        msdyn_productnumber: p.ProductNumber, productnumber: p.ProductNumber, msdyn_itemnumber: p.ItemNumber, name: p.SearchName, price: p.SalesPrice,
        currentcost: p.UnitCost, producttypecode: p.ProductType === 'Service' ? 3 : 1, _transactioncurrencyid_value: usd,
      }));
    }
  });

  it('goes live once caught up: the reference data only Dataverse had reaches F&O, and nothing else is written back', async () => {
    await eventually(async () => (await json<{ maps: { state: string }[] }>(await admin('GET', '/maps'))).maps.every((m) => m.state === 'running'), 20_000);
    await bridge.sync.engine().worker.idle(20_000);
    expect(await api.fnoGet('PaymentTerms', "dataAreaId='nlmf',Name='Net75'")).toMatchObject({ Description: 'Net 75 days (made in CE)' });
    expect(await api.fnoGet('CustomerGroups', "dataAreaId='nlmf',CustomerGroupId='96'")).toMatchObject({ Description: 'Made in CE', PaymentTermId: 'Net75' });
    expect(await api.fnoGet('VendorGroups', "dataAreaId='nlmf',VendorGroupId='97'")).toMatchObject({ Description: 'Vendor group made in CE' });
    const stats = (await api.fnoStats()).entities;
    const written: Record<string, { creates: number; updates: number }> = {};
    for (const [set, s] of Object.entries(stats)) if (s.creates || s.updates) written[set] = { creates: s.creates ?? 0, updates: s.updates ?? 0 };
    expect(written).toEqual({ PaymentTerms: { creates: 1, updates: 0 }, CustomerGroups: { creates: 1, updates: 0 }, VendorGroups: { creates: 1, updates: 0 } });
    expect(await json(await admin('GET', '/errors'))).toEqual({ errors: [], initialSync: [] });
  }, 40_000);
});
