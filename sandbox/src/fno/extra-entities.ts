// Entities the bridge needs for which no verbatim metadata was available. Names follow Microsoft's
// public docs (dual-write reference data maps and the data entity list); properties are limited to the
// ones those docs name. FinOpsBridgeCustomerBalances is NOT a standard entity: standard F&O exposes no
// OData entity with a customer's balance and overdue amount (CustTransOpen is not a public entity), so a
// deployment adds a small custom read-only entity over CustTrans/CustTransOpen; this is its contract.
import type { EnumSchema, PropertySchema } from './schema-types';

const p = (name: string, type: string, nullable = true): PropertySchema => ({ name, type, nullable });
const NS = 'Microsoft.Dynamics.DataEntities';

export const EXTRA_ENTITIES: { entitySet: string; typeName: string; keys: string[]; properties: PropertySchema[] }[] = [
  { entitySet: 'Currencies', typeName: 'Currency', keys: ['CurrencyCode'],
    properties: [p('CurrencyCode', 'Edm.String', false), p('Name', 'Edm.String'), p('Symbol', 'Edm.String')] },
  { entitySet: 'ExchangeRates', typeName: 'ExchangeRate', keys: ['RateTypeName', 'FromCurrency', 'ToCurrency', 'StartDate'],
    properties: [p('RateTypeName', 'Edm.String', false), p('FromCurrency', 'Edm.String', false), p('ToCurrency', 'Edm.String', false),
      p('StartDate', 'Edm.DateTimeOffset', false), p('EndDate', 'Edm.DateTimeOffset', false), p('Rate', 'Edm.Decimal', false),
      p('ConversionFactor', `${NS}.ExchangeRateDisplayFactor`), p('RateTypeDescription', 'Edm.String')] },
  // ExchangeRatesCDSEntity (dual-write's "CDS Exchange Rates" source): entity set, keys, names, Edm types and
  // nullability of its six properties from code generated off a real $metadata (ntrtd/d365-agent, SAP Cloud SDK client,
  // packages/client/src/ExchangeRatesCdsEntity.ts). Derived from ExchangeRates' rows (derived.ts).
  { entitySet: 'ExchangeRatesCDSEntity', typeName: 'ExchangeRatesCDSEntity', keys: ['ExchangeRateTypeName', 'FromCurrencyCode', 'ToCurrencyCode', 'ValidFrom'],
    properties: [p('ExchangeRateTypeName', 'Edm.String', false), p('FromCurrencyCode', 'Edm.String', false), p('ToCurrencyCode', 'Edm.String', false),
      p('ValidFrom', 'Edm.DateTimeOffset', false), p('Rate', 'Edm.Decimal', false), p('ValidTo', 'Edm.DateTimeOffset', false)] },
  // OperatingUnits: PartyNumber and LanguageId as in code generated off a real $metadata (packages/client/src/OperatingUnits.ts).
  { entitySet: 'OperatingUnits', typeName: 'OperatingUnit', keys: ['OperatingUnitNumber'],
    properties: [p('OperatingUnitNumber', 'Edm.String', false), p('Name', 'Edm.String'), p('OperatingUnitType', `${NS}.OMOperatingUnitType`),
      p('NameAlias', 'Edm.String'), p('PartyNumber', 'Edm.String'), p('LanguageId', 'Edm.String')] },
  // OrganizationHierarchyTypes (OMHierarchyType): entity set, key and both properties from generated code
  // (packages/client/src/OrganizationHierarchyTypes.ts).
  { entitySet: 'OrganizationHierarchyTypes', typeName: 'OrganizationHierarchyType', keys: ['Name'],
    properties: [p('Name', 'Edm.String', false), p('RelationshipTypeId', 'Edm.String')] },
  // CDSReleasedDistinctProducts (EcoResReleasedDistinctProductCDSEntity, dual-write's product source): entity set, keys
  // and the properties Microsoft's map reads, names, types and nullability from generated code
  // (packages/client/src/CdsReleasedDistinctProducts.ts; 26 properties there, the others left out). Derived from
  // ReleasedProductsV2's rows (derived.ts).
  { entitySet: 'CDSReleasedDistinctProducts', typeName: 'CDSReleasedDistinctProduct', keys: ['dataAreaId', 'ProductNumber'],
    properties: [p('dataAreaId', 'Edm.String', false), p('ProductNumber', 'Edm.String', false), p('ItemNumber', 'Edm.String'),
      p('ProductName', 'Edm.String'), p('ProductDescription', 'Edm.String'), p('CurrencyCode', 'Edm.String'),
      p('ProductType', `${NS}.EcoResProductType`), p('SalesPrice', 'Edm.Decimal', false), p('UnitCost', 'Edm.Decimal', false),
      p('SalesUnitSymbol', 'Edm.String'), p('InventoryUnitSymbol', 'Edm.String')] },
  // "Organization hierarchy - published" (OMOrganizationHierarchyPublishedEntity): entity set, keys, names (the
  // lower-case validFrom/validTo included), Edm types and nullability as in code generated from a real
  // $metadata (ntrtd/d365-agent, SAP Cloud SDK client, the source of ./metadata/*.tsv).
  { entitySet: 'OrganizationHierarchyPublishedV2', typeName: 'OrganizationHierarchyPublishedV2', keys: ['HierarchyType', 'ChildOrganizationPartyNumber', 'validFrom'],
    properties: [p('HierarchyType', 'Edm.String', false), p('ChildOrganizationPartyNumber', 'Edm.String', false), p('validFrom', 'Edm.DateTimeOffset', false),
      p('RelationshipType', 'Edm.String'), p('ParentOrganizationPartyNumber', 'Edm.String'), p('validTo', 'Edm.DateTimeOffset', false),
      p('ChildOrganizationName', 'Edm.String'), p('ParentOrganizationName', 'Edm.String')] },
  // "Vendor groups" (VendVendorGroupEntity): the attributes of the CDM page "Vendor groups in
  // ProcurementAndSourcing(VendVendorGroupEntity)" that dual-write's "Vendor groups to msdyn_vendorgroups" map reads,
  // plus DefaultTaxGroupCode; keys as the company-specific customer groups (dataAreaId, group id). The entity set name
  // is the one public integrations call (/data/VendorGroups); the type name VendorGroup follows the singular/plural
  // pattern of CustomerGroup/CustomerGroups and was not read from a real $metadata.
  { entitySet: 'VendorGroups', typeName: 'VendorGroup', keys: ['dataAreaId', 'VendorGroupId'],
    properties: [p('dataAreaId', 'Edm.String', false), p('VendorGroupId', 'Edm.String', false), p('Description', 'Edm.String'),
      p('DefaultPaymentTermName', 'Edm.String'), p('ClearingPeriodPaymentTermName', 'Edm.String'), p('DefaultTaxGroupCode', 'Edm.String')] },
  { entitySet: 'FinOpsBridgeCustomerBalances', typeName: 'FinOpsBridgeCustomerBalance', keys: ['dataAreaId', 'CustomerAccount'],
    properties: [p('dataAreaId', 'Edm.String', false), p('CustomerAccount', 'Edm.String', false), p('CurrencyCode', 'Edm.String'),
      p('Balance', 'Edm.Decimal', false), p('OverdueAmount', 'Edm.Decimal', false), p('OpenInvoiceCount', 'Edm.Int32', false),
      p('OldestDueDate', 'Edm.DateTimeOffset', false)] },
];

