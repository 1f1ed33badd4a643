import { describe, expect, it } from '@jest/globals';
import { mapRow } from './mapping';
import { fakeLookups } from '../../../test/support/fake-lookups';
import { customerGroups, customersAccounts, customersContacts, releasedProducts } from './maps/shipped/index';
import { diffSnapshots, normaliseValue, projectSnapshot } from './snapshot';
import { fieldId, inLegalEntityScope } from './maps/types';
import { matchesFilter, toODataFilter } from './maps/filters';

const COMPANY_USMF = '11111111-0000-4000-8000-000000000001';
const GROUP_10 = '22222222-0000-4000-8000-000000000010';
const USD = '33333333-0000-4000-8000-000000000001';
const NET30 = '44444444-0000-4000-8000-000000000030';
const ACCOUNT_US002 = '55555555-0000-4000-8000-000000000002';

/** The related rows the maps look up, through a fake resolver that records what it was asked. */
const context = () => fakeLookups([
  { entitySet: 'cdm_companies', id: COMPANY_USMF, key: 'usmf' },
  { entitySet: 'msdyn_customergroups', id: GROUP_10, key: '10', company: 'usmf' },
  { entitySet: 'transactioncurrencies', id: USD, key: 'USD' },
  { entitySet: 'msdyn_paymentterms', id: NET30, key: 'Net30', company: 'usmf' },
  { entitySet: 'accounts', id: ACCOUNT_US002, key: 'US-002', company: 'usmf' },
]);

const fnoCustomer = {
  '@odata.etag': 'W/"x"',
  dataAreaId: 'usmf', CustomerAccount: 'US-001', OrganizationName: 'Contoso Retail San Diego', PartyType: 'Organization',
  CreditLimit: 50000, CreditLimitIsMandatory: 'Yes', CustomerGroupId: '10', SalesCurrencyCode: 'USD', PaymentTerms: 'Net30',
  InvoiceAccount: 'US-002', OnHoldStatus: 'No', PrimaryContactEmail: 'sd@contoso.com', PrimaryContactPhone: '+1 555 0100',
  PrimaryContactURL: '', DeliveryAddressStreet: '123 Main St', DeliveryAddressCity: 'San Diego', DeliveryAddressZipCode: '92101',
  DeliveryAddressCountryRegionISOCode: 'US', InvoiceAddressStreet: '1 Bill Rd', InvoiceAddressCity: 'San Diego',
  InvoiceAddressZipCode: '92102', InvoiceAddressCountryRegionISOCode: 'US',
};

