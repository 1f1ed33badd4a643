// The fields the customer and vendor maps gained to come closer to Microsoft's Customers V3 and Vendors V2 maps
// (customers: state and county of every address, fax, Twitter, credit rating, identification and tax-exempt numbers,
// party country, payment terms base days, number of employees, one-time customer; vendors: known-as name, DUNS and
// organisation numbers, address details, fax, flags, employees) travel through the real engine: F&O to Dataverse for
// each, Dataverse to F&O for the two-way ones, and the finance-controlled credit rating of a customer never from
// Dataverse.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Sandbox } from '@finops-bridge/sandbox';
import { eventually, json, sandboxApi, startBridge, startWorld, type Bridge } from './support/harness';

let sandbox: Sandbox;
let bridge: Bridge;
let api: ReturnType<typeof sandboxApi>;
const KEY = (account: string) => `dataAreaId='nlmf',CustomerAccount='${account}'`;
let organisation = '';
let person = '';

const idle = () => bridge.sync.engine().worker.idle(10_000);
const idOf = async (entitySet: string, column: string, value: string, idColumn: string) =>
  String((await api.dvGet(entitySet, `$filter=${column} eq '${value}'&$select=${idColumn}`))[0][idColumn]);

beforeAll(async () => {
  sandbox = await startWorld();
  bridge = await startBridge(sandbox, { settings: { maps: ['customers-accounts', 'customers-contacts', 'vendor-groups', 'vendors'], concurrency: 1 } });
  api = sandboxApi(sandbox);
  const accounts = (await api.dvGet('accounts', '$select=accountnumber')).map((r) => String(r.accountnumber)).filter((n) => n.startsWith('NL-')).sort();
  const contacts = (await api.dvGet('contacts', '$select=msdyn_contactpersonid')).map((r) => String(r.msdyn_contactpersonid)).filter((n) => n.startsWith('NL-')).sort();
  [organisation, person] = [accounts[0], contacts[0]];
  expect(organisation && person).toBeTruthy();
  // Registration runs when the bridge starts listening; the F&O subscription is its last step.
  await eventually(async () => (await json<{ value: unknown[] }>(await fetch(`${sandbox.urls.fno}/_sandbox/events/subscriptions`))).value.length > 0);
}, 60_000);

afterAll(async () => {
  await bridge?.close();
  await sandbox?.close();
});

