// VendorsV2 <-> msdyn_vendor ("Vendors V2 to msdyn_vendors" in the dual-write mapping reference). Released products
// are in products.ts.
import { COMPANY_LOOKUP, type FieldMapping, type TableMap } from '../types';
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
    // The vendor's identity and address details buyers in CE look up (names as Microsoft's map writes them).
    eq('VendorKnownAsName', 'msdyn_vendorknownasname'),
    eq('DUNSNumber', 'msdyn_dunsnumber'),
    eq('OrganizationNumber', 'msdyn_organizationnumber'),
    eq('OurAccountNumber', 'msdyn_ourvendoraccountnumber'),
    eq('CreditRating', 'msdyn_creditrating'),
    eq('AddressStreetNumber', 'msdyn_addressstreetnumber'),
    eq('AddressStateId', 'msdyn_addressstateid'),
    eq('AddressCountyId', 'msdyn_addresscountyid'),
    eq('AddressDistrictName', 'msdyn_addressdistrictname'),
    eq('AddressPostBox', 'msdyn_addresspostbox'),
    eq('AddressCountryRegionId', 'msdyn_addresscountryregionid'),
    eq('PrimaryFaxNumber', 'msdyn_primaryfaxnumber'),
    eq('PrimaryPhoneNumberExtension', 'msdyn_primaryphonenumberextension'),
    { fno: 'IsOneTimeVendor', dataverse: 'msdyn_isonetimevendor', dir: '=', transform: { kind: 'noYesBoolean' } },
    { fno: 'IsForeignEntity', dataverse: 'msdyn_isforeignentity', dir: '=', transform: { kind: 'noYesBoolean' } },
    // A non-nullable integer in VendorV2's metadata: empty in CE is written as 0, as the credit limit is.
    { fno: 'OrganizationEmployeeAmount', dataverse: 'msdyn_numberofemployees', dir: '=', default: 0 },
  ],
  legalEntities: 'all',
  dependsOn: ['legal-entities', 'currencies', 'vendor-groups'],
  conflictPolicy: { kind: 'primary', side: 'fno' },
  // F&O deletes only a vendor without transactions: the Dataverse mirror goes too. A vendor deleted in CE is kept in
  // F&O (finance records) and unlinked.
  deletes: { fnoDeleted: 'delete', dataverseDeleted: 'unlink' },
};