describe('mapRow F&O -> Dataverse (customers-accounts)', () => {
  it('maps plain fields, transforms, lookups as @odata.bind, defaults and the alternate key', async () => {
    const r = await mapRow(customersAccounts, 'fno_to_dataverse', fnoCustomer, context());
    expect(r.problems).toEqual([]);
    expect(r.deferred).toEqual([]);
    expect(r.payload).toMatchObject({
      accountnumber: 'US-001', name: 'Contoso Retail San Diego', creditlimit: 50000, msdyn_creditlimitismandatory: true,
      msdyn_onholdstatus: 806380000, emailaddress1: 'sd@contoso.com', address1_line1: '123 Main St', address2_city: 'San Diego',
      customertypecode: 3,
      'msdyn_company@odata.bind': `/cdm_companies(${COMPANY_USMF})`,
      'msdyn_customergroupid@odata.bind': `/msdyn_customergroups(${GROUP_10})`,
      'transactioncurrencyid@odata.bind': `/transactioncurrencies(${USD})`,
      'msdyn_paymentterm@odata.bind': `/msdyn_paymentterms(${NET30})`,
      'msdyn_billingaccount@odata.bind': `/accounts(${ACCOUNT_US002})`,
    });
    expect(r.payload).not.toHaveProperty('PartyType');
    expect(r.payload).not.toHaveProperty('@odata.etag');
    expect(r.key).toEqual({ accountnumber: 'US-001', msdyn_company: COMPANY_USMF });
  });

  it('resolves company-scoped lookups within the row company', async () => {
    const ctx = context();
    await mapRow(customersAccounts, 'fno_to_dataverse', fnoCustomer, ctx);
    const group = ctx.asked.find((a) => a.want === 'id' && a.lookup.entitySet === 'msdyn_customergroups');
    expect(group).toMatchObject({ value: '10', company: 'usmf' });
    const currency = ctx.asked.find((a) => a.want === 'id' && a.lookup.entitySet === 'transactioncurrencies');
    expect(currency).toMatchObject({ value: 'USD', company: undefined });
  });

  it('OnHoldStatus PurchOrder (no Dataverse counterpart) becomes No; on-hold never flows back to F&O (finance-controlled)', async () => {
    const r = await mapRow(customersAccounts, 'fno_to_dataverse', { ...fnoCustomer, OnHoldStatus: 'PurchOrder' }, context());
    expect(r.payload.msdyn_onholdstatus).toBe(806380000);
    const back = await mapRow(customersAccounts, 'dataverse_to_fno', { accountnumber: 'US-001', _msdyn_company_value: COMPANY_USMF, msdyn_onholdstatus: 806380000 }, context());
    expect(back.payload).not.toHaveProperty('OnHoldStatus');
  });

  it('an unknown enum value is a per-field problem, not an exception', async () => {
    const r = await mapRow(customersAccounts, 'fno_to_dataverse', { ...fnoCustomer, OnHoldStatus: 'Frozen' }, context());
    expect(r.problems).toEqual([expect.objectContaining({ field: 'msdyn_onholdstatus', kind: 'value' })]);
    expect(r.problems[0].message).toMatch(/"Frozen" has no Dataverse value/);
    expect(r.payload).not.toHaveProperty('msdyn_onholdstatus');
  });

  it('defers a self reference whose account does not exist yet (second pass)', async () => {
    const r = await mapRow(customersAccounts, 'fno_to_dataverse', { ...fnoCustomer, InvoiceAccount: 'US-999' }, context());
    expect(r.deferred).toEqual([fieldId(customersAccounts.fields.find((f) => f.fno === 'InvoiceAccount')!)]);
    expect(r.problems).toEqual([]);
    expect(r.payload).not.toHaveProperty('msdyn_billingaccount@odata.bind');
  });

  it('reports a missing related row (dependency not synced yet) as a lookup problem', async () => {
    const r = await mapRow(customersAccounts, 'fno_to_dataverse', { ...fnoCustomer, CustomerGroupId: '99' }, context());
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'lookup', field: 'msdyn_customergroupid' })]);
    expect(r.problems[0].message).toMatch(/no msdyn_customergroup row has msdyn_groupid '99' in company usmf/);
  });

  it('clears a lookup when the source value is empty', async () => {
    const r = await mapRow(customersAccounts, 'fno_to_dataverse', { ...fnoCustomer, InvoiceAccount: null }, context());
    expect(r.payload['msdyn_billingaccount@odata.bind']).toBeNull();
  });

  it('maps only the requested fields, always with the key', async () => {
    const phone = fieldId(customersAccounts.fields.find((f) => f.fno === 'PrimaryContactPhone')!);
    const r = await mapRow(customersAccounts, 'fno_to_dataverse', fnoCustomer, context(), { only: [phone] });
    expect(Object.keys(r.payload).sort()).toEqual(['accountnumber', 'msdyn_company@odata.bind', 'telephone1']);
  });

  it('leaves out fields absent from a partial source row', async () => {
    const r = await mapRow(customersAccounts, 'fno_to_dataverse', { dataAreaId: 'usmf', CustomerAccount: 'US-001', CreditLimit: 10 }, context());
    // The two non-nullable F&O integers carry their default (0) like customertypecode carries its own; nothing else.
    expect(r.payload).toEqual({
      accountnumber: 'US-001', 'msdyn_company@odata.bind': `/cdm_companies(${COMPANY_USMF})`, creditlimit: 10, customertypecode: 3,
      msdyn_paymenttermsbasedays: 0, numberofemployees: 0,
    });
  });
});

