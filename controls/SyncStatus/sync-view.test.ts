import { describe, it, expect } from '@jest/globals';
import { badge, detailRows, lastErrorText, linkedKeyText, shouldPoll } from './sync-view';
import { SYNC_ERROR_PARAMS } from '../../bridge-service/src/contracts/sync-errors';
import { LANGUAGES, readResx, syncStatus, translator } from '../test/helpers';

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

describe('the last error in the user language (code and parameters from the bridge)', () => {
  const nl = translator('SyncStatus', 1043);
  const sv = translator('SyncStatus', 1053);
  const english = 'Finance and Operations rejected the data (HTTP 400). Fix the record, then retry.';
  const coded = { lastError: english, lastErrorCode: 'SYNC_REJECTED', lastErrorParams: { side: 'fno', status: 400 } };

  it('says a known code with its parameters in each language, the system by name', () => {
    expect(lastErrorText(coded, en)).toBe(english);
    expect(lastErrorText(coded, nl)).toBe('Finance and Operations heeft de gegevens geweigerd (HTTP 400). Corrigeer het record en probeer het opnieuw.');
    expect(lastErrorText(coded, sv)).toBe('Finance and Operations avvisade uppgifterna (HTTP 400). Rätta posten och försök sedan igen.');
    expect(lastErrorText({ lastError: 'x', lastErrorCode: 'SYNC_CONFLICT', lastErrorParams: { field: 'CreditLimit / fob_creditlimit', winner: 'dataverse' } }, nl))
      .toBe('CreditLimit / fob_creditlimit is sinds de laatste synchronisatie in beide systemen gewijzigd; de waarde uit Dataverse is behouden.');
  });

  it('adds the other system\'s own words, untranslated, after the translated text', () => {
    const withMessage = { ...coded, lastErrorParams: { ...coded.lastErrorParams, serviceMessage: 'Customer group 99 does not exist.' } };
    expect(lastErrorText(withMessage, sv)).toBe('Finance and Operations avvisade uppgifterna (HTTP 400). Rätta posten och försök sedan igen. Finance and Operations svarade: ”Customer group 99 does not exist.”');
  });

  it('falls back to the bridge text for no code, an unknown code or missing parameters', () => {
    expect(lastErrorText({ lastError: 'plain words' }, sv)).toBe('plain words');
    expect(lastErrorText({ lastError: 'plain words', lastErrorCode: 'SYNC_FROM_A_NEWER_BRIDGE', lastErrorParams: {} }, sv)).toBe('plain words');
    expect(lastErrorText({ lastError: 'plain words', lastErrorCode: 'SYNC_REJECTED', lastErrorParams: { side: 'fno' } }, sv)).toBe('plain words');
    expect(lastErrorText({ lastError: null, lastErrorCode: null }, sv)).toBeNull();
  });

  it('shows the translated error in the details of an errored record', () => {
    const rows = detailRows(syncStatus({ state: 'error', ...coded }), 'nl-NL', nl);
    expect(rows.find((r) => r.key === 'lastError')!.value).toMatch(/^Finance and Operations heeft de gegevens geweigerd/);
  });

  it('has a text for every code in every language, with exactly its parameters as placeholders', () => {
    for (const lcid of LANGUAGES) {
      const table = readResx('SyncStatus', lcid);
      for (const [code, params] of Object.entries(SYNC_ERROR_PARAMS)) {
        const text = table[`SyncError_${code}`];
        expect([code, typeof text]).toEqual([code, 'string']);
        const found = [...new Set(text.match(/\{\d\}/g) ?? [])].sort();
        expect([code, found]).toEqual([code, params.map((_, i) => `{${i}}`)]);
      }
    }
  });
});
