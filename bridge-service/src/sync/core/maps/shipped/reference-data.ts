// Reference data that the master maps look up: companies, organisation hierarchy, currencies and
// exchange rates, customer groups, payment terms. Names follow Microsoft's dual-write mapping reference
// ("Legal entities to cdm_companies", "Operating unit to msdyn_internalorganizations", "Organization
// hierarchy - published to msdyn_internalorganizationhierarchies", "Currencies to transactioncurrencies",
// "CDS Exchange Rates to msdyn_currencyexchangerates", "Customer groups to msdyn_customergroups"). The legal
// entities' internal organisations and the hierarchy types are in organisation.ts.
import { COMPANY_LOOKUP, DATAVERSE_INACTIVE, type FieldMapping, type TableMap } from '../types';
import { HIERARCHY_TYPE_LOOKUP } from './organisation';

const company: FieldMapping = { fno: 'dataAreaId', dataverse: 'msdyn_company', dir: '=', key: true, required: true, transform: COMPANY_LOOKUP };

export const legalEntities: TableMap = {
  name: 'legal-entities',
  description: 'F&O legal entities -> Dataverse companies (cdm_company)',
  direction: 'fno_to_dataverse',
  fno: { entitySet: 'LegalEntities', keys: ['LegalEntityId'] },
  dataverse: { entitySet: 'cdm_companies', table: 'cdm_company', primaryId: 'cdm_companyid', alternateKey: ['cdm_companycode'], modifiedField: 'modifiedon' },
  fields: [
    { fno: 'LegalEntityId', dataverse: 'cdm_companycode', dir: '=', key: true, required: true },
    { fno: 'Name', dataverse: 'cdm_name', dir: '=' },
  ],
  legalEntities: 'all',
  dependsOn: [],
  conflictPolicy: { kind: 'primary', side: 'fno' },
  // A legal entity deleted in F&O: its company row is deactivated, not deleted (every company-specific row refers to it).
  deletes: { fnoDeleted: 'deactivate', deactivate: { dataverse: DATAVERSE_INACTIVE } },
};

export const operatingUnits: TableMap = {
  name: 'operating-units',
  description: 'F&O operating units -> Dataverse internal organisations',
  direction: 'fno_to_dataverse',
  fno: { entitySet: 'OperatingUnits', keys: ['OperatingUnitNumber'] },
  dataverse: {
    entitySet: 'msdyn_internalorganizations', table: 'msdyn_internalorganization', primaryId: 'msdyn_internalorganizationid',
    alternateKey: ['msdyn_partynumber'], modifiedField: 'modifiedon',
  },
  fields: [
    // Dual-write keys internal organisations by party number (PARTYNUMBER). OperatingUnits has PartyNumber and
    // LanguageId beside its own key OperatingUnitNumber (code generated from a real $metadata: SAP Cloud SDK client,
    // ntrtd/d365-agent packages/client/src/OperatingUnits.ts); the party number, not the unit number, is what
    // hierarchy relations name.
    { fno: 'PartyNumber', dataverse: 'msdyn_partynumber', dir: '>', key: true, required: true },
    { fno: 'Name', dataverse: 'msdyn_name', dir: '>' },
    { fno: 'NameAlias', dataverse: 'msdyn_namealias', dir: '>' },
    { fno: 'LanguageId', dataverse: 'msdyn_languageid', dir: '>' },
    // OPERATINGUNITTYPE -> msdyn_type is left out: the F&O members are known (OMOperatingUnitType), but not the
    // msdyn_type option values they map to (only the legal entity's, 806380000, is documented), and a guessed
    // value would be written into every unit.
  ],
  legalEntities: 'all',
  dependsOn: [],
  conflictPolicy: { kind: 'primary', side: 'fno' },
  deletes: { fnoDeleted: 'delete' },
};

const internalOrganisation = { kind: 'lookup', entitySet: 'msdyn_internalorganizations', table: 'msdyn_internalorganization', keyColumn: 'msdyn_partynumber', companyScoped: false } as const;