describe('mapRow Dataverse -> F&O', () => {
  const dvAccount = {
    accountid: 'aaaaaaaa-0000-4000-8000-000000000001', accountnumber: 'US-001', name: 'Contoso Retail', creditlimit: 75000,
    msdyn_creditlimitismandatory: false, msdyn_onholdstatus: 806380001, _msdyn_company_value: COMPANY_USMF,
    _msdyn_customergroupid_value: GROUP_10, _transactioncurrencyid_value: USD, _msdyn_paymentterm_value: NET30,
    _msdyn_billingaccount_value: null, customertypecode: 3, telephone1: '+1 555 0199',
  };

  it('maps columns back to F&O fields, with the F&O key and the PartyType default; never the finance-controlled ones', async () => {
    const r = await mapRow(customersAccounts, 'dataverse_to_fno', dvAccount, context());
    expect(r.problems).toEqual([]);
    expect(r.key).toEqual({ dataAreaId: 'usmf', CustomerAccount: 'US-001' });
    for (const f of ['CreditLimit', 'CreditLimitIsMandatory', 'OnHoldStatus']) expect(r.payload).not.toHaveProperty(f);
    expect(r.payload).toMatchObject({
      dataAreaId: 'usmf', CustomerAccount: 'US-001', OrganizationName: 'Contoso Retail', CustomerGroupId: '10', SalesCurrencyCode: 'USD',
      PaymentTerms: 'Net30', InvoiceAccount: null, PrimaryContactPhone: '+1 555 0199', PartyType: 'Organization',
    });
    expect(r.payload).not.toHaveProperty('customertypecode');
  });

  it('reads a webhook Target lookup given as an EntityReference', async () => {
    const r = await mapRow(customersAccounts, 'dataverse_to_fno', {
      accountnumber: 'US-001', msdyn_company: { Id: COMPANY_USMF, LogicalName: 'cdm_company', Name: null },
    }, context());
    expect(r.key).toEqual({ dataAreaId: 'usmf', CustomerAccount: 'US-001' });
  });

  it('refuses a one-way map in the wrong direction', async () => {
    const r = await mapRow(releasedProducts, 'dataverse_to_fno', { productnumber: 'X' }, context());
    expect(r.problems[0].message).toMatch(/does not sync dataverse to fno/);
  });

  it('contacts: persons map with their own key column and default', async () => {
    const r = await mapRow(customersContacts, 'dataverse_to_fno', {
      msdyn_contactpersonid: 'US-100', _msdyn_company_value: COMPANY_USMF, firstname: 'Ana', lastname: 'Bell',
    }, context());
    expect(r.payload).toMatchObject({ CustomerAccount: 'US-100', PersonFirstName: 'Ana', PersonLastName: 'Bell', PartyType: 'Person' });
  });
});

describe('snapshots', () => {
  it('an echo of our own write compares equal (numbers, dates, empty strings, guid case)', () => {
    const written = projectSnapshot(customersAccounts, 'dataverse', {
      creditlimit: 1000.3, name: 'A', websiteurl: '', _msdyn_company_value: COMPANY_USMF.toUpperCase(),
    });
    const readBack = projectSnapshot(customersAccounts, 'dataverse', {
      creditlimit: 1000.1 + 0.2, name: 'A', websiteurl: null, _msdyn_company_value: COMPANY_USMF,
    });
    expect(diffSnapshots(written, readBack)).toEqual([]);
  });

  it('detects a real change, and only where the row says something', () => {
    const base = projectSnapshot(customersAccounts, 'fno', fnoCustomer);
    const next = projectSnapshot(customersAccounts, 'fno', { CustomerAccount: 'US-001', CreditLimit: 60000 });
    expect(diffSnapshots(base, next)).toEqual(['CreditLimit:creditlimit']);
    expect(diffSnapshots(null, next).sort()).toEqual(['CreditLimit:creditlimit', 'CustomerAccount:accountnumber']);
  });

  it('a row never differs from itself, whatever its values (property)', async () => {
    const fc = (await import('fast-check')).default;
    const columns = customersAccounts.fields.map((f) => f.fno).filter((c): c is string => c !== null);
    fc.assert(fc.property(fc.dictionary(fc.constantFrom(...columns), fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null))), (row) => {
      const s = projectSnapshot(customersAccounts, 'fno', row);
      return diffSnapshots(s, projectSnapshot(customersAccounts, 'fno', { ...row })).length === 0;
    }), { numRuns: 300 });
  });

  it('normalises dates to UTC ISO and F&O empty dates to null', () => {
    expect(normaliseValue('2024-05-01T12:00:00+02:00')).toBe('2024-05-01T10:00:00.000Z');
    expect(normaliseValue('2024-05-01T10:00:00Z')).toBe('2024-05-01T10:00:00.000Z');
    expect(normaliseValue('1900-01-01T00:00:00Z')).toBeNull();
    expect(normaliseValue('usmf')).toBe('usmf');
    expect(normaliseValue(0.1 + 0.2)).toBe(0.3);
  });

  it('reads lookups from a webhook Target (EntityReference by column name)', () => {
    const s = projectSnapshot(customersAccounts, 'dataverse', { msdyn_customergroupid: { Id: GROUP_10.toUpperCase(), LogicalName: 'msdyn_customergroup' } });
    expect(s).toEqual({ 'CustomerGroupId:msdyn_customergroupid': GROUP_10 });
  });
});

