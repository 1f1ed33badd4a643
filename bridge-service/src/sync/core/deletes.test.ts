import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { describeDelete, deleteActionOf, mayCreateCounterpart, otherSide, planDelete } from './deletes';
import { SHIPPED_MAPS, customersAccounts, customerGroups, currencies, vendors } from './maps/shipped/index';
import { loadReferenceMetadata } from './maps/load-reference';
import { validateMaps } from './maps/validate';
import type { TableMap } from './maps/types';

const REFERENCE = fileURLToPath(new URL('../../../../test/fixtures/real/reference', import.meta.url));
const metadata = loadReferenceMetadata(REFERENCE);
const withDeletes = (deletes: TableMap['deletes'], base: TableMap = customersAccounts): TableMap => ({ ...base, deletes });
const byName = (name: string) => SHIPPED_MAPS.find((m) => m.name === name)!;

describe('planDelete: what happens to the counterpart of a deleted record', () => {
  it('customers -> accounts: an F&O delete deactivates the account; a CE delete keeps the F&O customer and unlinks it', () => {
    expect(planDelete(customersAccounts, 'fno')).toEqual({ action: 'deactivate', target: 'dataverse', values: { statecode: 1, statuscode: 2 } });
    expect(planDelete(customersAccounts, 'dataverse')).toEqual({ action: 'unlink', target: 'fno' });
    expect(planDelete(byName('customers-contacts'), 'fno')).toMatchObject({ action: 'deactivate', target: 'dataverse' });
    expect(planDelete(byName('customers-contacts'), 'dataverse')).toEqual({ action: 'unlink', target: 'fno' });
  });

  it('reference data: deleted on both sides', () => {
    expect(planDelete(customerGroups, 'fno')).toEqual({ action: 'delete', target: 'dataverse' });
    expect(planDelete(customerGroups, 'dataverse')).toEqual({ action: 'delete', target: 'fno' });
    expect(planDelete(byName('payment-terms'), 'dataverse')).toEqual({ action: 'delete', target: 'fno' });
    expect(planDelete(byName('vendor-groups'), 'fno')).toEqual({ action: 'delete', target: 'dataverse' });
    expect(planDelete(byName('vendor-groups'), 'dataverse')).toEqual({ action: 'delete', target: 'fno' });
    expect(planDelete(currencies, 'fno')).toMatchObject({ action: 'deactivate', target: 'dataverse' });
    expect(planDelete(vendors, 'fno')).toEqual({ action: 'delete', target: 'dataverse' });
    expect(planDelete(vendors, 'dataverse')).toEqual({ action: 'unlink', target: 'fno' });
  });

  it('a one-way map does not propagate a delete on its target side', () => {
    const plan = planDelete(currencies, 'dataverse');
    expect(plan.action).toBe('none');
    expect(plan).toMatchObject({ target: 'fno', reason: expect.stringContaining('does not flow from Dataverse') });
  });

  it('every shipped map names a policy for each direction it flows', () => {
    for (const map of SHIPPED_MAPS) {
      if (map.direction !== 'dataverse_to_fno') expect(map.deletes?.fnoDeleted).toBeDefined();
      if (map.direction !== 'fno_to_dataverse') expect(map.deletes?.dataverseDeleted).toBeDefined();
    }
  });

  it('a map without a policy keeps and unlinks', () => {
    expect(deleteActionOf(withDeletes(undefined), 'fno')).toBe('unlink');
    expect(planDelete(withDeletes(undefined), 'dataverse')).toEqual({ action: 'unlink', target: 'fno' });
  });

  it("deactivates F&O with the map's own values (F&O has no generic deactivate)", () => {
    const m = withDeletes({ dataverseDeleted: 'deactivate', deactivate: { fno: { OnHoldStatus: 'All' } } });
    expect(planDelete(m, 'dataverse')).toEqual({ action: 'deactivate', target: 'fno', values: { OnHoldStatus: 'All' } });
  });

  it('falls back to unlinking when deactivate has no values (validation refuses such a map)', () => {
    expect(planDelete(withDeletes({ dataverseDeleted: 'deactivate' }), 'dataverse')).toEqual({ action: 'unlink', target: 'fno' });
  });

  it('otherSide and mayCreateCounterpart', () => {
    expect(otherSide('fno')).toBe('dataverse');
    expect(otherSide('dataverse')).toBe('fno');
    expect(mayCreateCounterpart(null)).toBe(true);
    expect(mayCreateCounterpart({ action: 'unlink' })).toBe(false);
    expect(mayCreateCounterpart({ action: 'deactivate' })).toBe(false);
    expect(mayCreateCounterpart({ action: 'delete' })).toBe(true);
  });

  it('says in words what was done', () => {
    expect(describeDelete(customersAccounts, 'fno', 'deactivate')).toBe(
      'The CustomersV3 record was deleted; the bridge deactivated the linked account row and unlinked it (map customers-accounts, policy deactivate).');
    expect(describeDelete(customersAccounts, 'dataverse', 'unlink')).toContain('kept and unlinked');
    expect(describeDelete(customersAccounts, 'dataverse', 'both_deleted')).toContain('no longer exists either');
  });
});

describe('validation of the delete policy', () => {
  const problems = (m: TableMap) => validateMaps([...SHIPPED_MAPS.filter((x) => x.name !== m.name), m], metadata).filter((p) => p.map === m.name);

  it('the shipped policies are valid, their deactivate columns exist in the reference metadata', () => {
    expect(validateMaps(SHIPPED_MAPS, metadata)).toEqual([]);
  });

  it('refuses deactivate without values, naming what to add', () => {
    expect(problems(withDeletes({ fnoDeleted: 'deactivate' }))).toEqual([expect.objectContaining({ field: 'deletes', message: expect.stringContaining('deletes.deactivate.dataverse') })]);
    expect(problems(withDeletes({ dataverseDeleted: 'deactivate' }))).toEqual([expect.objectContaining({ message: expect.stringContaining('F&O has no generic deactivate') })]);
  });

  it('refuses a policy for a direction the map never syncs', () => {
    expect(problems(withDeletes({ dataverseDeleted: 'delete' }, currencies))).toEqual([expect.objectContaining({ message: expect.stringContaining('never syncs from Dataverse') })]);
  });

  it('refuses an unknown action', () => {
    expect(problems(withDeletes({ fnoDeleted: 'archive' as never }))).toEqual([expect.objectContaining({ message: expect.stringContaining("not 'archive'") })]);
  });

  it('checks the deactivate columns against the reference metadata', () => {
    const m = withDeletes({ fnoDeleted: 'deactivate', dataverseDeleted: 'deactivate', deactivate: { dataverse: { statecodee: 1 }, fno: { Blocked: 'All' } } });
    const texts = problems(m).map((p) => `${p.field}: ${p.message}`);
    expect(texts).toEqual(expect.arrayContaining([
      expect.stringContaining('statecodee: table account has no column statecodee'),
      expect.stringContaining('Blocked: CustomersV3 has no field Blocked'),
    ]));
  });
});