export const organisationHierarchies: TableMap = {
  name: 'organisation-hierarchies',
  description: 'F&O published organisation hierarchy relations -> Dataverse internal organisation hierarchies',
  direction: 'fno_to_dataverse',
  // The OData entity set of "Organization hierarchy - published" (OMOrganizationHierarchyPublishedEntity) is
  // OrganizationHierarchyPublishedV2, keyed by type, child and validFrom; validFrom/validTo are lower case
  // in the real $metadata (the dual-write map's VALIDFROM/VALIDTO are staging names).
  fno: { entitySet: 'OrganizationHierarchyPublishedV2', keys: ['HierarchyType', 'ChildOrganizationPartyNumber', 'validFrom'] },
  dataverse: {
    entitySet: 'msdyn_internalorganizationhierarchies', table: 'msdyn_internalorganizationhierarchy',
    primaryId: 'msdyn_internalorganizationhierarchyid',
    alternateKey: ['msdyn_hierarchytypename', 'msdyn_childpartyid', 'msdyn_validfrom'], modifiedField: 'modifiedon',
  },
  fields: [
    { fno: 'HierarchyType', dataverse: 'msdyn_hierarchytypename', dir: '>', key: true, required: true },
    { fno: 'HierarchyType', dataverse: 'msdyn_hierarchytypeid', dir: '>', transform: HIERARCHY_TYPE_LOOKUP },
    { fno: 'ChildOrganizationPartyNumber', dataverse: 'msdyn_childpartyid', dir: '>', key: true, required: true },
    { fno: 'validFrom', dataverse: 'msdyn_validfrom', dir: '>', key: true, required: true },
    { fno: 'ParentOrganizationPartyNumber', dataverse: 'msdyn_parentpartyid', dir: '>', required: true },
    { fno: 'ParentOrganizationPartyNumber', dataverse: 'msdyn_parentid', dir: '>', transform: internalOrganisation },
    { fno: 'ChildOrganizationPartyNumber', dataverse: 'msdyn_childid', dir: '>', transform: internalOrganisation },
    { fno: 'validTo', dataverse: 'msdyn_validto', dir: '>' },
  ],
  legalEntities: 'all',
  dependsOn: ['operating-units', 'legal-entity-organisations', 'organisation-hierarchy-types'],
  conflictPolicy: { kind: 'primary', side: 'fno' },
  deletes: { fnoDeleted: 'delete' },
};

export const currencies: TableMap = {
  name: 'currencies',
  description: 'F&O currencies -> Dataverse transaction currencies',
  direction: 'fno_to_dataverse',
  fno: { entitySet: 'Currencies', keys: ['CurrencyCode'] },
  dataverse: {
    entitySet: 'transactioncurrencies', table: 'transactioncurrency', primaryId: 'transactioncurrencyid',
    alternateKey: ['isocurrencycode'], modifiedField: 'modifiedon',
  },
  fields: [
    { fno: 'CurrencyCode', dataverse: 'isocurrencycode', dir: '=', key: true, required: true },
    { fno: 'Name', dataverse: 'currencyname', dir: '=', required: true },
    { fno: 'Symbol', dataverse: 'currencysymbol', dir: '=', required: true, default: '¤' },
    // Dataverse requires a rate to the base currency; dual-write writes 1 and keeps rates in their own table.
    { fno: null, dataverse: 'exchangerate', dir: '>', default: 1 },
  ],
  filters: { fno: [{ field: 'CurrencyCode', op: 'ne', value: '999' }] },
  legalEntities: 'all',
  dependsOn: [],
  conflictPolicy: { kind: 'primary', side: 'fno' },
  // A currency in use cannot be deleted in Dataverse (records refer to it): deactivated instead.
  deletes: { fnoDeleted: 'deactivate', deactivate: { dataverse: DATAVERSE_INACTIVE } },
};

