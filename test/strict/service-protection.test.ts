// Issue 14: both sandbox services throttle each user at the limits Microsoft publishes (6,000 requests and
// 1,200 s of execution time per 5 minutes, 52 concurrent), answering 429 with Retry-After; execution time is
// modelled. The bridge's clients wait as long as Retry-After asks.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '@finops-bridge/sandbox';
import { DEFAULT_LIMITS } from '../../sandbox/src/http/service-protection';
import { createHttpService } from '../../bridge-service/src/clients/http';

let sb: Sandbox;
beforeAll(async () => { sb = await startSandbox({ quiet: true, customers: 10, seed: 2 }); }, 60_000);
afterAll(async () => { await sb?.close(); });

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.arrayBuffer());
const dvGet = async (who: 'bridge' | 'controller' = 'bridge') => fetch(`${sb.urls.dataverseApi}/WhoAmI`, { headers: { authorization: `Bearer ${await sb.getToken(who, 'dataverse')}` } });
const fnoGet = async () => fetch(`${sb.urls.fno}/data/LegalEntities?$top=1`, { headers: { authorization: `Bearer ${await sb.getToken('bridge', 'fno')}` } });

describe('service protection at the real limits', () => {
  it('the defaults are the published numbers', () => {
    expect(DEFAULT_LIMITS).toEqual({ windowSeconds: 300, maxRequests: 6000, maxExecutionSeconds: 1200, maxConcurrent: 52 });
  });

  it('Dataverse: the 53rd concurrent request of one user gets 429 with Retry-After and the platform code', async () => {
    await post(`${sb.urls.dataverse}/_sandbox/faults`, { latencyMs: 300 });
    await sb.getToken('bridge', 'dataverse');
    const answers = await Promise.all(Array.from({ length: 60 }, () => dvGet()));
    await post(`${sb.urls.dataverse}/_sandbox/faults`, {});
    const refused = answers.filter((r) => r.status === 429);
    expect(answers.filter((r) => r.status === 200)).toHaveLength(52);
    expect(refused).toHaveLength(8);
    expect(refused[0].headers.get('retry-after')).toBe('1');
    expect(await refused[0].json()).toEqual({ error: { code: '0x80072326', message: 'Number of concurrent requests exceeded the limit of 52.' } });
  });

  it('F&O: the 53rd concurrent request of one user gets 429 with Retry-After', async () => {
    await post(`${sb.urls.fno}/_sandbox/faults`, { latencyMs: 300 });
    await sb.getToken('bridge', 'fno');
    const answers = await Promise.all(Array.from({ length: 60 }, () => fnoGet()));
    await post(`${sb.urls.fno}/_sandbox/faults`, { latencyMs: 0 });
    expect(answers.filter((r) => r.status === 200)).toHaveLength(52);
    const refused = answers.filter((r) => r.status === 429);
    expect(refused).toHaveLength(8);
    expect(refused[0].headers.get('retry-after')).toBe('1');
  });

  it('execution time is counted: once a user has used it up, 429 with the window\'s Retry-After', async () => {
    await post(`${sb.urls.dataverse}/_sandbox/faults`, { latencyMs: 400, serviceProtection: { maxExecutionSeconds: 1, windowSeconds: 300 } });
    // Another user than the tests above: limits are per user, and theirs is used up in this window.
    const first = [await dvGet('controller'), await dvGet('controller'), await dvGet('controller')];
    expect(first.map((r) => r.status)).toEqual([200, 200, 200]);
    const over = await dvGet('controller');
    await post(`${sb.urls.dataverse}/_sandbox/faults`, {});
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(290);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe('0x80072321');
  });

  it('the bridge\'s HTTP client waits as long as Retry-After asks, then succeeds', async () => {
    await post(`${sb.urls.dataverse}/_sandbox/faults`, { throttleNext: { count: 1, retryAfterSeconds: 1 } });
    const http = createHttpService({ name: 'dataverse', baseUrl: sb.urls.dataverseApi, concurrency: 2, timeoutMs: 10_000, retries: 2, getToken: () => sb.getToken('bridge', 'dataverse') });
    const t0 = Date.now();
    const res = await http.request({ method: 'GET', path: '/WhoAmI' });
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    await http.close();
  });

  it('the bridge\'s client adapts to the service\'s concurrency limit: every request of a burst gets through', async () => {
    await post(`${sb.urls.fno}/_sandbox/limits`, { maxConcurrent: 4 });
    await post(`${sb.urls.fno}/_sandbox/faults`, { latencyMs: 100 });
    const statuses: number[] = [];
    const http = createHttpService({ name: 'fno', baseUrl: `${sb.urls.fno}/data`, concurrency: 16, timeoutMs: 10_000, retries: 3,
      getToken: () => sb.getToken('bridge', 'fno'), onAttempt: (a) => { if (typeof a.status === 'number') statuses.push(a.status); } });
    const answers = await Promise.all(Array.from({ length: 40 }, () => http.request({ method: 'GET', path: '/LegalEntities?$top=1' })));
    await post(`${sb.urls.fno}/_sandbox/faults`, { latencyMs: 0 });
    await post(`${sb.urls.fno}/_sandbox/limits`, { maxConcurrent: 52 });
    await http.close();
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(200));
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
  });
});

