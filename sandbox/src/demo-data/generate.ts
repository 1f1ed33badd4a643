// Deterministic demo data for the F&O sandbox: three legal entities, reference data, customers (organisations
// and persons), vendors, products, open orders, invoices and balances. Only real property names are used
// (a test checks every row against the served schema).
import { createRng, type Rng } from './prng';
import { LOCALES, slug, type Locale } from './names';

export type FnoRow = Record<string, unknown>;
export type FnoDataset = Record<string, FnoRow[]>;
export type Company = 'usmf' | 'nlmf' | 'semf';

/**
 * The demo's legal entities. A legal entity is a party with its own party number (LegalEntities.PartyNumber), which is
 * what organisation hierarchies name; the numbers are invented in the shape of F&O's party number sequence.
 */
export const COMPANIES: readonly { id: Company; name: string; currency: string; prefix: string; partyNumber: string }[] = [
  { id: 'usmf', name: 'Contoso Entertainment System USA', currency: 'USD', prefix: 'US', partyNumber: '000001701' },
  { id: 'nlmf', name: 'Contoso Nederland B.V.', currency: 'EUR', prefix: 'NL', partyNumber: '000001702' },
  { id: 'semf', name: 'Contoso Sverige AB', currency: 'SEK', prefix: 'SE', partyNumber: '000001703' },
];

/** Operating units: [number, party number, name, type]; party numbers distinct from unit numbers, as in F&O. */
const OPERATING_UNITS = [
  ['OU-001', '000002001', 'Sales', 'OMDepartment'], ['OU-002', '000002002', 'Finance', 'OMDepartment'],
  ['OU-003', '000002003', 'Contoso Europe', 'OMBusinessUnit'], ['OU-004', '000002004', 'Contoso Nordics', 'OMBusinessUnit'],
] as const;
/** The party number of an operating unit (by its number) or a legal entity (by its id). */
export function partyNumberOf(unitOrCompany: string): string {
  return OPERATING_UNITS.find(([n]) => n === unitOrCompany)?.[1] ?? COMPANIES.find((c) => c.id === unitOrCompany)?.partyNumber ?? unitOrCompany;
}

/** Fixed customers that tests and the README name. Always generated, whatever the seed. */
export const DEMO_ANCHORS = {
  /** Organisation, USD, credit limit 50,000, two open invoices, one overdue. */
  usOrg: { dataAreaId: 'usmf', CustomerAccount: 'US-001', OrganizationName: "O'Neill Supplies" },
  /** Invoices to US-001: InvoiceAccount self reference (needs the second pass of an initial sync). */
  usInvoicedElsewhere: { dataAreaId: 'usmf', CustomerAccount: 'US-002', OrganizationName: 'Northwind Traders', InvoiceAccount: 'US-001' },
  /** Apostrophe in name and city: exercises '' escaping in keys and filters. */
  nlApostrophe: { dataAreaId: 'nlmf', CustomerAccount: 'NL-001', OrganizationName: "Bakkerij 't Hoekje" },
  /** A person customer (PartyType Person: maps to contact, not account). */
  nlPerson: { dataAreaId: 'nlmf', CustomerAccount: 'NL-002', PersonFirstName: 'Joëlle', PersonLastName: "in 't Veld" },
  /** Diacritics and an ampersand; on hold for invoicing. */
  seDiacritics: { dataAreaId: 'semf', CustomerAccount: 'SE-001', OrganizationName: 'Åkesson & Söner AB', OnHoldStatus: 'Invoice' },
} as const;

