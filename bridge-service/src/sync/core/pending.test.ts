import { describe, expect, it } from '@jest/globals';
import { effectiveBase, pendingWrite, writeLanded, type StoredSnapshot } from './pending';

const P = 'Phone:telephone1';
const N = 'Name:name';
const G = 'Group:groupid'; // a lookup: predicted equal to what F&O already holds

describe('writeLanded', () => {
  it('needs every written value on the side', () => {
    expect(writeLanded({ [P]: '2', [G]: 'g' }, { [P]: '2', [G]: 'g' })).toBe(true);
    expect(writeLanded({ [P]: '2', [G]: 'g' }, { [P]: '1', [G]: 'g' })).toBe(false);
    expect(writeLanded({}, { [P]: '1' })).toBe(false);
    expect(writeLanded({ [P]: '2' }, {})).toBe(false);
  });
});

describe('effectiveBase', () => {
  const base = { fno: { [P]: '1', [N]: 'a' }, dataverse: { [P]: '1', [N]: 'a' } };

  it('is the stored base when nothing is pending, null when there is none', () => {
    expect(effectiveBase(base, { [P]: '1' }, { [P]: '1' })).toEqual(base);
    expect(effectiveBase(null, {}, {})).toBeNull();
  });

  it('takes a landed write as synced: the echo is not an F&O change, a newer Dataverse edit still is', () => {
    const stored: StoredSnapshot = { ...base, pending: pendingWrite(base, { fno: { [P]: '2' }, dataverse: {} }) };
    // F&O holds our write; Dataverse moved on to 3 since.
    const b = effectiveBase(stored, { [P]: '2', [N]: 'a' }, { [P]: '3', [N]: 'a' })!;
    expect(b.fno[P]).toBe('2');
    expect(b.dataverse[P]).toBe('1');
  });

  it('keeps the old base when the write did not land', () => {
    const stored: StoredSnapshot = { ...base, pending: pendingWrite(base, { fno: { [P]: '2' }, dataverse: {} }) };
    expect(effectiveBase(stored, { [P]: '1', [N]: 'a' }, { [P]: '2', [N]: 'a' })).toEqual(base);
  });

  it('never synced and not landed: nothing to merge against', () => {
    const before = { fno: { [P]: '1', [G]: 'g' }, dataverse: { [P]: '2', [G]: 'g' } };
    const stored: StoredSnapshot = { pending: pendingWrite(before, { fno: { [P]: '2', [G]: 'g' }, dataverse: {} }) };
    // A lookup value that was already there does not make the write count as landed.
    expect(effectiveBase(stored, { [P]: '1', [G]: 'g' }, { [P]: '2', [G]: 'g' })).toBeNull();
  });

  it('never synced, one side landed and the other not: the unlanded write is made again', () => {
    const before = { fno: { [P]: '1', [N]: 'x' }, dataverse: { [P]: '2', [N]: 'y' } };
    const stored: StoredSnapshot = { pending: pendingWrite(before, { fno: { [P]: '2' }, dataverse: { [N]: 'x' } }) };
    const b = effectiveBase(stored, { [P]: '2', [N]: 'x' }, { [P]: '2', [N]: 'y' })!;
    expect(b.fno[P]).toBe('2'); // landed in F&O
    expect(b.dataverse[P]).toBe('2');
    // Dataverse did not get N: it keeps its old value as base (unchanged) and F&O's counts as changed, so it flows again.
    expect(b.dataverse[N]).toBe('y');
    expect(b.fno).not.toHaveProperty(N);
  });
});
