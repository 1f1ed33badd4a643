import { describe, expect, it } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InitialSyncProgress } from '../../bridge-service/src/contracts/admin';
import { intlFormatter } from '../common/formatter';
import { translator, type Lcid, type ResxSet } from './console-strings';
import { auditChanges, chartLines, recordKeyText, durationText, errorText, mapAction, progressView, throughputPerMinute, type Sample } from './console-view';

const read = (p: string) => fs.readFileSync(path.join(__dirname, '..', p), 'utf8');
const resx = (lcid: Lcid): ResxSet => ({ console: read(`admin-console/strings/AdminConsole.${lcid}.resx`), syncStatus: read(`SyncStatus/strings/SyncStatus.${lcid}.resx`) });
const en = translator({ 1033: resx(1033) }, 1033);
const nl = translator({ 1033: resx(1033), 1043: resx(1043) }, 1043);
const f = intlFormatter('en-US', 'UTC');

const sample = (at: number, processed: number, pending = 0, parked = 0): Sample => ({ at, processed, pending, parked });

const progress = (p: Partial<InitialSyncProgress>): InitialSyncProgress => ({
  map: 'customers-accounts', state: 'running', total: 200, done: 50, failed: 0, ratePerSecond: 25, etaSeconds: 6, startedAt: null, finishedAt: null,
  lastError: null, companies: [], failures: [], ...p,
});

describe('console view', () => {
  it('says durations as a person reads them', () => {
    expect(durationText(45.4, en)).toBe('45 s');
    expect(durationText(200, en)).toBe('3 min 20 s');
    expect(durationText(7500, en)).toBe('2 h 5 min');
    expect(durationText(7500, nl)).toBe('2 u 5 min');
  });

  it('offers pause on a running map, resume on a paused one, neither during its initial sync', () => {
    expect(mapAction({ state: 'running' })).toBe('pause');
    expect(mapAction({ state: 'catching_up' })).toBe('pause');
    expect(mapAction({ state: 'paused' })).toBe('resume');
    expect(mapAction({ state: 'initial_sync' })).toBeNull();
    expect(mapAction({ state: 'not_running' })).toBeNull();
  });

  it('measures throughput over the readings of the last five minutes', () => {
    const now = 1_000_000;
    expect(throughputPerMinute([sample(now, 10)], now)).toBeNull();
    expect(throughputPerMinute([sample(now - 2_000, 0), sample(now, 10)], now)).toBeNull();
    expect(throughputPerMinute([sample(now - 60_000, 100), sample(now - 30_000, 130), sample(now, 160)], now)).toBe(60);
    // A reading older than the window does not count.
    expect(throughputPerMinute([sample(now - 600_000, 0), sample(now - 60_000, 100), sample(now, 110)], now)).toBe(10);
  });

  it('draws pending and parked over the last hour, now at the right edge, the highest count at the top', () => {
    const now = 10_000_000;
    const lines = chartLines([sample(now - 7_200_000, 0, 99, 99), sample(now - 1_800_000, 0, 4, 0), sample(now, 0, 2, 1)], now, 100, 40);
    // The reading of two hours ago is left out: the top is 4, not 99.
    expect(lines.max).toBe(4);
    expect(lines.pending).toBe('M50 0 L100 20');
    expect(lines.parked).toBe('M50 40 L100 30');
    expect(chartLines([], now, 100, 40)).toEqual({ pending: '', parked: '', max: 1 });
  });

  it('shows an initial sync with its fraction, rate and time left while it runs, and full when done', () => {
    const running = progressView(progress({}), en, f);
    expect(running).toMatchObject({ fraction: 0.25, counts: '50 of 200 records', rate: '25.0 records/s', timeLeft: '6 s left', failed: null, stateLabel: 'Running' });
    expect(progressView(progress({ total: 0, done: 0 }), en, f).fraction).toBeUndefined();
    const done = progressView(progress({ state: 'done', done: 198, failed: 2, etaSeconds: null }), en, f);
    expect(done).toMatchObject({ fraction: 1, rate: null, timeLeft: null, failed: '2 failed', stateLabel: 'Done' });
  });

  it('says a known error code in the admin language, with what to do; an unknown one in the bridge words plus advice', () => {
    const known = errorText({ message: 'english text', code: 'SYNC_REJECTED', params: { side: 'fno', status: 400 } }, en, f);
    expect(known).toEqual({ text: 'Finance and Operations rejected the data (HTTP 400). Fix the record, then retry.', advice: null });
    expect(errorText({ message: 'english text', code: 'SYNC_REJECTED', params: { side: 'fno', status: 400 } }, nl, f).text).not.toContain('rejected');
    const unknown = errorText({ message: 'Something odd', code: null, params: null }, en, f);
    expect(unknown.text).toBe('Something odd');
    expect(unknown.advice).toContain('then retry');
    // A known code without its parameters cannot be said well: the bridge text is kept, with the advice.
    expect(errorText({ message: 'raw', code: 'SYNC_REJECTED', params: {} }, en, f)).toMatchObject({ text: 'raw' });
  });

  it('reads an F&O key as a person would, and leaves a Dataverse id as it is', () => {
    expect(recordKeyText('{"CustomerAccount":"NL-004","dataAreaId":"nlmf"}', en)).toBe('customer NL-004 in company NLMF');
    expect(recordKeyText('{"VendorAccountNumber":"V-1","dataAreaId":"semf"}', nl)).toContain('V-1');
    expect(recordKeyText('989d3aee-8e43-e28f-a163-000d3a89b651', en)).toBe('989d3aee-8e43-e28f-a163-000d3a89b651');
    expect(recordKeyText('{not json', en)).toBe('{not json');
  });

  it('lists audit changes field by field, before and after', () => {
    expect(auditChanges({ changes: { CreditLimit: { before: 1000, after: 2500 }, OnHoldStatus: { before: null, after: 'All' } } }, en, f))
      .toEqual(['Credit limit: 1,000.00 → 2,500.00', 'On hold: (empty) → All']);
  });
});
