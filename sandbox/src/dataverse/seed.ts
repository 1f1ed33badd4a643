// The Dataverse side of the demo, built from the F&O dataset as dual-write would have linked it: a company
// (with business unit and owner team) per legal entity, reference data, systemusers, accounts for most
// organisation customers, contacts for persons, a few prospects with no F&O customer, and the environment
// variables the controls read. GUIDs are derived from keys so tests can name rows.
import { ROLE_NAMES } from './roles';
import { dvId } from './ids';
import { COMPANIES, type FnoDataset, type FnoRow } from '../demo-data';
import { BRIDGE_API, BRIDGE_CLIENT, BRIDGE_SYSTEM_USER_ID, DEMO_USERS, EXTRA_BRIDGE_CLIENTS, TENANT_ID } from '../identity/principals';
import { BRIDGE_APP_OID } from '../identity/claims';
import { LOOKUP_TARGET_ANNOTATION } from './schema-types';
import type { Row } from './store';

export { dvId };

export const ROOT_BUSINESS_UNIT_ID = dvId('businessunit', 'root');
export const companyId = (code: string): string => dvId('cdm_company', code);
export const accountId = (company: string, accountNumber: string): string => dvId('account', `${company}|${accountNumber}`);
export const contactId = (company: string, contactPersonId: string): string => dvId('contact', `${company}|${contactPersonId}`);

/** Rows tests name directly. */
export const DATAVERSE_ANCHORS = {
  usOrg: accountId('usmf', 'US-001'),
  usInvoicedElsewhere: accountId('usmf', 'US-002'),
  nlApostrophe: accountId('nlmf', 'NL-001'),
  seDiacritics: accountId('semf', 'SE-001'),
  nlPerson: contactId('nlmf', 'NL-002'),
  prospectUs: dvId('account', 'prospect|usmf|1'),
  prospectSe: dvId('account', 'prospect|semf|1'),
} as const;

export const ON_HOLD_STATUS: Record<string, number> = { No: 806380000, Invoice: 806380001, All: 806380002, Payment: 806380003, Requisition: 806380004, Never: 806380005 };
export const SDK_MESSAGE_IDS = { Create: '9ebdbb1b-ea3e-db11-86a7-000a3a5473e8', Update: '20bebb1b-ea3e-db11-86a7-000a3a5473e8', Delete: '20bdbb1b-ea3e-db11-86a7-000a3a5473e8' } as const;

const ref = (column: string, target: string, id: string | undefined): Row =>
  id ? { [`_${column}_value`]: id, [`_${column}_value${LOOKUP_TARGET_ANNOTATION}`]: target } : {};
const SEED_TIME = '2026-01-01T08:00:00Z';
const sys = (): Row => ({ createdon: SEED_TIME, modifiedon: SEED_TIME, ...ref('createdby', 'systemuser', BRIDGE_SYSTEM_USER_ID), ...ref('modifiedby', 'systemuser', BRIDGE_SYSTEM_USER_ID) });
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export interface SeedOptions {
  /** The bridge's public URL written into fob_BridgeUrl. */
  bridgeUrl?: string;
  /**
   * Whether Microsoft's dual-write core solutions are installed (default true, as on an environment prepared for the
   * bridge). Without them their tables do not exist (server.ts): the prerequisite the admin guide names (section 3b).
   */
  dualWriteCore?: boolean;
}