describe('the customer and vendor maps\' added fields', () => {
  it('an F&O edit of each reaches the account', async () => {
    const id = await idOf('accounts', 'accountnumber', organisation, 'accountid');
    await api.fnoChange('CustomersV3', {
      dataAreaId: 'nlmf', CustomerAccount: organisation, DeliveryAddressState: 'NB', DeliveryAddressCounty: "'s-Hertogenbosch",
      InvoiceAddressState: 'ZH', InvoiceAddressCounty: 'Rotterdam', PrimaryContactFax: '+31 73 555 0100', PrimaryContactTwitter: '@hoekje',
      CreditRating: 'AA', IdentificationNumber: 'KVK 12345678', TaxExemptNumber: 'NL001234567B01', PartyCountry: 'NL',
      PaymentTermsBaseDays: 15, OrganizationNumberOfEmployees: 42, IsOneTimeCustomer: 'Yes',
    });
    const row = await eventually(async () => {
      const r = await api.dvRow('accounts', id);
      return r.msdyn_creditrating === 'AA' ? r : null;
    });
    expect(row).toMatchObject({
      address1_stateorprovince: 'NB', address1_county: "'s-Hertogenbosch", address2_stateorprovince: 'ZH', address2_county: 'Rotterdam',
      fax: '+31 73 555 0100', primarytwitterid: '@hoekje', msdyn_creditrating: 'AA', msdyn_identificationnumber: 'KVK 12345678',
      msdyn_taxexemptnumber: 'NL001234567B01', msdyn_partycountry: 'NL', msdyn_paymenttermsbasedays: 15, numberofemployees: 42,
      msdyn_onetimecustomer: true,
    });
  });

  it('a CE edit of the two-way ones reaches the F&O customer; a credit rating edited in CE does not', async () => {
    const id = await idOf('accounts', 'accountnumber', organisation, 'accountid');
    await idle();
    await api.dvPatch('accounts', id, {
      address1_stateorprovince: 'UT', numberofemployees: 55, msdyn_onetimecustomer: false, msdyn_taxexemptnumber: 'NL009999999B01', msdyn_creditrating: 'D',
    });
    const row = await eventually(async () => {
      const r = await api.fnoGet('CustomersV3', KEY(organisation));
      return r.OrganizationNumberOfEmployees === 55 ? r : null;
    });
    expect(row).toMatchObject({ DeliveryAddressState: 'UT', IsOneTimeCustomer: 'No', TaxExemptNumber: 'NL009999999B01', CreditRating: 'AA' });
  });

  it('a contact carries the state and county of its three addresses and its fax, both ways', async () => {
    const id = await idOf('contacts', 'msdyn_contactpersonid', person, 'contactid');
    await api.fnoChange('CustomersV3', {
      dataAreaId: 'nlmf', CustomerAccount: person, AddressState: 'GE', AddressCounty: 'Arnhem', InvoiceAddressState: 'OV',
      DeliveryAddressCounty: 'Zwolle', PrimaryContactFax: '+31 26 555 0101',
    });
    const row = await eventually(async () => {
      const r = await api.dvRow('contacts', id);
      return r.fax === '+31 26 555 0101' ? r : null;
    });
    expect(row).toMatchObject({ address1_stateorprovince: 'GE', address1_county: 'Arnhem', address2_stateorprovince: 'OV', address3_county: 'Zwolle' });
    await idle();
    await api.dvPatch('contacts', id, { address3_stateorprovince: 'FL' });
    await eventually(async () => (await api.fnoGet('CustomersV3', KEY(person))).DeliveryAddressState === 'FL');
  });

  it('a vendor carries its identity and address details both ways', async () => {
    const [vendor] = (await api.dvGet('msdyn_vendors', "$select=msdyn_vendoraccountnumber,msdyn_vendorid&$filter=startswith(msdyn_vendoraccountnumber,'V-NL')"));
    expect(vendor).toBeDefined();
    const account = String(vendor.msdyn_vendoraccountnumber);
    const id = String(vendor.msdyn_vendorid);
    await api.fnoChange('VendorsV2', {
      dataAreaId: 'nlmf', VendorAccountNumber: account, VendorKnownAsName: 'Hoekje Supplies', DUNSNumber: '123456789', OrganizationNumber: 'KVK 87654321',
      OurAccountNumber: 'C-4711', AddressStreetNumber: '12a', AddressStateId: 'NB', AddressPostBox: 'Postbus 12', PrimaryFaxNumber: '+31 73 555 0199',
      IsOneTimeVendor: 'Yes', OrganizationEmployeeAmount: 12,
    });
    const row = await eventually(async () => {
      const r = await api.dvRow('msdyn_vendors', id);
      return r.msdyn_dunsnumber === '123456789' ? r : null;
    });
    expect(row).toMatchObject({
      msdyn_vendorknownasname: 'Hoekje Supplies', msdyn_organizationnumber: 'KVK 87654321', msdyn_ourvendoraccountnumber: 'C-4711',
      msdyn_addressstreetnumber: '12a', msdyn_addressstateid: 'NB', msdyn_addresspostbox: 'Postbus 12', msdyn_primaryfaxnumber: '+31 73 555 0199',
      msdyn_isonetimevendor: true, msdyn_numberofemployees: 12,
    });
    await idle();
    await api.dvPatch('msdyn_vendors', id, { msdyn_dunsnumber: '987654321', msdyn_isforeignentity: true, msdyn_numberofemployees: null });
    const after = await eventually(async () => {
      const r = await api.fnoGet('VendorsV2', `dataAreaId='nlmf',VendorAccountNumber='${account}'`);
      return r.DUNSNumber === '987654321' ? r : null;
    });
    // An employee count cleared in CE is F&O's 0 (a non-nullable integer there), not a refused null.
    expect(after).toMatchObject({ IsForeignEntity: 'Yes', OrganizationEmployeeAmount: 0 });
  });
});
