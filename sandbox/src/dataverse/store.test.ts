import { describe, expect, it } from '@jest/globals';
import { DataverseStore, type Row } from './store';

const KEY = ['accountnumber', '_msdyn_company_value'];
const CO = 'c0000000-0000-0000-0000-000000000001';
const ids = (rows: Row[]) => rows.map((r) => r.accountid);
const byKey = (s: DataverseStore, num: string, co = CO) => ids(s.lookup('account', KEY, [num, co]));
/** The scan the index replaces, over what the store holds now. */
const scanned = (s: DataverseStore, num: string, co = CO) =>
  ids(s.all('account').filter((r) => String(r.accountnumber).toLowerCase() === num.toLowerCase() && String(r._msdyn_company_value).toLowerCase() === co.toLowerCase()));

function seeded(): DataverseStore {
  const s = new DataverseStore();
  s.seed('account', [
    { accountid: 'a1', accountnumber: 'US-001', _msdyn_company_value: CO },
    { accountid: 'a2', accountnumber: 'US-002', _msdyn_company_value: CO },
  ], 'accountid');
  return s;
}

describe('DataverseStore alternate-key index', () => {
  it('finds seeded rows and rows put later, case-insensitively', () => {
    const s = seeded();
    expect(byKey(s, 'us-001')).toEqual(['a1']);
    s.put('account', 'A3', { accountid: 'a3', accountnumber: 'US-003', _msdyn_company_value: CO }, 'created');
    expect(byKey(s, 'US-003')).toEqual(['a3']);
    expect(byKey(s, 'US-003', CO.toUpperCase())).toEqual(['a3']);
  });

  it('follows an update that changes a key column', () => {
    const s = seeded();
    expect(byKey(s, 'US-001')).toEqual(['a1']);
    s.put('account', 'a1', { ...s.get('account', 'a1'), accountnumber: 'US-100' }, 'updated');
    expect(byKey(s, 'US-001')).toEqual([]);
    expect(byKey(s, 'US-100')).toEqual(['a1']);
  });

  it('forgets a deleted row', () => {
    const s = seeded();
    expect(byKey(s, 'US-002')).toEqual(['a2']);
    s.remove('account', 'a2');
    expect(byKey(s, 'US-002')).toEqual([]);
  });

  it('is restored by a rollback of creates, key updates and deletes (a failed $batch changeset)', () => {
    const s = seeded();
    expect(byKey(s, 'US-001')).toEqual(['a1']);
    s.begin();
    s.put('account', 'a9', { accountid: 'a9', accountnumber: 'US-009', _msdyn_company_value: CO }, 'created');
    s.put('account', 'a1', { ...s.get('account', 'a1'), accountnumber: 'US-101' }, 'updated');
    s.put('account', 'a1', { ...s.get('account', 'a1'), accountnumber: 'US-102' }, 'updated');
    s.remove('account', 'a2');
    expect([byKey(s, 'US-009'), byKey(s, 'US-102'), byKey(s, 'US-001'), byKey(s, 'US-002')]).toEqual([['a9'], ['a1'], [], []]);
    s.rollback();
    for (const num of ['US-001', 'US-002', 'US-009', 'US-101', 'US-102']) expect(byKey(s, num)).toEqual(scanned(s, num));
    expect([byKey(s, 'US-001'), byKey(s, 'US-002'), byKey(s, 'US-009'), byKey(s, 'US-102')]).toEqual([['a1'], ['a2'], [], []]);
  });

  it('keeps a committed nested transaction when only the inner one rolls back', () => {
    const s = seeded();
    s.begin();
    s.put('account', 'a5', { accountid: 'a5', accountnumber: 'US-005', _msdyn_company_value: CO }, 'created');
    s.begin();
    s.remove('account', 'a5');
    s.rollback();
    s.commit();
    expect(byKey(s, 'US-005')).toEqual(['a5']);
  });

  it('starts empty again after clear', () => {
    const s = seeded();
    expect(byKey(s, 'US-001')).toEqual(['a1']);
    s.clear();
    expect(byKey(s, 'US-001')).toEqual([]);
  });
});