export function dataverseSeedFrom(fno: FnoDataset, opts: SeedOptions = {}): Record<string, Row[]> {
  const out: Record<string, Row[]> = {};
  const add = (table: string, row: Row) => (out[table] ??= []).push({ ...sys(), ...row });
  add('businessunit', { businessunitid: ROOT_BUSINESS_UNIT_ID, name: 'sandbox' });
  const legal = fno.LegalEntities ?? [];
  for (const le of legal) {
    const code = str(le.LegalEntityId).toLowerCase();
    const bu = dvId('businessunit', code);
    const team = dvId('team', code);
    add('businessunit', { businessunitid: bu, name: code, ...ref('parentbusinessunitid', 'businessunit', ROOT_BUSINESS_UNIT_ID) });
    // As dual-write sets a company up: its business unit and owner team (the company's default owning team, which owns
    // its rows). Users get access through teams in that business unit whose roles reach it: readers and editors. (Not
    // through membership of the owner team: a user-depth privilege of their own role would then reach its rows.)
    add('team', { teamid: team, name: code, teamtype: 0, isdefault: true, ...ref('businessunitid', 'businessunit', bu) });
    for (const [kind, roleid] of [['readers', ROLE_IDS.companyReader], ['editors', ROLE_IDS.companyEditor]] as const) {
      add('team', { teamid: companyTeamId(code, kind), name: `${code} ${kind}`, teamtype: 0, isdefault: false, ...ref('businessunitid', 'businessunit', bu) });
      add('teamroles', { teamroleid: dvId('teamroles', `${code}|${kind}`), teamid: companyTeamId(code, kind), roleid });
    }
    add('cdm_company', {
      cdm_companyid: companyId(code), cdm_companycode: code, cdm_name: le.Name, cdm_isenabledfordualwrite: true, statecode: 0, statuscode: 1,
      ...ref('cdm_defaultowningteam', 'team', team), ...ref('ownerid', 'team', team), ...ref('owningbusinessunit', 'businessunit', bu),
    });
    // As dual-write's "Legal entities to msdyn_internalorganizations" wrote it: keyed by the legal entity's party number.
    add('msdyn_internalorganization', {
      msdyn_internalorganizationid: dvId('msdyn_internalorganization', code), msdyn_name: le.Name, msdyn_namealias: le.NameAlias ?? null,
      msdyn_languageid: le.LanguageId ?? null, msdyn_type: 806380000, msdyn_partynumber: le.PartyNumber, msdyn_companycode: code,
    });
  }
  for (const t of fno.OrganizationHierarchyTypes ?? []) {
    add('msdyn_internalorganizationhierarchytype', { msdyn_internalorganizationhierarchytypeid: dvId('msdyn_internalorganizationhierarchytype', str(t.Name)), msdyn_name: t.Name, statecode: 0, statuscode: 1 });
  }
  for (const c of fno.Currencies ?? []) {
    add('transactioncurrency', { transactioncurrencyid: dvId('transactioncurrency', str(c.CurrencyCode)), isocurrencycode: c.CurrencyCode, currencyname: c.Name, currencysymbol: c.Symbol, exchangerate: 1, currencyprecision: 2, statecode: 0, statuscode: 1 });
  }
  for (const p of fno.PaymentTerms ?? []) {
    const co = str(p.dataAreaId);
    add('msdyn_paymentterm', { msdyn_paymenttermid: dvId('msdyn_paymentterm', `${co}|${str(p.Name)}`), msdyn_name: p.Name, msdyn_description: p.Description, ...ref('msdyn_company', 'cdm_company', companyId(co)), ...owned(co) });
  }
  for (const g of fno.CustomerGroups ?? []) {
    const co = str(g.dataAreaId);
    add('msdyn_customergroup', {
      msdyn_customergroupid: dvId('msdyn_customergroup', `${co}|${str(g.CustomerGroupId)}`), msdyn_groupid: g.CustomerGroupId, msdyn_description: g.Description,
      msdyn_issalestaxincludedinprice: g.IsSalesTaxIncludedInPrice === 'Yes',
      ...ref('msdyn_company', 'cdm_company', companyId(co)), ...ref('msdyn_paymenttermid', 'msdyn_paymentterm', dvId('msdyn_paymentterm', `${co}|${str(g.PaymentTermId)}`)), ...owned(co),
    });
  }
  const termRef = (column: string, co: string, name: unknown) => (str(name) ? ref(column, 'msdyn_paymentterm', dvId('msdyn_paymentterm', `${co}|${str(name)}`)) : {});
  for (const g of fno.VendorGroups ?? []) {
    const co = str(g.dataAreaId);
    add('msdyn_vendorgroup', {
      msdyn_vendorgroupid: dvId('msdyn_vendorgroup', `${co}|${str(g.VendorGroupId)}`), msdyn_vendorgroup: g.VendorGroupId, msdyn_description: g.Description,
      ...ref('msdyn_company', 'cdm_company', companyId(co)), ...termRef('msdyn_paymentterms', co, g.DefaultPaymentTermName),
      ...termRef('msdyn_clearingperiodpaymentpermname', co, g.ClearingPeriodPaymentTermName), ...owned(co),
    });
  }
  users(add);
  customers(fno.CustomersV3 ?? [], add);
  for (const v of fno.VendorsV2 ?? []) {
    const co = str(v.dataAreaId);
    add('msdyn_vendor', {
      msdyn_vendorid: dvId('msdyn_vendor', `${co}|${str(v.VendorAccountNumber)}`), msdyn_vendoraccountnumber: v.VendorAccountNumber, msdyn_name: v.VendorOrganizationName,
      msdyn_vendorcreditlimit: v.CreditLimit ?? 0, msdyn_primaryemailaddress: v.PrimaryEmailAddress || null, msdyn_pimaryphonenumber: v.PrimaryPhoneNumber || null,
      msdyn_primarycontacturl: v.PrimaryURL || null, msdyn_addressstreet: v.AddressStreet || null, msdyn_addresscity: v.AddressCity || null,
      msdyn_addresszipcode: v.AddressZipCode || null, msdyn_addresscountryregionisocode: v.AddressCountryRegionISOCode || null,
      msdyn_addresscountryregionid: v.AddressCountryRegionId || null,
      // F&O's NoYes and integer defaults (No, 0), as a vendor row read from F&O carries them.
      msdyn_isonetimevendor: v.IsOneTimeVendor === 'Yes', msdyn_isforeignentity: v.IsForeignEntity === 'Yes', msdyn_numberofemployees: v.OrganizationEmployeeAmount ?? 0,
      ...ref('msdyn_company', 'cdm_company', companyId(co)), ...ref('msdyn_currencycode', 'transactioncurrency', dvId('transactioncurrency', str(v.CurrencyCode))),
      ...(str(v.VendorGroupId) ? ref('msdyn_vendorgroupid', 'msdyn_vendorgroup', dvId('msdyn_vendorgroup', `${co}|${str(v.VendorGroupId)}`)) : {}), msdyn_onholdstatus: ON_HOLD_STATUS[str(v.OnHoldStatus)] ?? 806380000, ...owned(co),
    });
  }
  const seenProducts = new Set<string>();
  for (const p of fno.ReleasedProductsV2 ?? []) {
    const num = str(p.ProductNumber);
    if (seenProducts.has(num)) continue;
    seenProducts.add(num);
    add('product', {
      productid: dvId('product', num), productnumber: num, msdyn_productnumber: num, msdyn_itemnumber: p.ItemNumber, name: p.SearchName,
      producttypecode: p.ProductType === 'Service' ? 3 : 1, quantitydecimal: 0,
      ...ref('transactioncurrencyid', 'transactioncurrency', dvId('transactioncurrency', COMPANIES.find((c) => c.id === p.dataAreaId)?.currency ?? 'USD')),
      price: p.SalesPrice ?? null, currentcost: p.UnitCost ?? null, statecode: 0, statuscode: 1,
    });
  }
  for (const [name, value] of [['Create', SDK_MESSAGE_IDS.Create], ['Update', SDK_MESSAGE_IDS.Update], ['Delete', SDK_MESSAGE_IDS.Delete]] as const) {
    add('sdkmessage', { sdkmessageid: value, name, categoryname: name });
    for (const table of ['account', 'contact', 'msdyn_vendor', 'product', 'cdm_company', 'transactioncurrency', 'msdyn_customergroup', 'msdyn_vendorgroup', 'msdyn_paymentterm']) {
      add('sdkmessagefilter', { sdkmessagefilterid: dvId('sdkmessagefilter', `${name}|${table}`), primaryobjecttypecode: table, secondaryobjecttypecode: 'none', iscustomprocessingstepallowed: true, availability: 0, ...ref('sdkmessageid', 'sdkmessage', value) });
    }
  }
  // Microsoft's dual-write core solutions: the tables and columns above (cdm_company, msdyn_*, account.msdyn_*)
  // exist because these are installed, as on a real environment prepared for dual-write.
  for (const [uniquename, friendlyname] of opts.dualWriteCore === false ? [] : DUAL_WRITE_CORE_SOLUTIONS) {
    add('solution', { solutionid: dvId('solution', uniquename), uniquename, friendlyname, version: '1.0.0.0', ismanaged: true, isvisible: true });
  }
  const envVars: [string, string, string][] = [
    ['fob_BridgeUrl', 'FinOps Bridge URL', opts.bridgeUrl ?? 'http://127.0.0.1:4000'],
    ['fob_BridgeScope', 'FinOps Bridge API scope', BRIDGE_API.scope],
    ['fob_BridgeAppId', 'FinOps Bridge API application id', BRIDGE_API.clientId],
  ];
  // As on a configured tenant: the definitions (our package ships them without defaults) and the values an
  // admin set, which a later import of the package leaves alone.
  for (const [schemaname, displayname, value] of envVars) {
    const def = dvId('environmentvariabledefinition', schemaname);
    add('environmentvariabledefinition', { environmentvariabledefinitionid: def, schemaname, displayname, type: 100000000, defaultvalue: null, isrequired: false, statecode: 0, statuscode: 1 });
    add('environmentvariablevalue', { environmentvariablevalueid: dvId('environmentvariablevalue', schemaname), schemaname, value, ...ref('environmentvariabledefinitionid', 'environmentvariabledefinition', def), statecode: 0, statuscode: 1 });
  }
  return out;
}

