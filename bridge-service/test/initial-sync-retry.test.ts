// Pure parts of the initial sync's retries and page commit: which failures are retried, how long to
// wait (Retry-After first), the bound, a retried create, and the link rows of one page.
import { describe, expect, it } from '@jest/globals';
import { HttpTransportError, type HttpService } from '../src/clients/http';
import { DataverseClient } from '../src/clients/dataverse-client';
import { UpstreamError } from '../src/clients/upstream-error';
import { chunks, linkRows } from '../src/db/repos/initial-runs';
import { forAttempt } from '../src/sync/initial-sync/page';
import { serviceMayRecover as isTransient } from '../src/clients/failure';
import { InitialSyncStopped, retryDelayMs, withRetries, type RetryEvent, type RetryPolicy } from '../src/sync/initial-sync/retry';

const fast: RetryPolicy = { attempts: 5, baseMs: 1, capMs: 4, maxRetryAfterMs: 50 };

describe('which failures are retried', () => {
  it('retries no answer, resets, throttling and server errors; not refusals or bad requests', () => {
    expect(isTransient(new HttpTransportError('dataverse', 'no answer within 30000 ms', true))).toBe(true);
    expect(isTransient(new HttpTransportError('dataverse', 'network error: ECONNRESET', false))).toBe(true);
    for (const s of [408, 429, 500, 502, 503, 504]) expect(isTransient(new UpstreamError('dataverse', s, 'x'))).toBe(true);
    for (const s of [400, 401, 403, 404, 412]) expect(isTransient(new UpstreamError('dataverse', s, 'x'))).toBe(false);
    expect(isTransient(new HttpTransportError('fno', 'refusing to follow a link to another origin (http://x)', false, undefined, false, true))).toBe(false);
    expect(isTransient(new Error('Dataverse has no cdm_company for legal entity usmf'))).toBe(false);
  });
});

