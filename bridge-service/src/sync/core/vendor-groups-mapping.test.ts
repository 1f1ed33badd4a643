// The vendor-groups map and the vendors map's group lookup, mapped without a network: the group's terms of payment
// and the vendor's group are looked up in the row's own company, both ways.
import { describe, expect, it } from '@jest/globals';
import { mapRow } from './mapping';
import { fakeLookups } from '../../../test/support/fake-lookups';
import { vendorGroups, vendors } from './maps/shipped/index';

const USMF = '11111111-0000-4000-8000-000000000001';
const NLMF = '11111111-0000-4000-8000-000000000002';
const NET30_US = '44444444-0000-4000-8000-000000000030';
const NET30_NL = '44444444-0000-4000-8000-000000000130';
const COD_US = '44444444-0000-4000-8000-000000000000';
const GROUP_10_US = '66666666-0000-4000-8000-000000000010';
const GROUP_10_NL = '66666666-0000-4000-8000-000000000110';

/** The related rows the maps look up, through a fake resolver that records what it was asked. */
const context = () => fakeLookups([
  { entitySet: 'cdm_companies', id: USMF, key: 'usmf' },
  { entitySet: 'cdm_companies', id: NLMF, key: 'nlmf' },
  { entitySet: 'msdyn_paymentterms', id: NET30_US, key: 'Net30', company: 'usmf' },
  { entitySet: 'msdyn_paymentterms', id: NET30_NL, key: 'Net30', company: 'nlmf' },
  { entitySet: 'msdyn_paymentterms', id: COD_US, key: 'COD', company: 'usmf' },
  { entitySet: 'msdyn_vendorgroups', id: GROUP_10_US, key: '10', company: 'usmf' },
  { entitySet: 'msdyn_vendorgroups', id: GROUP_10_NL, key: '10', company: 'nlmf' },
]);

describe('vendor-groups', () => {
  it('F&O -> Dataverse: the group code is the key; both terms of payment resolve in the group\'s company', async () => {
    const r = await mapRow(vendorGroups, 'fno_to_dataverse', {
      dataAreaId: 'nlmf', VendorGroupId: '10', Description: 'Handelsleveranciers', DefaultPaymentTermName: 'Net30', ClearingPeriodPaymentTermName: 'Net30',
    }, context());
    expect(r.problems).toEqual([]);
    expect(r.key).toEqual({ msdyn_vendorgroup: '10', msdyn_company: NLMF });
    expect(r.payload).toMatchObject({
      msdyn_vendorgroup: '10', msdyn_description: 'Handelsleveranciers', 'msdyn_company@odata.bind': `/cdm_companies(${NLMF})`,
      'msdyn_paymentterms@odata.bind': `/msdyn_paymentterms(${NET30_NL})`,
      'msdyn_clearingperiodpaymentpermname@odata.bind': `/msdyn_paymentterms(${NET30_NL})`,
    });
  });

  it('an empty clearing period clears the lookup; an unknown term is a lookup problem naming the company', async () => {
    const r = await mapRow(vendorGroups, 'fno_to_dataverse', {
      dataAreaId: 'usmf', VendorGroupId: '20', Description: 'x', DefaultPaymentTermName: 'Net99', ClearingPeriodPaymentTermName: '',
    }, context());
    expect(r.payload['msdyn_clearingperiodpaymentpermname@odata.bind']).toBeNull();
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'lookup', field: 'msdyn_paymentterms' })]);
    expect(r.problems[0].message).toMatch(/no msdyn_paymentterm row has msdyn_name 'Net99' in company usmf/);
  });

  it('Dataverse -> F&O: the lookups become F&O names, keyed by company and group', async () => {
    const r = await mapRow(vendorGroups, 'dataverse_to_fno', {
      msdyn_vendorgroupid: 'abc', msdyn_vendorgroup: '50', msdyn_description: 'Made in CE', _msdyn_company_value: USMF,
      _msdyn_paymentterms_value: COD_US, _msdyn_clearingperiodpaymentpermname_value: null,
    }, context());
    expect(r.problems).toEqual([]);
    expect(r.key).toEqual({ dataAreaId: 'usmf', VendorGroupId: '50' });
    expect(r.payload).toMatchObject({ dataAreaId: 'usmf', VendorGroupId: '50', Description: 'Made in CE', DefaultPaymentTermName: 'COD', ClearingPeriodPaymentTermName: null });
  });
});

describe('vendors: the vendor group', () => {
  it('F&O -> Dataverse: the group is looked up in the vendor\'s company', async () => {
    const ctx = context();
    const r = await mapRow(vendors, 'fno_to_dataverse', { dataAreaId: 'nlmf', VendorAccountNumber: 'V-1', VendorOrganizationName: 'A', VendorGroupId: '10' }, ctx);
    expect(r.payload['msdyn_vendorgroupid@odata.bind']).toBe(`/msdyn_vendorgroups(${GROUP_10_NL})`);
    expect(ctx.asked.find((a) => a.want === 'id' && a.lookup.entitySet === 'msdyn_vendorgroups')).toMatchObject({ value: '10', company: 'nlmf' });
  });

  it('Dataverse -> F&O: the group becomes its code; a vendor without one has none (F&O then refuses the create)', async () => {
    const withGroup = await mapRow(vendors, 'dataverse_to_fno', {
      msdyn_vendoraccountnumber: 'V-CE', msdyn_name: 'From CE', _msdyn_company_value: USMF, _msdyn_vendorgroupid_value: GROUP_10_US,
    }, context());
    expect(withGroup.payload).toMatchObject({ dataAreaId: 'usmf', VendorAccountNumber: 'V-CE', VendorGroupId: '10' });
    const without = await mapRow(vendors, 'dataverse_to_fno', {
      msdyn_vendoraccountnumber: 'V-CE2', msdyn_name: 'From CE', _msdyn_company_value: USMF, _msdyn_vendorgroupid_value: null,
    }, context());
    expect(without.problems).toEqual([]);
    expect(without.payload.VendorGroupId ?? null).toBeNull();
  });
});