function owned(company: string): Row {
  const team = dvId('team', company);
  return { ...ref('ownerid', 'team', team), ...ref('owningteam', 'team', team), ...ref('owningbusinessunit', 'businessunit', dvId('businessunit', company)), statecode: 0, statuscode: 1 };
}

/**
 * The tables Microsoft's dual-write core solutions bring (Dynamics365Company: cdm_company; the others: the msdyn_
 * tables the maps write). They exist only while every core solution is installed (solution rows).
 */
export const DUAL_WRITE_TABLES: readonly string[] = [
  'cdm_company', 'msdyn_internalorganization', 'msdyn_internalorganizationhierarchy', 'msdyn_internalorganizationhierarchytype',
  'msdyn_currencyexchangerate', 'msdyn_customergroup', 'msdyn_vendorgroup', 'msdyn_paymentterm', 'msdyn_vendor',
];

/** The dual-write tables that do not exist because a core solution is not installed (none when all are). */
export function tablesWithoutCoreSolutions(installed: Iterable<string>): string[] {
  const have = new Set([...installed].map((u) => u.toLowerCase()));
  return DUAL_WRITE_CORE_SOLUTIONS.every(([u]) => have.has(u.toLowerCase())) ? [] : [...DUAL_WRITE_TABLES];
}