export const exchangeRates: TableMap = {
  name: 'exchange-rates',
  description: 'F&O exchange rates -> Dataverse currency exchange rates',
  direction: 'fno_to_dataverse',
  // The entity of Microsoft's map is ExchangeRatesCDSEntity (public collection of the same name), keyed by
  // (ExchangeRateTypeName, FromCurrencyCode, ToCurrencyCode, ValidFrom) with Rate and ValidTo (code generated from a
  // real $metadata: SAP Cloud SDK client, ntrtd/d365-agent packages/client/src/ExchangeRatesCdsEntity.ts). The
  // bridge's earlier map read ExchangeRates (RateTypeName, FromCurrency, ToCurrency, StartDate, EndDate).
  fno: { entitySet: 'ExchangeRatesCDSEntity', keys: ['ExchangeRateTypeName', 'FromCurrencyCode', 'ToCurrencyCode', 'ValidFrom'] },
  dataverse: {
    entitySet: 'msdyn_currencyexchangerates', table: 'msdyn_currencyexchangerate', primaryId: 'msdyn_currencyexchangerateid',
    alternateKey: ['msdyn_exchangeratetypename', 'msdyn_fromcurrencycode', 'msdyn_tocurrencycode', 'msdyn_validfrom'], modifiedField: 'modifiedon',
  },
  fields: [
    { fno: 'ExchangeRateTypeName', dataverse: 'msdyn_exchangeratetypename', dir: '>', key: true, required: true },
    { fno: 'FromCurrencyCode', dataverse: 'msdyn_fromcurrencycode', dir: '>', key: true, required: true },
    { fno: 'ToCurrencyCode', dataverse: 'msdyn_tocurrencycode', dir: '>', key: true, required: true },
    { fno: 'ValidFrom', dataverse: 'msdyn_validfrom', dir: '>', key: true, required: true },
    { fno: 'ValidTo', dataverse: 'msdyn_validto', dir: '>' },
    { fno: 'Rate', dataverse: 'msdyn_exchangerate', dir: '>', required: true },
  ],
  legalEntities: 'all',
  dependsOn: ['currencies'],
  conflictPolicy: { kind: 'primary', side: 'fno' },
  deletes: { fnoDeleted: 'delete' },
};

export const paymentTerms: TableMap = {
  name: 'payment-terms',
  description: 'F&O terms of payment <-> Dataverse payment terms',
  direction: 'both',
  fno: { entitySet: 'PaymentTerms', keys: ['dataAreaId', 'Name'], companyField: 'dataAreaId' },
  dataverse: {
    entitySet: 'msdyn_paymentterms', table: 'msdyn_paymentterm', primaryId: 'msdyn_paymenttermid',
    alternateKey: ['msdyn_name', 'msdyn_company'], companyLookup: 'msdyn_company', modifiedField: 'modifiedon',
  },
  fields: [
    { fno: 'Name', dataverse: 'msdyn_name', dir: '=', key: true, required: true },
    company,
    { fno: 'Description', dataverse: 'msdyn_description', dir: '=' },
  ],
  legalEntities: 'all',
  dependsOn: ['legal-entities'],
  conflictPolicy: { kind: 'primary', side: 'fno' },
  // Reference data: a delete on either side deletes the other. A service that refuses (the row is in use) parks the
  // job with its message; the admin decides.
  deletes: { fnoDeleted: 'delete', dataverseDeleted: 'delete' },
};

export const customerGroups: TableMap = {
  name: 'customer-groups',
  description: 'F&O customer groups <-> Dataverse customer groups',
  direction: 'both',
  fno: { entitySet: 'CustomerGroups', keys: ['dataAreaId', 'CustomerGroupId'], companyField: 'dataAreaId' },
  dataverse: {
    entitySet: 'msdyn_customergroups', table: 'msdyn_customergroup', primaryId: 'msdyn_customergroupid',
    alternateKey: ['msdyn_groupid', 'msdyn_company'], companyLookup: 'msdyn_company', modifiedField: 'modifiedon',
  },
  fields: [
    { fno: 'CustomerGroupId', dataverse: 'msdyn_groupid', dir: '=', key: true, required: true },
    company,
    { fno: 'Description', dataverse: 'msdyn_description', dir: '=' },
    { fno: 'IsSalesTaxIncludedInPrice', dataverse: 'msdyn_issalestaxincludedinprice', dir: '=', transform: { kind: 'noYesBoolean' } },
    {
      fno: 'PaymentTermId', dataverse: 'msdyn_paymenttermid', dir: '=',
      transform: { kind: 'lookup', entitySet: 'msdyn_paymentterms', table: 'msdyn_paymentterm', keyColumn: 'msdyn_name', companyScoped: true },
    },
  ],
  legalEntities: 'all',
  dependsOn: ['legal-entities', 'payment-terms'],
  conflictPolicy: { kind: 'primary', side: 'fno' },
  deletes: { fnoDeleted: 'delete', dataverseDeleted: 'delete' },
};