/** Reference "today" of the demo data, so that overdue amounts do not drift with the clock. */
export const DEMO_TODAY = '2026-01-15T12:00:00Z';
const TODAY_MS = Date.parse(DEMO_TODAY);
const DAY = 86_400_000;
const isoCache = new Map<number, string>();
const iso = (ms: number): string => {
  let out = isoCache.get(ms);
  if (out === undefined) { out = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'); isoCache.set(ms, out); }
  return out;
};

const CUSTOMER_GROUPS = [['10', 'Wholesale customers'], ['20', 'Major customers'], ['30', 'Retail customers'], ['80', 'Other customers']] as const;
const PAYMENT_TERMS = [['Net10', 10], ['Net30', 30], ['Net45', 45], ['COD', 0]] as const;
/**
 * Vendor groups per company: demo data, not Contoso's (the real usmf groups could not be verified). Codes and the
 * terms of payment are plausible; every vendor is in 10 or 20, 30 and 40 have none, so a group can be deleted.
 * [group, description, default terms of payment, clearing period terms ('' = none)].
 */
export const VENDOR_GROUPS = [
  ['10', 'Trade vendors', 'Net30', 'Net30'], ['20', 'Service vendors', 'Net45', ''], ['30', 'Intercompany vendors', 'Net10', 'Net10'],
  ['40', 'One-time vendors', 'COD', ''],
] as const;

function referenceData(ds: FnoDataset): void {
  ds.LegalEntities = COMPANIES.map((c) => ({
    LegalEntityId: c.id, Name: c.name, CompanyName: c.name, NameAlias: c.name.split(' ')[0], PartyNumber: c.partyNumber, LanguageId: LOCALES[c.id].language,
    AddressCountryRegionId: LOCALES[c.id].iso3, AddressCity: LOCALES[c.id].cities[0].city,
  }));
  ds.Currencies = [['USD', 'US Dollar', '$'], ['EUR', 'Euro', '€'], ['SEK', 'Swedish krona', 'kr'], ['GBP', 'Pound sterling', '£']]
    .map(([CurrencyCode, Name, Symbol]) => ({ CurrencyCode, Name, Symbol }));
  const rates: [string, string, number][] = [['USD', 'EUR', 0.92], ['USD', 'SEK', 10.45], ['EUR', 'SEK', 11.36], ['EUR', 'USD', 1.087], ['SEK', 'EUR', 0.088], ['SEK', 'USD', 0.0957]];
  ds.ExchangeRates = rates.map(([FromCurrency, ToCurrency, Rate]) => ({
    RateTypeName: 'Default', FromCurrency, ToCurrency, StartDate: '2026-01-01T12:00:00Z', EndDate: '2154-12-31T23:59:59Z',
    Rate, ConversionFactor: 'One',
  }));
  ds.OperatingUnits = OPERATING_UNITS
    .map(([OperatingUnitNumber, PartyNumber, Name, OperatingUnitType]) => ({ OperatingUnitNumber, PartyNumber, Name, OperatingUnitType, NameAlias: Name, LanguageId: 'en-us' }));
  ds.OrganizationHierarchyTypes = [{ Name: 'Organization chart', RelationshipTypeId: '' }, { Name: 'Procurement internal control', RelationshipTypeId: '' }];
  // Published organisation hierarchy: two business units over the Dutch and Swedish legal entities, the
  // departments under the US one. Relations name parties by party number.
  ds.OrganizationHierarchyPublishedV2 = [['OU-003', 'OU-004'], ['OU-003', 'nlmf'], ['OU-004', 'semf'], ['usmf', 'OU-001'], ['usmf', 'OU-002']]
    .map(([parent, child]) => [partyNumberOf(parent), partyNumberOf(child)])
    .map(([ParentOrganizationPartyNumber, ChildOrganizationPartyNumber]) => ({
      HierarchyType: 'Organization chart', ParentOrganizationPartyNumber, ChildOrganizationPartyNumber, RelationshipType: '',
      validFrom: '2025-01-01T00:00:00Z', validTo: '2154-12-31T23:59:59Z',
      ParentOrganizationName: partyName(ds, ParentOrganizationPartyNumber), ChildOrganizationName: partyName(ds, ChildOrganizationPartyNumber),
    }));
  ds.CustomerGroups = COMPANIES.flatMap((c) => CUSTOMER_GROUPS.map(([id, desc]) => ({
    dataAreaId: c.id, CustomerGroupId: id, Description: desc, PaymentTermId: 'Net30', ClearingPeriodPaymentTermName: 'Net30',
    IsSalesTaxIncludedInPrice: 'No', CustomerAccountNumberSequence: '', DefaultDimensionDisplayValue: '', WriteOffReason: '', TaxGroupId: '',
  })));
  ds.VendorGroups = COMPANIES.flatMap((c) => VENDOR_GROUPS.map(([id, desc, terms, clearing]) => ({
    dataAreaId: c.id, VendorGroupId: id, Description: desc, DefaultPaymentTermName: terms, ClearingPeriodPaymentTermName: clearing, DefaultTaxGroupCode: '',
  })));
  ds.PaymentTerms = COMPANIES.flatMap((c) => PAYMENT_TERMS.map(([name, days]) => ({
    dataAreaId: c.id, Name: name, Description: days === 0 ? 'Cash on delivery' : `Net ${days} days`, NumberOfDays: days,
    NumberOfMonths: 0, PaymentMethodType: days === 0 ? 'COD' : 'Net', CutoffDayOfMonth: 0, AdditionalMonthsForCutoffDate: 0, IsDefaultPaymentTerm: name === 'Net30' ? 'Yes' : 'No', IsCashPayment: days === 0 ? 'Yes' : 'No',
  })));
}

function partyName(ds: FnoDataset, party: string): string {
  const row = [...(ds.OperatingUnits ?? []), ...(ds.LegalEntities ?? [])].find((r) => r.PartyNumber === party);
  return typeof row?.Name === 'string' ? row.Name : '';
}

/** The address and contact fields of vendor `i` of a company (Vendors V2 names). */
function vendorContact(company: Company, i: number, name: string): FnoRow {
  const loc: Locale = LOCALES[company];
  const place = loc.cities[i % loc.cities.length];
  return {
    AddressStreet: `${loc.streets[i % loc.streets.length]} ${10 + i * 7}`, AddressCity: place.city, AddressZipCode: place.zip(i),
    AddressCountryRegionISOCode: loc.iso2, CreditLimit: (i + 1) * 10000,
    PrimaryEmailAddress: `orders@${slug(name)}.example`, PrimaryPhoneNumber: `${loc.phonePrefix}${String(1000 + i).padStart(4, '0')}`,
    PrimaryURL: loc.web.replace('{slug}', slug(name)),
  };
}

function customer(rng: Rng, company: Company, account: string, currency: string, person: boolean): FnoRow {
  const loc: Locale = LOCALES[company];
  const place = rng.pick(loc.cities);
  const street = `${rng.pick(loc.streets)} ${rng.int(1, 250)}`;
  const first = rng.pick(loc.firstNames);
  const last = rng.pick(loc.lastNames);
  const org = `${rng.pick(loc.orgStems)} ${rng.pick(loc.orgSuffixes)}`;
  const name = person ? `${first} ${last}` : org;
  const zipCode = place.zip(rng.int(0, 99));
  return {
    dataAreaId: company, CustomerAccount: account, PartyType: person ? 'Person' : 'Organization',
    OrganizationName: name, NameAlias: name.slice(0, 20), PersonFirstName: person ? first : '', PersonLastName: person ? last : '',
    CustomerGroupId: person ? '30' : rng.pick(['10', '20', '10', '80']), SalesCurrencyCode: currency,
    PaymentTerms: rng.pick(['Net30', 'Net30', 'Net45', 'Net10']), InvoiceAccount: '', OnHoldStatus: rng.chance(0.05) ? 'All' : 'No',
    CreditLimit: person ? 0 : rng.int(1, 20) * 5000, CreditLimitIsMandatory: rng.chance(0.5) ? 'Yes' : 'No',
    PrimaryContactEmail: `info@${slug(name)}.example`, PrimaryContactPhone: `${loc.phonePrefix}${String(rng.int(0, 9999)).padStart(4, '0')}`,
    PrimaryContactURL: person ? '' : loc.web.replace('{slug}', slug(name)), LanguageId: loc.language,
    AddressStreet: street, AddressCity: place.city, AddressZipCode: zipCode, AddressCountryRegionISOCode: loc.iso2,
    DeliveryAddressStreet: street, DeliveryAddressCity: place.city, DeliveryAddressZipCode: zipCode,
    DeliveryAddressCountryRegionISOCode: loc.iso2, DeliveryAddressCountryRegionId: loc.iso3,
    InvoiceAddressStreet: street, InvoiceAddressCity: place.city, InvoiceAddressZipCode: zipCode,
    InvoiceAddressCountryRegionISOCode: loc.iso2, InvoiceAddressCountryRegionId: loc.iso3,
    // Non-nullable in CustomerV3's metadata, so a real F&O row always has them. Derived from the account, not drawn
    // from the generator, so every other demo value stays as it was.
    OrganizationNumberOfEmployees: person ? 0 : 10 + ([...account].reduce((n, ch) => n + ch.charCodeAt(0), 0) % 40) * 5,
    PaymentTermsBaseDays: 0, IsOneTimeCustomer: 'No',
  };
}

function applyAnchors(customers: FnoRow[]): void {
  const find = (c: string, a: string): FnoRow | undefined => customers.find((r) => r.dataAreaId === c && r.CustomerAccount === a);
  for (const anchor of Object.values(DEMO_ANCHORS)) {
    const row = find(anchor.dataAreaId, anchor.CustomerAccount);
    if (!row) continue;
    Object.assign(row, anchor);
    if ('PersonFirstName' in anchor) {
      Object.assign(row, { PartyType: 'Person', OrganizationName: `${anchor.PersonFirstName} ${anchor.PersonLastName}`, CustomerGroupId: '30', CreditLimit: 0 });
    } else {
      Object.assign(row, { PartyType: 'Organization', PersonFirstName: '', PersonLastName: '', PrimaryContactEmail: `info@${slug(anchor.OrganizationName)}.example` });
    }
  }
  const us1 = find('usmf', 'US-001');
  if (us1) Object.assign(us1, { CreditLimit: 50000, CreditLimitIsMandatory: 'Yes', CustomerGroupId: '20', PaymentTerms: 'Net30', OnHoldStatus: 'No' });
  const nl1 = find('nlmf', 'NL-001');
  if (nl1) Object.assign(nl1, { AddressCity: "'s-Hertogenbosch", DeliveryAddressCity: "'s-Hertogenbosch", InvoiceAddressCity: "'s-Hertogenbosch" });
}

export function generateFnoData(opts: { seed?: number; customers?: number } = {}): FnoDataset {
  const rng = createRng(opts.seed ?? 42);
  const total = Math.max(opts.customers ?? 60, 5);
  const ds: FnoDataset = {};
  referenceData(ds);
  const customers: FnoRow[] = [];
  const counters: Record<Company, number> = { usmf: 0, nlmf: 0, semf: 0 };
  for (let i = 0; i < total; i++) {
    const c = COMPANIES[i % 3];
    const n = ++counters[c.id];
    const width = total > 2997 ? 6 : 3;
    customers.push(customer(rng, c.id, `${c.prefix}-${String(n).padStart(width, '0')}`, c.currency, rng.chance(0.15)));
  }
  applyAnchors(customers);
  ds.CustomersV3 = customers;
  ds.VendorsV2 = COMPANIES.flatMap((c) => Array.from({ length: 8 }, (_, i) => {
    const loc = LOCALES[c.id];
    const name = `${rng.pick(loc.orgStems)} ${rng.pick(loc.orgSuffixes)}`;
    const vendor: FnoRow = { dataAreaId: c.id, VendorAccountNumber: `V-${c.prefix}-${String(i + 1).padStart(3, '0')}`, VendorOrganizationName: name,
      VendorSearchName: name.slice(0, 20), VendorGroupId: rng.pick(['10', '20']), CurrencyCode: c.currency, VendorPartyType: 'Organization',
      OnHoldStatus: 'No', AddressCity: rng.pick(loc.cities).city, AddressCountryRegionId: loc.iso3 };
    // Derived without the generator so the customers and transactions drawn later stay the same.
    return { ...vendor, ...vendorContact(c.id, i, name) };
  }));
  const products = [['D0001', 'MidRangeSpeaker2', 129], ['D0002', 'Cabinet', 349], ['D0003', 'Standard speaker', 89], ['P0001', 'Surround sound receiver', 799], ['S0001', 'Installation service', 150]] as const;
  ds.ReleasedProductsV2 = COMPANIES.flatMap((c) => products.map(([id, name, price]) => ({
    dataAreaId: c.id, ItemNumber: id, ProductNumber: id, SearchName: name, ProductType: id.startsWith('S') ? 'Service' : 'Item',
    SalesPrice: price, UnitCost: Math.round(price * 0.6 * 100) / 100, SalesUnitSymbol: 'ea', InventoryUnitSymbol: 'ea', ItemModelGroupId: 'FIFO', ProductGroupId: 'Audio',
  })));
  transactions(rng, ds, customers);
  return ds;
}

const termDays = (name: unknown): number => PAYMENT_TERMS.find(([n]) => n === name)?.[1] ?? 30;
const orderTotal = (seq: number): number => 250 + ((seq * 7919) % 18000) + ((seq * 37) % 100) / 100;

/** Open orders, invoices (some overdue) and the balance row of each customer. */
function transactions(rng: Rng, ds: FnoDataset, customers: FnoRow[]): void {
  const orders: FnoRow[] = [];
  const invoices: FnoRow[] = [];
  const balances: FnoRow[] = [];
  let seq = 0;
  for (const cust of customers) {
    const company = cust.dataAreaId as string;
    const account = cust.CustomerAccount as string;
    const currency = cust.SalesCurrencyCode as string;
    const anchorUs1 = company === 'usmf' && account === 'US-001';
    const nOrders = anchorUs1 ? 2 : rng.int(0, 2);
    for (let k = 0; k < nOrders; k++) {
      seq++;
      orders.push({ dataAreaId: company, SalesOrderNumber: `SO-${String(seq).padStart(7, '0')}`, OrderingCustomerAccountNumber: account,
        InvoiceCustomerAccountNumber: (cust.InvoiceAccount) || account, CurrencyCode: currency, SalesOrderStatus: 'Backorder',
        // Derived from the sequence, not drawn, so that the rest of the demo data stays the same.
        OrderTotalAmount: orderTotal(seq),
        SalesOrderName: cust.OrganizationName, OrderCreationDateTime: iso(TODAY_MS - rng.int(1, 20) * DAY),
        RequestedShippingDate: iso(TODAY_MS + rng.int(1, 30) * DAY), PaymentTermsName: cust.PaymentTerms, CustomerRequisitionNumber: '' });
    }
    const nInvoices = anchorUs1 ? 2 : rng.int(0, 3);
    let balance = 0;
    let overdue = 0;
    let oldestDue = Infinity;
    for (let k = 0; k < nInvoices; k++) {
      seq++;
      const amount = anchorUs1 ? [1250, 3400.5][k] : rng.int(100, 20000) + rng.int(0, 99) / 100;
      const ageDays = anchorUs1 ? [10, 45][k] : rng.int(1, 90);
      const date = TODAY_MS - ageDays * DAY;
      const tax = Math.round(amount * 0.2 * 100) / 100;
      invoices.push({ dataAreaId: company, InvoiceNumber: `INV-${String(seq).padStart(7, '0')}`, InvoiceDate: iso(date - (date % DAY) + DAY / 2),
        LedgerVoucher: `ARI-${String(seq).padStart(7, '0')}`, InvoiceCustomerAccountNumber: account, CurrencyCode: currency,
        SalesOrderNumber: '', TotalInvoiceAmount: amount, TotalTaxAmount: tax, InvoiceHeaderTaxAmount: 0, TotalDiscountAmount: 0,
        TotalChargeAmount: 0, TotalDiscountCustomerGroupCode: 0, PaymentTermsName: cust.PaymentTerms, CustomersOrderReference: '',
        InvoiceAddressCity: cust.InvoiceAddressCity, InvoiceAddressStreet: cust.InvoiceAddressStreet, InvoiceAddressZipCode: cust.InvoiceAddressZipCode,
        InvoiceAddressCountryRegionISOCode: cust.InvoiceAddressCountryRegionISOCode });
      balance += amount;
      // As F&O computes it from the terms of payment (the bridge derives the invoice's due date the same way).
      const due = date - (date % DAY) + DAY / 2 + termDays(cust.PaymentTerms) * DAY;
      if (due < TODAY_MS) { overdue += amount; oldestDue = Math.min(oldestDue, due); }
    }
    balances.push({ dataAreaId: company, CustomerAccount: account, CurrencyCode: currency, Balance: Math.round(balance * 100) / 100,
      OverdueAmount: Math.round(overdue * 100) / 100, OpenInvoiceCount: nInvoices,
      OldestDueDate: oldestDue === Infinity ? '1900-01-01T12:00:00Z' : iso(oldestDue) });
  }
  ds.SalesOrderHeadersV2 = orders;
  ds.SalesInvoiceHeadersV2 = invoices;
  ds.FinOpsBridgeCustomerBalances = balances;
}