/** Unique and display names of the dual-write core solutions the sandbox has installed. */
export const DUAL_WRITE_CORE_SOLUTIONS: ReadonlyArray<readonly [string, string]> = [
  ['Dynamics365Company', 'Dynamics 365 Company'],
  ['CurrencyExchangeRates', 'Currency Exchange Rates'],
  ['Dynamics365FinanceAndOperationsCommon', 'Dynamics 365 Finance and Operations Common'],
  ['Dynamics365FinanceCommon', 'Dynamics 365 Finance Common'],
  ['Dynamics365SupplyChainCommon', 'Dynamics 365 Supply Chain Common'],
];

/** Security roles (ids derived from the name); the bridge's application user is a System Customizer. */
export const ROLE_IDS = {
  systemAdministrator: dvId('role', ROLE_NAMES.systemAdministrator),
  systemCustomizer: dvId('role', ROLE_NAMES.systemCustomizer),
  salesperson: dvId('role', ROLE_NAMES.salesperson),
  organisationReader: dvId('role', ROLE_NAMES.organisationReader),
  companyReader: dvId('role', ROLE_NAMES.companyReader),
  companyEditor: dvId('role', ROLE_NAMES.companyEditor),
} as const;

/** The team of a company whose members read (readers) or read and write (editors) the rows owned in its business unit. */
export const companyTeamId = (company: string, kind: 'readers' | 'editors'): string => dvId('team', `${company}|${kind}`);