describe('filters and legal-entity scope', () => {
  it('renders OData with escaped literals and evaluates rows the same way', () => {
    expect(toODataFilter(customersAccounts.filters?.fno)).toBe("PartyType eq 'Organization'");
    expect(toODataFilter([{ field: 'Name', op: 'eq', value: "O'Brien" }, { field: 'X', op: 'ne', value: null }])).toBe("Name eq 'O''Brien' and X ne null");
    expect(matchesFilter(customersAccounts.filters?.fno, { PartyType: 'Organization' })).toBe(true);
    expect(matchesFilter(customersAccounts.filters?.fno, { PartyType: 'Person' })).toBe(false);
    expect(matchesFilter(customersContacts.filters?.dataverse, { msdyn_sellable: true, msdyn_contactpersonid: null })).toBe(false);
    expect(matchesFilter(customersContacts.filters?.dataverse, { msdyn_sellable: true, msdyn_contactpersonid: 'C1' })).toBe(true);
  });

  it('limits a map to chosen legal entities', () => {
    expect(inLegalEntityScope(releasedProducts, 'USMF')).toBe(true);
    expect(inLegalEntityScope(releasedProducts, 'nlmf')).toBe(false);
    expect(inLegalEntityScope(customersAccounts, 'semf')).toBe(true);
  });
});

describe('payloadAsRow', () => {
  it('turns a written Dataverse payload into the snapshot a read-back would give', async () => {
    const { payloadAsRow } = await import('./snapshot');
    const written = await mapRow(customersAccounts, 'fno_to_dataverse', fnoCustomer, context());
    const fromPayload = projectSnapshot(customersAccounts, 'dataverse', payloadAsRow(customersAccounts, written.payload));
    const readBack = projectSnapshot(customersAccounts, 'dataverse', {
      accountnumber: 'US-001', _msdyn_company_value: COMPANY_USMF, _msdyn_customergroupid_value: GROUP_10, creditlimit: 50000,
    });
    expect(fromPayload['CustomerGroupId:msdyn_customergroupid']).toBe(GROUP_10);
    expect(diffSnapshots(fromPayload, readBack)).toEqual([]);
  });
});

describe('empty lookup codes', () => {
  it('an empty F&O code clears the lookup instead of looking up \'\' (F&O strings are never null)', async () => {
    const ctx = context();
    const r = await mapRow(customerGroups, 'fno_to_dataverse', { dataAreaId: 'usmf', CustomerGroupId: '20', Description: 'No terms', PaymentTermId: '' }, ctx);
    expect(r.problems).toEqual([]);
    expect(r.payload['msdyn_paymenttermid@odata.bind']).toBeNull();
    expect(ctx.asked.some((q) => q.want === 'id' && q.lookup.entitySet === 'msdyn_paymentterms')).toBe(false);
  });
});
