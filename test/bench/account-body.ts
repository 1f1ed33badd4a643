// Pure: the Dataverse account a F&O organisation customer becomes, written straight (no bridge) for the
// ceiling run. Same columns as the bridge's customers-accounts map; lookups bound to the ids the sandbox
// seeded (the bridge finds the same ids through its lookup cache).
import { companyId, dvId, ON_HOLD_STATUS } from '../../sandbox/src/dataverse/seed';

type Row = Record<string, unknown>;
const s = (v: unknown): string => (typeof v === 'string' ? v : '');
const orNull = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);

export function accountBody(c: Row): Row {
  const co = s(c.dataAreaId).toLowerCase();
  const body: Row = {
    accountnumber: c.CustomerAccount, name: c.OrganizationName, customertypecode: 3,
    creditlimit: c.CreditLimit, msdyn_creditlimitismandatory: c.CreditLimitIsMandatory === 'Yes',
    msdyn_onholdstatus: ON_HOLD_STATUS[s(c.OnHoldStatus)] ?? 806380000,
    emailaddress1: orNull(c.PrimaryContactEmail), telephone1: orNull(c.PrimaryContactPhone), websiteurl: orNull(c.PrimaryContactURL),
    address1_line1: c.DeliveryAddressStreet, address1_city: c.DeliveryAddressCity, address1_postalcode: c.DeliveryAddressZipCode, address1_country: c.DeliveryAddressCountryRegionISOCode,
    address2_line1: c.InvoiceAddressStreet, address2_city: c.InvoiceAddressCity, address2_postalcode: c.InvoiceAddressZipCode, address2_country: c.InvoiceAddressCountryRegionISOCode,
    'msdyn_company@odata.bind': `/cdm_companies(${companyId(co)})`,
    // Owned by the company's default owning team, as the bridge creates it (sync/core/ownership.ts): the read phase's
    // sales user reads these accounts through that ownership.
    'ownerid@odata.bind': `/teams(${dvId('team', co)})`,
  };
  if (s(c.SalesCurrencyCode)) body['transactioncurrencyid@odata.bind'] = `/transactioncurrencies(${dvId('transactioncurrency', s(c.SalesCurrencyCode))})`;
  if (s(c.CustomerGroupId)) body['msdyn_customergroupid@odata.bind'] = `/msdyn_customergroups(${dvId('msdyn_customergroup', `${co}|${s(c.CustomerGroupId)}`)})`;
  if (s(c.PaymentTerms)) body['msdyn_paymentterm@odata.bind'] = `/msdyn_paymentterms(${dvId('msdyn_paymentterm', `${co}|${s(c.PaymentTerms)}`)})`;
  return body;
}