function users(add: (t: string, r: Row) => void): void {
  for (const [key, id] of Object.entries(ROLE_IDS)) {
    const name = ROLE_NAMES[key as keyof typeof ROLE_NAMES];
    add('role', { roleid: id, name, ...ref('businessunitid', 'businessunit', ROOT_BUSINESS_UNIT_ID) });
  }
  add('systemuserroles', { systemuserroleid: dvId('systemuserroles', 'bridge|customizer'), systemuserid: BRIDGE_SYSTEM_USER_ID, roleid: ROLE_IDS.systemCustomizer });
  add('systemuser', {
    systemuserid: BRIDGE_SYSTEM_USER_ID, fullname: '# FinOps Bridge', applicationid: BRIDGE_CLIENT.clientId, azureactivedirectoryobjectid: BRIDGE_APP_OID,
    accessmode: 4, isdisabled: false, domainname: `${BRIDGE_CLIENT.clientId}@${TENANT_ID}`, ...ref('businessunitid', 'businessunit', ROOT_BUSINESS_UNIT_ID),
  });
  // The bridge's extra application users: the same role as its first.
  for (const x of EXTRA_BRIDGE_CLIENTS) {
    add('systemuserroles', { systemuserroleid: dvId('systemuserroles', `${x.clientId}|customizer`), systemuserid: x.systemUserId, roleid: ROLE_IDS.systemCustomizer });
    add('systemuser', {
      systemuserid: x.systemUserId, fullname: x.name, applicationid: x.clientId, azureactivedirectoryobjectid: x.oid,
      accessmode: 4, isdisabled: false, domainname: `${x.clientId}@${TENANT_ID}`, ...ref('businessunitid', 'businessunit', ROOT_BUSINESS_UNIT_ID),
    });
  }
  for (const u of DEMO_USERS) {
    const [firstname, ...rest] = u.displayName.split(' ');
    add('systemuser', {
      systemuserid: u.systemUserId, fullname: u.displayName, firstname, lastname: rest.join(' '), domainname: u.upn, internalemailaddress: u.upn,
      azureactivedirectoryobjectid: u.oid, accessmode: 0, isdisabled: false, ...ref('businessunitid', 'businessunit', ROOT_BUSINESS_UNIT_ID),
    });
    add('systemuserroles', { systemuserroleid: dvId('systemuserroles', `${u.name}|sales`), systemuserid: u.systemUserId, roleid: ROLE_IDS.salesperson });
    if (u.readsEveryRow) add('systemuserroles', { systemuserroleid: dvId('systemuserroles', `${u.name}|orgread`), systemuserid: u.systemUserId, roleid: ROLE_IDS.organisationReader });
    // Who reads and who writes a company's rows is their membership of its teams (caller.ts decides from it).
    for (const co of u.readCompanies) {
      add('teammembership', { teammembershipid: dvId('teammembership', `${u.name}|${co}`), systemuserid: u.systemUserId, teamid: companyTeamId(co, 'readers') });
    }
    for (const co of u.writeCompanies) {
      add('teammembership', { teammembershipid: dvId('teammembership', `${u.name}|${co}|editors`), systemuserid: u.systemUserId, teamid: companyTeamId(co, 'editors') });
    }
  }
}

