// CustomersV3 <-> account (organisations) and CustomersV3 <-> contact (persons), after dual-write's
// "Customers V3 (accounts)" / "Customers V3 (contacts)" maps (Microsoft's dual-write mapping reference)
// and the design brief.
import { COMPANY_LOOKUP, DATAVERSE_INACTIVE, type FieldMapping, type LookupTransform, type TableMap, type ValueMapTransform } from '../types';

const lookup = (entitySet: string, table: string, keyColumn: string, companyScoped: boolean): LookupTransform =>
  ({ kind: 'lookup', entitySet, table, keyColumn, companyScoped });

export const CUSTOMER_GROUP_LOOKUP = lookup('msdyn_customergroups', 'msdyn_customergroup', 'msdyn_groupid', true);
export const CURRENCY_LOOKUP = lookup('transactioncurrencies', 'transactioncurrency', 'isocurrencycode', false);
export const PAYMENT_TERM_LOOKUP = lookup('msdyn_paymentterms', 'msdyn_paymentterm', 'msdyn_name', true);

/**
 * F&O CustVendorBlocked -> msdyn_onholdstatus. Dataverse's option set has no PurchOrder (6). Decision:
 * PurchOrder becomes "No" (806380000) in Dataverse, one way only. A purchase-order hold does not stop
 * selling to or invoicing the customer, which is what sales users read this column for; "All" would
 * tell them the customer is blocked when it is not. The reverse never yields PurchOrder, and because
 * only changed columns are written, a Dataverse edit of another column leaves PurchOrder intact in F&O;
 * only a user who deliberately sets the on-hold status in Dataverse replaces it.
 */
export const ON_HOLD_STATUS: ValueMapTransform = {
  kind: 'valueMap',
  fnoEnum: 'CustVendorBlocked',
  pairs: [
    { fno: 'No', dataverse: 806380000 },
    { fno: 'Invoice', dataverse: 806380001 },
    { fno: 'All', dataverse: 806380002 },
    { fno: 'Payment', dataverse: 806380003 },
    { fno: 'Requisition', dataverse: 806380004 },
    { fno: 'Never', dataverse: 806380005 },
  ],
  fnoOnly: [{ fno: 'PurchOrder', dataverse: 806380000 }],
};

const company: FieldMapping = { fno: 'dataAreaId', dataverse: 'msdyn_company', dir: '=', key: true, required: true, transform: COMPANY_LOOKUP };
const eq = (fno: string, dataverse: string): FieldMapping => ({ fno, dataverse, dir: '=' });

/** Fields both customer maps share (address1 = delivery address, address2 = invoice address). */
const commonCustomerFields: FieldMapping[] = [
  company,
  eq('PrimaryContactEmail', 'emailaddress1'),
  eq('PrimaryContactPhone', 'telephone1'),
  eq('PrimaryContactURL', 'websiteurl'),
  { fno: 'SalesCurrencyCode', dataverse: 'transactioncurrencyid', dir: '=', transform: CURRENCY_LOOKUP },
  { fno: 'CustomerGroupId', dataverse: 'msdyn_customergroupid', dir: '=', transform: CUSTOMER_GROUP_LOOKUP },
  eq('PrimaryContactFax', 'fax'),
];

const addressFields = (prefix: 'address1' | 'address2' | 'address3', fnoPrefix: 'DeliveryAddress' | 'InvoiceAddress' | 'Address'): FieldMapping[] => [
  eq(`${fnoPrefix}Street`, `${prefix}_line1`),
  eq(`${fnoPrefix}City`, `${prefix}_city`),
  eq(`${fnoPrefix}ZipCode`, `${prefix}_postalcode`),
  eq(`${fnoPrefix}CountryRegionISOCode`, `${prefix}_country`),
  eq(`${fnoPrefix}State`, `${prefix}_stateorprovince`),
  eq(`${fnoPrefix}County`, `${prefix}_county`),
  // Latitude and longitude are left out: F&O holds 0 for an address it never geocoded (a non-nullable decimal), which
  // copied to Dataverse would put the customer at 0°, 0° on CE's maps.
];