describe('withRetries', () => {
  it('succeeds on the third try and reports the two retries', async () => {
    const events: RetryEvent[] = [];
    let calls = 0;
    const out = await withRetries('step', (attempt) => {
      calls++;
      if (attempt < 3) return Promise.reject(new HttpTransportError('dataverse', `network error: ECONNRESET ${attempt}`, false));
      return Promise.resolve('ok');
    }, { policy: fast, onRetry: (e) => events.push(e) });
    expect(out).toBe('ok');
    expect(calls).toBe(3);
    expect(events.map((e) => [e.attempt, e.error])).toEqual([[1, 'network error: ECONNRESET 1'], [2, 'network error: ECONNRESET 2']]);
  });

  it('gives up after the bounded attempts with what failed and what to do', async () => {
    let calls = 0;
    const err = await withRetries('Dataverse $batch of 3 writes', () => {
      calls++;
      return Promise.reject(new UpstreamError('dataverse', 503, 'Service Unavailable'));
    }, { policy: fast }).catch((e: unknown) => e as Error);
    expect(calls).toBe(5);
    expect(err.message).toMatch(/^Dataverse \$batch of 3 writes failed 5 times in a row; last: Service Unavailable\. .*start the initial sync again/);
    expect(err.cause).toBeInstanceOf(UpstreamError);
  });

  it('waits as often as a throttling service asks (429 with Retry-After) without using up its tries', async () => {
    let calls = 0;
    const waits: number[] = [];
    const out = await withRetries('Dataverse $batch of 500 writes', () => {
      calls++;
      if (calls <= 12) return Promise.reject(new UpstreamError('dataverse', 429, 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.', undefined, 3));
      if (calls <= 14) return Promise.reject(new UpstreamError('dataverse', 503, 'Service Unavailable'));
      return Promise.resolve('written');
    }, { policy: fast, onRetry: (e) => waits.push(e.waitMs) });
    expect(out).toBe('written');
    expect(calls).toBe(15);
    expect(waits.slice(0, 12)).toEqual(Array(12).fill(3));
  });

  it('a 429 without Retry-After still counts as a failed try', async () => {
    let calls = 0;
    const err = await withRetries('step', () => { calls++; return Promise.reject(new UpstreamError('fno', 429, 'slow down')); }, { policy: fast })
      .catch((e: unknown) => e as Error);
    expect(calls).toBe(5);
    expect(err.message).toMatch(/failed 5 times in a row/);
  });

  it('does not retry a permanent failure', async () => {
    let calls = 0;
    const bad = new UpstreamError('dataverse', 400, 'bad filter');
    await expect(withRetries('step', () => { calls++; return Promise.reject(bad); }, { policy: fast })).rejects.toBe(bad);
    expect(calls).toBe(1);
  });

  it('stops waiting when the sync is stopped', async () => {
    const stop = new AbortController();
    const p = withRetries('step', () => Promise.reject(new HttpTransportError('fno', 'no answer', true)), { policy: { ...fast, baseMs: 60_000, capMs: 60_000 }, signal: stop.signal });
    stop.abort();
    await expect(p).rejects.toBeInstanceOf(InitialSyncStopped);
  });
});

describe('how long to wait', () => {
  const answering = (status: number, headers: Record<string, string>): HttpService => {
    const service: HttpService = {
      name: 'dataverse', baseUrl: 'http://dv.test/api/data/v9.2', close: () => Promise.resolve(), interactive: () => service,
      request: () => Promise.resolve({ status, headers, text: '{"error":{"code":"0x80072321","message":"Number of requests exceeded the limit"}}' }),
    };
    return service;
  };

  async function failureOf(http: HttpService): Promise<unknown> {
    try {
      await new DataverseClient(http).batch([]);
    } catch (err) {
      return err;
    }
    throw new Error('expected the batch to fail');
  }

  it("waits the service's Retry-After on 429, within the longest accepted", async () => {
    const err = await failureOf(answering(429, { 'retry-after': '0.03' }));
    expect(err).toBeInstanceOf(UpstreamError);
    expect(retryDelayMs(fast, 1, err)).toBe(30);
    const tooLong = await failureOf(answering(429, { 'retry-after': '3600' }));
    expect(retryDelayMs(fast, 1, tooLong)).toBe(fast.capMs);
  });

  it('backs off exponentially with jitter, capped, without a Retry-After', async () => {
    const err = await failureOf(answering(503, {}));
    const policy = { ...fast, baseMs: 1000, capMs: 8000 };
    expect(retryDelayMs(policy, 1, err, () => 0)).toBe(500);
    expect(retryDelayMs(policy, 1, err, () => 1)).toBe(1000);
    expect(retryDelayMs(policy, 3, err, () => 1)).toBe(4000);
    expect(retryDelayMs(policy, 9, err, () => 1)).toBe(8000);
  });
});

describe('a retried create', () => {
  it('drops If-None-Match after the first try (an upsert by the same id), and keeps other writes as they are', () => {
    const create = { method: 'PATCH' as const, url: 'http://dv/accounts(1)', headers: { 'If-None-Match': '*' }, body: { name: 'A' } };
    const update = { method: 'PATCH' as const, url: 'http://dv/accounts(2)', headers: { 'If-Match': '*' }, body: { name: 'B' } };
    expect(forAttempt(create, 1)).toBe(create);
    expect(forAttempt(create, 2)).toEqual({ method: 'PATCH', url: 'http://dv/accounts(1)', headers: {}, body: { name: 'A' } });
    expect(forAttempt(update, 3)).toBe(update);
  });
});

describe('page commit rows', () => {
  it('writes one link per Dataverse row (the last wins) with the key as sorted JSON', () => {
    const base = { mapName: 'm', dataverseTable: 'account', fnoEntity: 'CustomersV3', lastDirection: 'fno_to_dataverse' as const };
    const rows = linkRows([
      { ...base, dataverseId: 'AAAA', fnoKey: { dataAreaId: 'usmf', CustomerAccount: 'US-1' }, snapshot: { a: 1 } },
      { ...base, dataverseId: 'aaaa', fnoKey: { CustomerAccount: 'US-1', dataAreaId: 'usmf' }, snapshot: { a: 2 } },
      { ...base, dataverseId: 'bbbb', fnoKey: { dataAreaId: 'usmf', CustomerAccount: 'US-2' } },
    ], '2026-01-01T00:00:00.000Z');
    expect(rows.map((r) => [r.dataverse_id, r.fno_key, r.snapshot])).toEqual([
      ['aaaa', '{"CustomerAccount":"US-1","dataAreaId":"usmf"}', '{"a":2}'],
      ['bbbb', '{"CustomerAccount":"US-2","dataAreaId":"usmf"}', null],
    ]);
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