function customers(rows: FnoRow[], add: (t: string, r: Row) => void): void {
  const anchorKeys = new Set(['usmf|US-001', 'usmf|US-002', 'nlmf|NL-001', 'semf|SE-001', 'nlmf|NL-002']);
  rows.forEach((c, i) => {
    const co = str(c.dataAreaId);
    const acct = str(c.CustomerAccount);
    // Every tenth customer is not yet in Dataverse: initial sync has something to create.
    if (i % 10 === 9 && !anchorKeys.has(`${co}|${acct}`)) return;
    const common: Row = {
      emailaddress1: c.PrimaryContactEmail || null, telephone1: c.PrimaryContactPhone || null,
      address1_line1: c.DeliveryAddressStreet, address1_city: c.DeliveryAddressCity, address1_postalcode: c.DeliveryAddressZipCode, address1_country: c.DeliveryAddressCountryRegionISOCode,
      address2_line1: c.InvoiceAddressStreet, address2_city: c.InvoiceAddressCity, address2_postalcode: c.InvoiceAddressZipCode, address2_country: c.InvoiceAddressCountryRegionISOCode,
      ...ref('msdyn_company', 'cdm_company', companyId(co)),
      ...ref('transactioncurrencyid', 'transactioncurrency', dvId('transactioncurrency', str(c.SalesCurrencyCode))),
      ...ref('msdyn_customergroupid', 'msdyn_customergroup', dvId('msdyn_customergroup', `${co}|${str(c.CustomerGroupId)}`)),
      ...owned(co),
    };
    if (c.PartyType === 'Person') {
      add('contact', {
        contactid: contactId(co, acct), msdyn_contactpersonid: acct, firstname: c.PersonFirstName, lastname: c.PersonLastName,
        // A contact's delivery address is its address3 (the contacts map; address1 is the primary address, the same
        // place in the demo data).
        address3_line1: c.DeliveryAddressStreet, address3_city: c.DeliveryAddressCity, address3_postalcode: c.DeliveryAddressZipCode,
        address3_country: c.DeliveryAddressCountryRegionISOCode,
        fullname: `${str(c.PersonFirstName)} ${str(c.PersonLastName)}`.trim(), msdyn_sellable: true, ...common,
        ...ref('msdyn_paymentterms', 'msdyn_paymentterm', dvId('msdyn_paymentterm', `${co}|${str(c.PaymentTerms)}`)),
      });
      return;
    }
    add('account', {
      accountid: accountId(co, acct), accountnumber: acct, name: c.OrganizationName, customertypecode: 3,
      creditlimit: c.CreditLimit, msdyn_creditlimitismandatory: c.CreditLimitIsMandatory === 'Yes',
      msdyn_onholdstatus: ON_HOLD_STATUS[str(c.OnHoldStatus)] ?? 806380000, websiteurl: c.PrimaryContactURL || null, ...common,
      numberofemployees: c.OrganizationNumberOfEmployees ?? 0, msdyn_paymenttermsbasedays: c.PaymentTermsBaseDays ?? 0,
      msdyn_onetimecustomer: c.IsOneTimeCustomer === 'Yes',
      ...ref('msdyn_paymentterm', 'msdyn_paymentterm', dvId('msdyn_paymentterm', `${co}|${str(c.PaymentTerms)}`)),
      ...(c.InvoiceAccount ? ref('msdyn_billingaccount', 'account', accountId(co, str(c.InvoiceAccount))) : {}),
    });
  });
  const prospects: [string, string, string][] = [[DATAVERSE_ANCHORS.prospectUs, 'usmf', 'Fabrikam Prospects Inc.'], [DATAVERSE_ANCHORS.prospectSe, 'semf', 'Prospekt Norrland AB'], [dvId('account', 'prospect|nlmf|1'), 'nlmf', 'Prospect Zeeland B.V.']];
  for (const [id, co, name] of prospects) {
    add('account', { accountid: id, name, customertypecode: 8, ...ref('msdyn_company', 'cdm_company', companyId(co)), ...owned(co) });
  }
}