export const customersAccounts: TableMap = {
  name: 'customers-accounts',
  description: 'F&O customers that are organisations <-> Dataverse accounts',
  direction: 'both',
  fno: { entitySet: 'CustomersV3', keys: ['dataAreaId', 'CustomerAccount'], companyField: 'dataAreaId' },
  dataverse: {
    entitySet: 'accounts', table: 'account', primaryId: 'accountid',
    alternateKey: ['accountnumber', 'msdyn_company'], companyLookup: 'msdyn_company', modifiedField: 'modifiedon',
  },
  fields: [
    { fno: 'CustomerAccount', dataverse: 'accountnumber', dir: '=', key: true, required: true },
    ...commonCustomerFields,
    { fno: 'OrganizationName', dataverse: 'name', dir: '=', required: true },
    // Finance-controlled: credit limit and on-hold flow from F&O only. In Dataverse anyone who may edit the account
    // could change them, without the Finance.Write role and without an audit row; the panel's edit (Finance.Write,
    // WriteAccess, audited) is the one way to change them from CE.
    { fno: 'CreditLimit', dataverse: 'creditlimit', dir: '>' },
    { fno: 'CreditLimitIsMandatory', dataverse: 'msdyn_creditlimitismandatory', dir: '>', transform: { kind: 'noYesBoolean' } },
    { fno: 'PaymentTerms', dataverse: 'msdyn_paymentterm', dir: '=', transform: PAYMENT_TERM_LOOKUP },
    {
      fno: 'InvoiceAccount', dataverse: 'msdyn_billingaccount', dir: '=',
      transform: { ...lookup('accounts', 'account', 'accountnumber', true), selfReference: true },
    },
    { fno: 'OnHoldStatus', dataverse: 'msdyn_onholdstatus', dir: '>', transform: ON_HOLD_STATUS },
    // Finance's assessment of the customer, read by sales like the credit limit, and changed in F&O like it.
    { fno: 'CreditRating', dataverse: 'msdyn_creditrating', dir: '>' },
    // F&O's PaymentTermsBaseDays and OrganizationNumberOfEmployees are non-nullable integers (CustomerV3 metadata): a
    // Dataverse value left empty is written as 0, F&O's own "none", instead of a null F&O refuses.
    { fno: 'PaymentTermsBaseDays', dataverse: 'msdyn_paymenttermsbasedays', dir: '=', default: 0 },
    { fno: 'OrganizationNumberOfEmployees', dataverse: 'numberofemployees', dir: '=', default: 0 },
    { fno: 'IsOneTimeCustomer', dataverse: 'msdyn_onetimecustomer', dir: '=', transform: { kind: 'noYesBoolean' } },
    eq('IdentificationNumber', 'msdyn_identificationnumber'),
    eq('TaxExemptNumber', 'msdyn_taxexemptnumber'),
    eq('PartyCountry', 'msdyn_partycountry'),
    eq('PrimaryContactTwitter', 'primarytwitterid'),
    ...addressFields('address1', 'DeliveryAddress'),
    ...addressFields('address2', 'InvoiceAddress'),
    { fno: 'PartyType', dataverse: null, dir: '<', default: 'Organization', required: true },
    { fno: null, dataverse: 'customertypecode', dir: '>', default: 3 },
  ],
  filters: {
    fno: [{ field: 'PartyType', op: 'eq', value: 'Organization' }],
    dataverse: [{ field: 'customertypecode', op: 'eq', value: 3 }],
  },
  legalEntities: 'all',
  dependsOn: ['legal-entities', 'currencies', 'customer-groups', 'payment-terms'],
  conflictPolicy: { kind: 'latest' },
  // A customer F&O deleted (F&O refuses to delete one with transactions) leaves a Dataverse account with its CE history
  // (activities, opportunities): deactivated, not deleted. A account deleted in CE does not delete the customer:
  // finance records must not vanish from the ERP by a CE click; the customer is kept and unlinked.
  deletes: { fnoDeleted: 'deactivate', dataverseDeleted: 'unlink', deactivate: { dataverse: DATAVERSE_INACTIVE } },
};

export const customersContacts: TableMap = {
  name: 'customers-contacts',
  description: 'F&O customers that are persons <-> Dataverse contacts',
  direction: 'both',
  fno: { entitySet: 'CustomersV3', keys: ['dataAreaId', 'CustomerAccount'], companyField: 'dataAreaId' },
  dataverse: {
    entitySet: 'contacts', table: 'contact', primaryId: 'contactid',
    alternateKey: ['msdyn_contactpersonid', 'msdyn_company'], companyLookup: 'msdyn_company', modifiedField: 'modifiedon',
  },
  fields: [
    { fno: 'CustomerAccount', dataverse: 'msdyn_contactpersonid', dir: '=', key: true, required: true },
    ...commonCustomerFields,
    eq('PersonFirstName', 'firstname'),
    eq('PersonMiddleName', 'middlename'),
    { fno: 'PersonLastName', dataverse: 'lastname', dir: '=', required: true },
    eq('PersonProfessionalTitle', 'jobtitle'),
    // The contact map's payment terms column is plural (dual-write mapping reference).
    { fno: 'PaymentTerms', dataverse: 'msdyn_paymentterms', dir: '=', transform: PAYMENT_TERM_LOOKUP },
    ...addressFields('address1', 'Address'),
    ...addressFields('address2', 'InvoiceAddress'),
    ...addressFields('address3', 'DeliveryAddress'),
    { fno: 'PartyType', dataverse: null, dir: '<', default: 'Person', required: true },
    { fno: null, dataverse: 'msdyn_sellable', dir: '>', default: true },
  ],
  filters: {
    fno: [{ field: 'PartyType', op: 'eq', value: 'Person' }],
    dataverse: [{ field: 'msdyn_sellable', op: 'eq', value: true }, { field: 'msdyn_contactpersonid', op: 'ne', value: null }],
  },
  legalEntities: 'all',
  dependsOn: ['legal-entities', 'currencies', 'customer-groups', 'payment-terms'],
  conflictPolicy: { kind: 'latest' },
  // A customer F&O deleted (F&O refuses to delete one with transactions) leaves a Dataverse contact with its CE history
  // (activities, opportunities): deactivated, not deleted. A contact deleted in CE does not delete the customer:
  // finance records must not vanish from the ERP by a CE click; the customer is kept and unlinked.
  deletes: { fnoDeleted: 'deactivate', dataverseDeleted: 'unlink', deactivate: { dataverse: DATAVERSE_INACTIVE } },
};
