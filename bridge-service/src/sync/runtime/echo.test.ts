import { describe, expect, it } from '@jest/globals';
import { SHIPPED_MAPS } from '../core/maps/shipped';
import { fieldId } from '../core/maps/types';
import { pendingWrite, type StoredSnapshot } from '../core/pending';
import { echoesKnownValues } from './echo';

const map = SHIPPED_MAPS.find((m) => m.name === 'customers-accounts')!;
const P = fieldId(map.fields.find((f) => f.dataverse === 'telephone1')!);
const synced = { fno: { [P]: 'A' }, dataverse: { [P]: 'A' } };

describe('echoesKnownValues', () => {
  it('knows the last synced value, and nothing without a link', () => {
    expect(echoesKnownValues(map, 'dataverse', { telephone1: 'A', modifiedon: 'x' }, synced)).toBe(true);
    expect(echoesKnownValues(map, 'dataverse', { telephone1: 'B' }, synced)).toBe(false);
    expect(echoesKnownValues(map, 'dataverse', { telephone1: 'A' }, null)).toBe(false);
    expect(echoesKnownValues(map, 'dataverse', { modifiedon: 'x' }, synced)).toBe(false); // no mapped value: not ours to judge
  });

  it('takes a write in progress as the newest value: its echo is known, the old value is not', () => {
    const stored: StoredSnapshot = { ...synced, pending: pendingWrite(synced, { fno: {}, dataverse: { [P]: 'B' } }) };
    expect(echoesKnownValues(map, 'dataverse', { telephone1: 'B' }, stored)).toBe(true);
    // A user who set it back to A while the write was in flight made a change.
    expect(echoesKnownValues(map, 'dataverse', { telephone1: 'A' }, stored)).toBe(false);
  });

  it('takes what a running job read as newer than the last sync', () => {
    // The job read B from Dataverse (a user's edit) and writes it to F&O; a later edit back to A is a change.
    const stored: StoredSnapshot = { ...synced, pending: pendingWrite({ fno: { [P]: 'A' }, dataverse: { [P]: 'B' } }, { fno: { [P]: 'B' }, dataverse: {} }) };
    expect(echoesKnownValues(map, 'dataverse', { telephone1: 'A' }, stored)).toBe(false);
    expect(echoesKnownValues(map, 'fno', { PrimaryContactPhone: 'B' }, stored)).toBe(true);
  });
});
