import { describe, it, expect } from '@jest/globals';
import { badge, detailRows, linkedKeyText, shouldPoll } from './sync-view';
import { syncStatus, translator } from '../test/helpers';

const en = translator('SyncStatus', 1033);

describe('sync view', () => {
  it('labels every state in each language', () => {
    for (const lcid of [1033, 1043, 1053]) {
      const t = translator('SyncStatus', lcid);
      for (const s of ['in_sync', 'pending', 'error', 'conflict', 'not_linked'] as const) expect(badge(s, t).label).not.toMatch(/^!!/);
    }
    expect(badge('error', en)).toEqual({ label: 'Error', tone: 'error', icon: 'error' });
  });

  it('shows the linked key, time, direction, pending count and error', () => {
    const rows = detailRows(syncStatus({ state: 'error', lastError: 'Customer group 99 does not exist in F&O.', pendingChanges: 2 }), 'en-US', en);
    expect(rows.map((r) => r.key)).toEqual(['linkedKey', 'lastSynced', 'direction', 'pending', 'lastError']);
    expect(rows[0].value).toBe('customer NL-001 in company NLMF');
    expect(rows[2].value).toBe('Finance and Operations to Dataverse');
    expect(rows[4].value).toBe('Customer group 99 does not exist in F&O.');
    expect(detailRows(syncStatus({ state: 'not_linked', linkedKey: null, lastSyncedAt: null, lastDirection: null }), 'en-US', en))
      .toEqual([{ key: 'lastSynced', label: 'Last synced', value: 'Never' }]);
  });

  it('polls only while something is pending', () => {
    expect(shouldPoll(syncStatus({ state: 'pending' }))).toBe(true);
    expect(shouldPoll(syncStatus({ pendingChanges: 1 }))).toBe(true);
    expect(shouldPoll(syncStatus())).toBe(false);
    expect(linkedKeyText({})).toBeNull();
  });

  it('reads the linked key as a person does, in each language', () => {
    const key = { dataAreaId: 'nlmf', CustomerAccount: 'NL-001' };
    expect(linkedKeyText(key, translator('SyncStatus', 1043))).toBe('klant NL-001 in bedrijf NLMF');
    expect(linkedKeyText(key, translator('SyncStatus', 1053))).toBe('kund NL-001 i företaget NLMF');
    expect(linkedKeyText({ dataAreaId: 'usmf', VendorAccountNumber: 'V-1' }, en)).toBe('vendor V-1 in company USMF');
    expect(linkedKeyText({ CurrencyCode: 'EUR' }, en)).toBe('currency EUR');
    expect(linkedKeyText({ RateTypeName: 'Default', FromCurrency: 'EUR' }, en)).toBe('RateTypeName: Default, FromCurrency: EUR');
  });
});
