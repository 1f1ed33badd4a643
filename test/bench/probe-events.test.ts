import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dueEdits, markerOf, probeChange } from './probe-events';

const fixture = (name: string): unknown => JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/real/${name}`, import.meta.url)), 'utf8'));

describe('probeChange', () => {
  it('reads message, entity and unwrapped Target attributes of a real Dataverse webhook body', () => {
    const c = probeChange(fixture('dataverse-webhook-account-update-sync-mode0.json'));
    expect(c?.message).toBe('Update');
    expect(c?.entity).toBe('account');
    expect(Object.keys(c!.attributes).length).toBeGreaterThan(0);
    for (const v of Object.values(c!.attributes)) {
      if (v !== null && typeof v === 'object') expect(v).not.toHaveProperty('Value');
    }
  });
  it('unwraps Money and reports the marker on the watched side only', () => {
    const dv = { MessageName: 'Update', PrimaryEntityName: 'account', InputParameters: [{ key: 'Target', value: { Attributes: [{ key: 'creditlimit', value: { __type: 'Money:x', Value: 1000042 } }] } }] };
    const fno = { MessageName: 'Update', PrimaryEntityName: 'CustomersV3', InputParameters: [{ key: 'Target', value: { Attributes: [{ key: 'PrimaryContactPhone', value: '1000043' }] } }] };
    expect(markerOf(probeChange(dv)!, 'dataverse')).toBe(1000042);
    expect(markerOf(probeChange(dv)!, 'fno')).toBeNull();
    expect(markerOf(probeChange(fno)!, 'fno')).toBe(1000043);
  });
  it('ignores deletes and bodies that are not execution contexts', () => {
    expect(probeChange({ hello: 1 })).toBeNull();
    expect(probeChange('x')).toBeNull();
    const del = { MessageName: 'Delete', PrimaryEntityName: 'account', InputParameters: [] };
    expect(markerOf(probeChange(del)!, 'dataverse')).toBeNull();
  });
});

describe('dueEdits', () => {
  it('paces an open loop: one at t=0, then rate per second, capped at the total', () => {
    expect(dueEdits(0, 200, 1000)).toBe(1);
    expect(dueEdits(1000, 200, 1000)).toBe(201);
    expect(dueEdits(60_000, 200, 1000)).toBe(1000);
    expect(dueEdits(-5, 200, 1000)).toBe(0);
  });
});
