// VendorsV2 <-> msdyn_vendor ("Vendors V2 to msdyn_vendors" in the dual-write mapping reference) and
// ReleasedProductsV2 -> product (one way; dual-write itself goes through its own distinct-product entity).
import { COMPANY_LOOKUP, DATAVERSE_INACTIVE, type FieldMapping, type TableMap } from '../types';
import { CURRENCY_LOOKUP } from './customers';
import { VENDOR_GROUP_LOOKUP } from './vendor-groups';

const eq = (fno: string, dataverse: string): FieldMapping => ({ fno, dataverse, dir: '=' });

export const vendors: TableMap = {
  name: 'vendors',
  description: 'F&O vendors <-> Dataverse vendors (msdyn_vendor)',
  direction: 'both',
  fno: { entitySet: 'VendorsV2', keys: ['dataAreaId', 'VendorAccountNumber'], companyField: 'dataAreaId' },
  dataverse: {
    entitySet: 'msdyn_vendors', table: 'msdyn_vendor', primaryId: 'msdyn_vendorid',
    alternateKey: ['msdyn_vendoraccountnumber', 'msdyn_company'], companyLookup: 'msdyn_company', modifiedField: 'modifiedon',
  },
  fields: [
    { fno: 'VendorAccountNumber', dataverse: 'msdyn_vendoraccountnumber', dir: '=', key: true, required: true },
    { fno: 'dataAreaId', dataverse: 'msdyn_company', dir: '=', key: true, required: true, transform: COMPANY_LOOKUP },
    { fno: 'VendorOrganizationName', dataverse: 'msdyn_name', dir: '=', required: true },
    // VENDORGROUPID = msdyn_vendorgroupid.msdyn_vendorgroup: F&O requires a group to create a vendor (VendTable.VendGroup
    // is mandatory), so a vendor created in CE reaches F&O only with one; without, F&O's refusal parks the job.
    { fno: 'VendorGroupId', dataverse: 'msdyn_vendorgroupid', dir: '=', transform: VENDOR_GROUP_LOOKUP },
    // F&O's CreditLimit is a non-nullable decimal (VendorV2 metadata): a vendor whose credit limit is empty in CE (a new
    // one, or one whose limit was cleared) is written with 0, F&O's own "no limit", instead of null, which F&O refuses.
    { fno: 'CreditLimit', dataverse: 'msdyn_vendorcreditlimit', dir: '=', default: 0 },
    eq('AddressStreet', 'msdyn_addressstreet'),
    eq('AddressCity', 'msdyn_addresscity'),
    eq('AddressZipCode', 'msdyn_addresszipcode'),
    eq('AddressCountryRegionISOCode', 'msdyn_addresscountryregionisocode'),
    eq('PrimaryEmailAddress', 'msdyn_primaryemailaddress'),
    // "pimary" (sic) is the column's real name in Microsoft's map.
    eq('PrimaryPhoneNumber', 'msdyn_pimaryphonenumber'),
    eq('PrimaryURL', 'msdyn_primarycontacturl'),
    { fno: 'CurrencyCode', dataverse: 'msdyn_currencycode', dir: '=', transform: CURRENCY_LOOKUP },
  ],
  legalEntities: 'all',
  dependsOn: ['legal-entities', 'currencies', 'vendor-groups'],
  conflictPolicy: { kind: 'primary', side: 'fno' },
  // F&O deletes only a vendor without transactions: the Dataverse mirror goes too. A vendor deleted in CE is kept in
  // F&O (finance records) and unlinked.
  deletes: { fnoDeleted: 'delete', dataverseDeleted: 'unlink' },
};

export const releasedProducts: TableMap = {
  name: 'released-products',
  description: 'F&O released products -> Dataverse products (one way)',
  direction: 'fno_to_dataverse',
  fno: { entitySet: 'ReleasedProductsV2', keys: ['dataAreaId', 'ItemNumber'], companyField: 'dataAreaId' },
  dataverse: { entitySet: 'products', table: 'product', primaryId: 'productid', alternateKey: ['productnumber'], modifiedField: 'modifiedon' },
  fields: [
    // Dataverse products are not company specific, so the product number is the key...
    { fno: 'ItemNumber', dataverse: 'productnumber', dir: '>', key: true, required: true },
    { fno: 'SearchName', dataverse: 'name', dir: '>', required: true },
    { fno: 'SalesPrice', dataverse: 'price', dir: '>' },
    { fno: 'UnitCost', dataverse: 'currentcost', dir: '>' },
  ],
  // ...and the map is scoped to one legal entity by default, so two companies' releases of the same item
  // never overwrite each other (a scope dual-write cannot express).
  legalEntities: ['usmf'],
  dependsOn: ['legal-entities'],
  conflictPolicy: { kind: 'primary', side: 'fno' },
  // A product may be on quotes and orders in CE: retired (inactive), not deleted.
  deletes: { fnoDeleted: 'deactivate', deactivate: { dataverse: DATAVERSE_INACTIVE } },
};