/** Enums whose members are documented by Microsoft (AX/F&O base enums) but absent from the verbatim extract. */
export const SUPPLEMENTAL_ENUMS: EnumSchema[] = [
  { name: 'SalesStatus', members: [{ name: 'None', value: 0 }, { name: 'Backorder', value: 1 }, { name: 'Delivered', value: 2 },
    { name: 'Invoiced', value: 3 }, { name: 'Canceled', value: 4 }] },
  // From the real PaymentTerm metadata (test/fixtures/real/reference/fo-metadata): how a due date is computed.
  { name: 'NetCurrent', members: [{ name: 'Net', value: 0 }, { name: 'CurrentMth', value: 1 }, { name: 'CurrentQuart', value: 2 },
    { name: 'CurrentYear', value: 3 }, { name: 'CurrentWeek', value: 4 }, { name: 'COD', value: 5 }, { name: 'CutOffDate', value: 7 }] },
  { name: 'EcoResProductType', members: [{ name: 'Item', value: 1 }, { name: 'Service', value: 2 }] },
  { name: 'ExchangeRateDisplayFactor', members: [{ name: 'One', value: 0 }, { name: 'Ten', value: 1 }, { name: 'Hundred', value: 2 },
    { name: 'Thousand', value: 3 }, { name: 'TenThousand', value: 4 }] },
  { name: 'OMOperatingUnitType', members: [{ name: 'None', value: 0 }, { name: 'OMDepartment', value: 1 }, { name: 'OMCostCenter', value: 2 },
    { name: 'OMValueStream', value: 3 }, { name: 'OMBusinessUnit', value: 4 }, { name: 'OMRetailChannel', value: 5 }] },
];
