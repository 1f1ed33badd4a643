import { describe, expect, it } from '@jest/globals';
import { backoffDelay } from './backoff';
import { classify, classifyFailure, isRetryableStatus, isThrottled, MissingLookupError, PermanentSyncError, retryAfterMs, serviceMayRecover } from './failure';
import { TokenError } from './token-provider';
import { isSyncErrorCode, SERVICE_MESSAGE_PARAM, SYNC_ERROR_PARAMS} from '../contracts/sync-errors';
import { HttpTransportError, UpstreamError } from './upstream-error';

describe('backoff', () => {
  it('grows exponentially, is capped, and jitters within the upper half', () => {
    const low = { baseMs: 1000, capMs: 60_000, random: () => 0 };
    const high = { ...low, random: () => 1 };
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, high))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelay(3, low)).toBe(2000);
    expect(backoffDelay(50, high)).toBe(60_000);
    expect(backoffDelay(50, low)).toBe(30_000);
  });

  it('honours a longer Retry-After', () => {
    expect(backoffDelay(1, { baseMs: 1000, random: () => 1 }, 30_000)).toBe(30_000);
    expect(backoffDelay(1, { baseMs: 1000, random: () => 1 }, 10)).toBe(1000);
    expect(retryAfterMs('5')).toBe(5000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});

describe('classifyFailure', () => {
  it('transient: 429, 5xx, timeouts, network errors', () => {
    expect(classifyFailure({ status: 429, side: 'fno' })).toMatchObject({ class: 'transient', message: expect.stringMatching(/Finance and Operations asked the bridge to slow down/) });
    expect(classifyFailure({ status: 503, side: 'dataverse' }).class).toBe('transient');
    expect(classifyFailure({ status: 408 }).class).toBe('transient');
    expect(classifyFailure({ code: 'ECONNRESET', side: 'dataverse' })).toMatchObject({ class: 'transient', message: expect.stringMatching(/could not be reached \(ECONNRESET\)/) });
    expect(classifyFailure({ code: 'UND_ERR_HEADERS_TIMEOUT' }).class).toBe('transient');
    expect(classifyFailure({ status: 412, retryOnPreconditionFailed: true }).class).toBe('transient');
  });

  it('a status outside the temporary ones is permanent, even in the 5xx range (501 will not be implemented later)', () => {
    for (const status of [408, 429, 500, 502, 503, 504]) expect(classifyFailure({ status }).class).toBe('transient');
    for (const status of [400, 401, 403, 404, 409, 412, 422, 501, 505]) expect(classifyFailure({ status }).class).toBe('permanent');
  });

  it('permanent: 400/404/412, auth, validation, with the service text and what to do', () => {
    const r = classifyFailure({ status: 400, side: 'fno', serviceMessage: "Customer group '99' does not exist." });
    expect(r.class).toBe('permanent');
    expect(r.message).toBe(`Finance and Operations rejected the data (HTTP 400). It said: "Customer group '99' does not exist." Fix the record, then retry.`);
    expect(classifyFailure({ status: 404 }).class).toBe('permanent');
    expect(classifyFailure({ status: 412 }).class).toBe('permanent');
    expect(classifyFailure({ status: 403, side: 'dataverse' }).message).toMatch(/refused the bridge's credentials/);
    expect(classifyFailure({ validation: 'OnHoldStatus: value "Frozen" unknown' })).toMatchObject({ class: 'permanent', message: expect.stringMatching(/could not be mapped/) });
  });
});

describe('classify: one decision for the client, the worker and the initial sync', () => {
  it('keeps the wait a throttling service named, and calls it throttled', () => {
    const f = classify(new UpstreamError('fno', 429, 'Rate limit is exceeded', undefined, 7_000));
    expect(f).toMatchObject({ class: 'transient', reason: 'throttled', retryAfterMs: 7_000, lookup: false });
    expect(isThrottled(new UpstreamError('fno', 429, 'x', undefined, 7_000))).toBe(true);
    expect(isThrottled(new UpstreamError('fno', 429, 'x'))).toBe(false);
  });

  it('a refused request (a link to another origin) is permanent: sending it again cannot help', () => {
    const refused = new HttpTransportError('fno', 'refusing to follow a link to another origin (http://evil)', false, undefined, false, true);
    expect(classify(refused)).toMatchObject({ class: 'permanent', reason: 'refused' });
    expect(serviceMayRecover(refused)).toBe(false);
    expect(serviceMayRecover(new HttpTransportError('fno', 'network error: ECONNRESET', false))).toBe(true);
  });

  it('412: the worker re-reads and retries; the initial sync does not', () => {
    const e = new UpstreamError('dataverse', 412, 'changed');
    expect(classify(e).class).toBe('transient');
    expect(serviceMayRecover(e)).toBe(false);
  });

  it('a missing related row, a token failure and an unknown error are the worker\'s to retry, never the initial sync\'s', () => {
    expect(classify(new MissingLookupError('customer group 20'))).toMatchObject({ class: 'transient', reason: 'lookup', lookup: true });
    expect(classify(new TokenError('https://fno', 'token endpoint unreachable'))).toMatchObject({ class: 'transient', reason: 'token' });
    expect(classify(new Error('bug'))).toMatchObject({ class: 'transient', reason: 'unexpected' });
    for (const e of [new MissingLookupError('x'), new TokenError('r', 'x'), new Error('bug'), new PermanentSyncError('x')]) expect(serviceMayRecover(e)).toBe(false);
    expect(classify(new PermanentSyncError('OnHoldStatus "Frozen"'))).toMatchObject({ class: 'permanent', reason: 'invalid' });
  });

  it('the client resends at once only what was surely not processed, or is idempotent', () => {
    expect(isRetryableStatus(429, false)).toBe(true);
    expect(isRetryableStatus(503, false)).toBe(true);
    expect(isRetryableStatus(502, false)).toBe(false);
    expect(isRetryableStatus(504, true)).toBe(true);
    expect(isRetryableStatus(500, true)).toBe(false);
  });
});

describe('every failure as a code the controls can translate', () => {
  const inputs = [
    { validation: 'OnHoldStatus "Frozen"' }, { code: 'ECONNREFUSED', side: 'fno' as const }, { code: 'EWHATEVER', side: 'dataverse' as const },
    { status: 429, side: 'fno' as const }, { status: 503, side: 'dataverse' as const, serviceMessage: 'down' },
    { status: 412, side: 'fno' as const, retryOnPreconditionFailed: true }, { status: 403, side: 'dataverse' as const },
    { status: 404, side: 'fno' as const }, { status: 412, side: 'fno' as const }, { status: 400, side: 'fno' as const, serviceMessage: 'bad' },
    { status: 418, side: 'dataverse' as const },
  ];

  it('uses only codes of contracts/sync-errors.ts, with exactly their parameters (the service message optional)', () => {
    const codes = new Set<string>();
    for (const input of inputs) {
      const w = classifyFailure(input);
      expect(isSyncErrorCode(w.code)).toBe(true);
      const names = Object.keys(w.params).filter((k) => k !== SERVICE_MESSAGE_PARAM).sort();
      expect({ code: w.code, names }).toEqual({ code: w.code, names: [...SYNC_ERROR_PARAMS[w.code]].sort() });
      codes.add(w.code);
    }
    expect(codes.size).toBe(inputs.length);
    for (const e of [new MissingLookupError('customer group 20'), new TokenError('https://fno', 'down'), new Error('bug')]) {
      const f = classify(e);
      expect(Object.keys(f.params).sort()).toEqual([...SYNC_ERROR_PARAMS[f.code]].sort());
    }
  });

  it('is systemic when a service or the bridge fails, not when one record is refused', () => {
    expect(classify(new UpstreamError('fno', 503, 'x')).systemic).toBe(true);
    expect(classify(new UpstreamError('fno', 401, 'x')).systemic).toBe(true);
    expect(classify(new HttpTransportError('fno', 'network error: ECONNRESET', false)).systemic).toBe(true);
    expect(classify(new UpstreamError('fno', 400, 'x')).systemic).toBe(false);
    expect(classify(new UpstreamError('dataverse', 404, 'x')).systemic).toBe(false);
    expect(classify(new PermanentSyncError('x')).systemic).toBe(false);
    expect(classify(new MissingLookupError('x')).systemic).toBe(false);
  });
});
