// The tables the sandbox serves, with their real logical names, entity sets, keys and lookups.
import { ACCOUNT_COLUMNS, CONTACT_COLUMNS } from './columns-generated';
import type { TableDef } from './schema-types';
import { COMPANY, table } from './table-builder';
import { SOLUTION_TABLES } from './tables-solution';

export const TABLES: TableDef[] = [
  table({
    logicalName: 'account', entitySet: 'accounts', primaryKey: 'accountid', primaryName: 'name', objectTypeCode: 1, owned: true,
    columns: ACCOUNT_COLUMNS, companyScoped: true,
    alternateKeys: [['accountnumber', 'msdyn_company']],
    lookups: {
      msdyn_company: COMPANY, transactioncurrencyid: { targets: ['transactioncurrency'] },
      msdyn_customergroupid: { targets: ['msdyn_customergroup'] }, msdyn_paymentterm: { targets: ['msdyn_paymentterm'] },
      msdyn_billingaccount: { targets: ['account'] }, parentaccountid: { targets: ['account'] },
      primarycontactid: { targets: ['contact'] }, msdyn_vendor: { targets: ['msdyn_vendor'] }, masterid: { targets: ['account'] },
      preferredsystemuserid: { targets: ['systemuser'] },
    },
    oneToMany: { contact_customer_accounts: { table: 'contact', referencingColumn: 'parentcustomerid' } },
  }),
  table({
    logicalName: 'contact', entitySet: 'contacts', primaryKey: 'contactid', primaryName: 'fullname', objectTypeCode: 2, owned: true,
    columns: CONTACT_COLUMNS, companyScoped: true,
    alternateKeys: [['msdyn_contactpersonid', 'msdyn_company']],
    lookups: {
      msdyn_company: COMPANY, parentcustomerid: { targets: ['account', 'contact'] },
      transactioncurrencyid: { targets: ['transactioncurrency'] }, msdyn_customergroupid: { targets: ['msdyn_customergroup'] },
      msdyn_paymentterms: { targets: ['msdyn_paymentterm'] }, accountid: { targets: ['account'] }, parentcontactid: { targets: ['contact'] },
    },
  }),
  table({
    logicalName: 'cdm_company', entitySet: 'cdm_companies', primaryKey: 'cdm_companyid', primaryName: 'cdm_name', objectTypeCode: 10001, owned: true,
    columns: { cdm_companyid: 'Uniqueidentifier', cdm_companycode: 'String', cdm_name: 'String', cdm_defaultowningteam: 'Lookup', cdm_isenabledfordualwrite: 'Boolean' },
    lookups: { cdm_defaultowningteam: { targets: ['team'] } },
    alternateKeys: [['cdm_companycode']],
  }),
  table({
    logicalName: 'msdyn_internalorganization', entitySet: 'msdyn_internalorganizations', primaryKey: 'msdyn_internalorganizationid',
    primaryName: 'msdyn_name', objectTypeCode: 10002, owned: true,
    columns: {
      msdyn_internalorganizationid: 'Uniqueidentifier', msdyn_name: 'String', msdyn_namealias: 'String', msdyn_languageid: 'String',
      msdyn_type: 'Picklist', msdyn_partynumber: 'String', msdyn_companycode: 'String',
    },
    alternateKeys: [['msdyn_partynumber']],
  }),
  // Dual-write's "Organization hierarchy - published" map writes the party numbers, type name and validity
  // as plain columns and resolves the parent/child lookups by party number. The platform's alternate key
  // is not documented; the sandbox keys the table like the F&O entity (type, child, valid from).
  table({
    logicalName: 'msdyn_internalorganizationhierarchy', entitySet: 'msdyn_internalorganizationhierarchies',
    primaryKey: 'msdyn_internalorganizationhierarchyid', primaryName: 'msdyn_name', objectTypeCode: 10003, owned: true,
    columns: {
      msdyn_internalorganizationhierarchyid: 'Uniqueidentifier', msdyn_name: 'String', msdyn_hierarchytypename: 'String',
      msdyn_hierarchytypeid: 'Lookup', msdyn_parentpartyid: 'String', msdyn_childpartyid: 'String', msdyn_childid: 'Lookup', msdyn_parentid: 'Lookup',
      msdyn_validfrom: 'DateTime', msdyn_validto: 'DateTime',
    },
    lookups: {
      msdyn_childid: { targets: ['msdyn_internalorganization'] }, msdyn_parentid: { targets: ['msdyn_internalorganization'] },
      msdyn_hierarchytypeid: { targets: ['msdyn_internalorganizationhierarchytype'] },
    },
    alternateKeys: [['msdyn_hierarchytypename', 'msdyn_childpartyid', 'msdyn_validfrom']],
  }),
  // "Organization hierarchy type to msdyn_internalorganizationhierarchytypes" writes the name only; the platform's
  // alternate key is not documented, the sandbox keys the table by that name.
  table({
    logicalName: 'msdyn_internalorganizationhierarchytype', entitySet: 'msdyn_internalorganizationhierarchytypes',
    primaryKey: 'msdyn_internalorganizationhierarchytypeid', primaryName: 'msdyn_name', objectTypeCode: 10008, owned: true,
    columns: { msdyn_internalorganizationhierarchytypeid: 'Uniqueidentifier', msdyn_name: 'String' },
    alternateKeys: [['msdyn_name']],
  }),
  // Column names as dual-write's "Vendors V2 to msdyn_vendors" map writes them, "pimary" (sic) included.
  table({
    logicalName: 'msdyn_vendor', entitySet: 'msdyn_vendors', primaryKey: 'msdyn_vendorid', primaryName: 'msdyn_name', objectTypeCode: 10004, owned: true,
    columns: {
      msdyn_vendorid: 'Uniqueidentifier', msdyn_vendoraccountnumber: 'String', msdyn_name: 'String', msdyn_company: 'Lookup',
      msdyn_vendorgroupid: 'Lookup', msdyn_currencycode: 'Lookup', msdyn_vendorcreditlimit: 'Money', msdyn_onholdstatus: 'Picklist',
      msdyn_primaryemailaddress: 'String', msdyn_pimaryphonenumber: 'String', msdyn_primarycontacturl: 'String',
      msdyn_addressstreet: 'String', msdyn_addresscity: 'String', msdyn_addresszipcode: 'String',
      msdyn_addresscountryregionid: 'String', msdyn_addresscountryregionisocode: 'String',
      msdyn_vendorknownasname: 'String', msdyn_dunsnumber: 'String', msdyn_organizationnumber: 'String', msdyn_ourvendoraccountnumber: 'String',
      msdyn_creditrating: 'String', msdyn_addressstreetnumber: 'String', msdyn_addressstateid: 'String', msdyn_addresscountyid: 'String',
      msdyn_addressdistrictname: 'String', msdyn_addresspostbox: 'String', msdyn_primaryfaxnumber: 'String',
      msdyn_primaryphonenumberextension: 'String', msdyn_isonetimevendor: 'Boolean', msdyn_isforeignentity: 'Boolean', msdyn_numberofemployees: 'Integer',
    },
    lookups: { msdyn_company: COMPANY, msdyn_currencycode: { targets: ['transactioncurrency'] }, msdyn_vendorgroupid: { targets: ['msdyn_vendorgroup'] } },
    alternateKeys: [['msdyn_vendoraccountnumber', 'msdyn_company']], companyScoped: true,
  }),
  table({
    logicalName: 'product', entitySet: 'products', primaryKey: 'productid', primaryName: 'name', objectTypeCode: 1024,
    columns: {
      productid: 'Uniqueidentifier', name: 'String', productnumber: 'String', description: 'Memo', producttypecode: 'Picklist',
      quantitydecimal: 'Integer', transactioncurrencyid: 'Lookup', defaultuomid: 'Lookup', defaultuomscheduleid: 'Lookup',
      msdyn_productnumber: 'String', msdyn_itemnumber: 'String', price: 'Money', currentcost: 'Money', statecode: 'State', statuscode: 'Status',
    },
    // The msdyn_ columns come with dual-write's core solutions (seed.ts, DUAL_WRITE_CORE_SOLUTIONS). Keyed by CE's product
    // ID and by dual-write's product number (the key its "CDS released distinct products to products" map upserts by;
    // the solution's key definition itself is not documented). defaultuomid points at no table: the sandbox has no
    // uom/uomschedule, so a unit cannot be written honestly (sync README).
    lookups: { transactioncurrencyid: { targets: ['transactioncurrency'] } },
    alternateKeys: [['productnumber'], ['msdyn_productnumber']],
  }),
  table({
    logicalName: 'transactioncurrency', entitySet: 'transactioncurrencies', primaryKey: 'transactioncurrencyid', primaryName: 'currencyname', objectTypeCode: 9105,
    columns: {
      transactioncurrencyid: 'Uniqueidentifier', isocurrencycode: 'String', currencyname: 'String', currencysymbol: 'String',
      exchangerate: 'Decimal', currencyprecision: 'Integer', statecode: 'State', statuscode: 'Status',
    },
    alternateKeys: [['isocurrencycode']],
  }),
  // "CDS Exchange Rates to msdyn_currencyexchangerates" (dual-write reference data); keyed like its source.
  table({
    logicalName: 'msdyn_currencyexchangerate', entitySet: 'msdyn_currencyexchangerates', primaryKey: 'msdyn_currencyexchangerateid',
    primaryName: 'msdyn_name', objectTypeCode: 10007,
    columns: {
      msdyn_currencyexchangerateid: 'Uniqueidentifier', msdyn_name: 'String', msdyn_exchangeratetypename: 'String', msdyn_fromcurrencycode: 'String',
      msdyn_tocurrencycode: 'String', msdyn_exchangerate: 'Decimal', msdyn_validfrom: 'DateTime', msdyn_validto: 'DateTime',
    },
    alternateKeys: [['msdyn_exchangeratetypename', 'msdyn_fromcurrencycode', 'msdyn_tocurrencycode', 'msdyn_validfrom']],
  }),
  table({
    logicalName: 'msdyn_customergroup', entitySet: 'msdyn_customergroups', primaryKey: 'msdyn_customergroupid', primaryName: 'msdyn_groupid', objectTypeCode: 10005, owned: true,
    columns: {
      msdyn_customergroupid: 'Uniqueidentifier', msdyn_groupid: 'String', msdyn_description: 'String', msdyn_company: 'Lookup', msdyn_paymenttermid: 'Lookup',
      msdyn_issalestaxincludedinprice: 'Boolean',
    },
    lookups: { msdyn_company: COMPANY, msdyn_paymenttermid: { targets: ['msdyn_paymentterm'] } },
    alternateKeys: [['msdyn_groupid', 'msdyn_company']],
  }),
  // "Vendor groups to msdyn_vendorgroups": the group code in msdyn_vendorgroup, the two terms of payment as lookups named
  // as the map names them ("perm" sic). Keyed, like customer groups, by code and company. The lookup names and the key
  // are read from the dual-write map, not from the table's definition (see the bridge's shipped/vendor-groups.ts).
  table({
    logicalName: 'msdyn_vendorgroup', entitySet: 'msdyn_vendorgroups', primaryKey: 'msdyn_vendorgroupid', primaryName: 'msdyn_vendorgroup', objectTypeCode: 10008, owned: true,
    columns: {
      msdyn_vendorgroupid: 'Uniqueidentifier', msdyn_vendorgroup: 'String', msdyn_description: 'String', msdyn_company: 'Lookup',
      msdyn_paymentterms: 'Lookup', msdyn_clearingperiodpaymentpermname: 'Lookup',
    },
    lookups: { msdyn_company: COMPANY, msdyn_paymentterms: { targets: ['msdyn_paymentterm'] }, msdyn_clearingperiodpaymentpermname: { targets: ['msdyn_paymentterm'] } },
    alternateKeys: [['msdyn_vendorgroup', 'msdyn_company']],
  }),
  table({
    logicalName: 'msdyn_paymentterm', entitySet: 'msdyn_paymentterms', primaryKey: 'msdyn_paymenttermid', primaryName: 'msdyn_name', objectTypeCode: 10006, owned: true,
    columns: { msdyn_paymenttermid: 'Uniqueidentifier', msdyn_name: 'String', msdyn_description: 'String', msdyn_company: 'Lookup' },
    lookups: { msdyn_company: COMPANY },
    alternateKeys: [['msdyn_name', 'msdyn_company']],
  }),
  table({
    logicalName: 'systemuser', entitySet: 'systemusers', primaryKey: 'systemuserid', primaryName: 'fullname', objectTypeCode: 8,
    columns: {
      systemuserid: 'Uniqueidentifier', fullname: 'String', firstname: 'String', lastname: 'String', domainname: 'String',
      internalemailaddress: 'String', azureactivedirectoryobjectid: 'Uniqueidentifier', applicationid: 'Uniqueidentifier',
      businessunitid: 'Lookup', isdisabled: 'Boolean', accessmode: 'Picklist',
    },
    lookups: { businessunitid: { targets: ['businessunit'] } },
    alternateKeys: [['azureactivedirectoryobjectid']],
  }),
  table({
    logicalName: 'team', entitySet: 'teams', primaryKey: 'teamid', primaryName: 'name', objectTypeCode: 9,
    columns: { teamid: 'Uniqueidentifier', name: 'String', teamtype: 'Picklist', businessunitid: 'Lookup', isdefault: 'Boolean', azureactivedirectoryobjectid: 'Uniqueidentifier' },
    lookups: { businessunitid: { targets: ['businessunit'] } },
    alternateKeys: [],
  }),
  table({
    logicalName: 'teammembership', entitySet: 'teammemberships', primaryKey: 'teammembershipid', primaryName: 'teammembershipid', objectTypeCode: 23,
    columns: { teammembershipid: 'Uniqueidentifier', systemuserid: 'Uniqueidentifier', teamid: 'Uniqueidentifier' },
    alternateKeys: [],
  }),
  table({
    logicalName: 'businessunit', entitySet: 'businessunits', primaryKey: 'businessunitid', primaryName: 'name', objectTypeCode: 10,
    columns: { businessunitid: 'Uniqueidentifier', name: 'String', parentbusinessunitid: 'Lookup' },
    lookups: { parentbusinessunitid: { targets: ['businessunit'] } },
    alternateKeys: [],
  }),
  table({
    logicalName: 'environmentvariabledefinition', entitySet: 'environmentvariabledefinitions', primaryKey: 'environmentvariabledefinitionid',
    primaryName: 'schemaname', objectTypeCode: 380, owned: true,
    columns: { environmentvariabledefinitionid: 'Uniqueidentifier', schemaname: 'String', displayname: 'String', description: 'Memo', type: 'Picklist', defaultvalue: 'Memo', isrequired: 'Boolean' },
    alternateKeys: [['schemaname']],
    oneToMany: { environmentvariabledefinition_environmentvariablevalue: { table: 'environmentvariablevalue', referencingColumn: 'environmentvariabledefinitionid' } },
  }),
  table({
    logicalName: 'environmentvariablevalue', entitySet: 'environmentvariablevalues', primaryKey: 'environmentvariablevalueid',
    primaryName: 'schemaname', objectTypeCode: 381, owned: true,
    columns: { environmentvariablevalueid: 'Uniqueidentifier', schemaname: 'String', value: 'Memo', environmentvariabledefinitionid: 'Lookup' },
    lookups: { environmentvariabledefinitionid: { targets: ['environmentvariabledefinition'] } },
    alternateKeys: [['schemaname']],
  }),
  table({
    logicalName: 'serviceendpoint', entitySet: 'serviceendpoints', primaryKey: 'serviceendpointid', primaryName: 'name', objectTypeCode: 4618,
    columns: {
      serviceendpointid: 'Uniqueidentifier', name: 'String', description: 'Memo', contract: 'Picklist', authtype: 'Picklist', url: 'String',
      messageformat: 'Picklist', namespaceaddress: 'String', path: 'String', authvalue: 'String', connectionmode: 'Picklist',
      userclaim: 'Picklist', solutionnamespace: 'String', saskeyname: 'String', saskey: 'String', messagecharset: 'Picklist',
    },
    alternateKeys: [], writeOnly: ['authvalue', 'saskey'],
  }),
  table({
    logicalName: 'sdkmessage', entitySet: 'sdkmessages', primaryKey: 'sdkmessageid', primaryName: 'name', objectTypeCode: 4606,
    columns: { sdkmessageid: 'Uniqueidentifier', name: 'String', categoryname: 'String', isprivate: 'Boolean' },
    alternateKeys: [],
  }),
  table({
    logicalName: 'sdkmessagefilter', entitySet: 'sdkmessagefilters', primaryKey: 'sdkmessagefilterid', primaryName: 'sdkmessagefilterid', objectTypeCode: 4607,
    columns: { sdkmessagefilterid: 'Uniqueidentifier', primaryobjecttypecode: 'EntityName', secondaryobjecttypecode: 'EntityName', sdkmessageid: 'Lookup', iscustomprocessingstepallowed: 'Boolean', availability: 'Integer' },
    lookups: { sdkmessageid: { targets: ['sdkmessage'] } },
    alternateKeys: [],
  }),
  table({
    logicalName: 'sdkmessageprocessingstep', entitySet: 'sdkmessageprocessingsteps', primaryKey: 'sdkmessageprocessingstepid', primaryName: 'name', objectTypeCode: 4608,
    columns: {
      sdkmessageprocessingstepid: 'Uniqueidentifier', name: 'String', description: 'Memo', stage: 'Picklist', mode: 'Picklist', rank: 'Integer',
      filteringattributes: 'String', supporteddeployment: 'Picklist', asyncautodelete: 'Boolean', configuration: 'Memo',
      eventhandler: 'Lookup', sdkmessageid: 'Lookup', sdkmessagefilterid: 'Lookup', impersonatinguserid: 'Lookup', statecode: 'State', statuscode: 'Status',
    },
    lookups: {
      eventhandler: { targets: ['serviceendpoint', 'plugintype'] }, sdkmessageid: { targets: ['sdkmessage'] },
      sdkmessagefilterid: { targets: ['sdkmessagefilter'] }, impersonatinguserid: { targets: ['systemuser'] },
    },
    alternateKeys: [],
    oneToMany: { sdkmessageprocessingstepid_sdkmessageprocessingstepimage: { table: 'sdkmessageprocessingstepimage', referencingColumn: 'sdkmessageprocessingstepid' } },
  }),
  table({
    logicalName: 'sdkmessageprocessingstepimage', entitySet: 'sdkmessageprocessingstepimages', primaryKey: 'sdkmessageprocessingstepimageid', primaryName: 'name', objectTypeCode: 4615,
    columns: {
      sdkmessageprocessingstepimageid: 'Uniqueidentifier', name: 'String', entityalias: 'String', imagetype: 'Picklist', messagepropertyname: 'String',
      attributes: 'String', sdkmessageprocessingstepid: 'Lookup', description: 'Memo',
    },
    lookups: { sdkmessageprocessingstepid: { targets: ['sdkmessageprocessingstep'] } },
    alternateKeys: [],
  }),
  ...SOLUTION_TABLES,
];

export const TABLE_BY_NAME = new Map(TABLES.map((t) => [t.logicalName, t]));
export const TABLE_BY_SET = new Map(TABLES.map((t) => [t.entitySet, t]));

/** Navigation property name -> lookup column (and the fixed target for polymorphic lookups). */
export function navigationProperty(t: TableDef, nav: string): { column: string; target?: string } | undefined {
  if (t.lookups[nav]) return { column: nav, target: t.lookups[nav].targets.length === 1 ? t.lookups[nav].targets[0] : undefined };
  for (const [column, def] of Object.entries(t.lookups)) {
    for (const target of def.targets) if (nav === `${column}_${target}`) return { column, target };
  }
  return undefined;
}
