import { describe, it, expect, afterEach } from '@jest/globals';
import type { FnoServer } from '../../src/fno/server';
import { call, startFno, startReceiver, type Receiver } from './helpers';

let s: FnoServer | undefined;
let rx: Receiver | undefined;
afterEach(async () => { await s?.close(); await rx?.close(); s = undefined; rx = undefined; });
const post = (path: string, body: unknown): Promise<Response> => fetch(`${s!.url}${path}`, { method: 'POST', body: JSON.stringify(body) });

describe('service protection and faults', () => {
  it('answers 429 with Retry-After beyond the per-caller request limit', async () => {
    s = await startFno({ limits: { maxRequests: 3, windowSeconds: 60 } });
    for (let i = 0; i < 3; i++) expect((await call(s, '/data/Currencies')).status).toBe(200);
    const res = await call(s, '/data/Currencies');
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await call(s, '/data/Currencies', { token: 'other' })).status).toBe(200); // per caller
  });

  it('limits concurrent requests per caller', async () => {
    s = await startFno({ limits: { maxConcurrent: 1 } });
    await post('/_sandbox/faults', { latencyMs: 200 });
    const [a, b] = await Promise.all([call(s, '/data/Currencies'), call(s, '/data/Currencies')]);
    expect([a.status, b.status].sort()).toEqual([200, 429]);
  });

  it('injects error statuses and held requests, and reset clears them', async () => {
    s = await startFno();
    await post('/_sandbox/faults', { errorRates: { 503: 1 } });
    expect((await call(s, '/data/Currencies')).status).toBe(503);
    await post('/_sandbox/faults', { errorRates: {}, timeoutRate: 1, timeoutSeconds: 0.3 });
    const t = Date.now();
    await expect(call(s, '/data/Currencies')).rejects.toThrow();
    expect(Date.now() - t).toBeGreaterThanOrEqual(250);
    await post('/_sandbox/reset', {});
    expect((await call(s, '/data/Currencies')).status).toBe(200);
  });
});

describe('change notifications', () => {
  it('sends one data event per write and business events with increasing ControlNumber, retrying failures', async () => {
    s = await startFno();
    rx = await startReceiver(1);
    expect((await post('/_sandbox/events/subscriptions', { kind: 'data', url: rx.url, entitySets: ['CustomersV3'] })).status).toBe(201);
    expect((await post('/_sandbox/events/subscriptions', { kind: 'business', url: rx.url })).status).toBe(201);
    const US1 = "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='US-001')";
    expect((await call(s, US1, { method: 'PATCH', body: JSON.stringify({ CreditLimit: 70000 }) })).status).toBe(204);
    expect((await call(s, US1, { method: 'PATCH', body: JSON.stringify({ CreditLimit: 80000 }) })).status).toBe(204);
    expect((await post('/_sandbox/records/CustomersV3', { dataAreaId: 'usmf', CustomerAccount: 'US-001', PrimaryContactPhone: '+1 555' })).status).toBe(200);
    await rx.waitFor(6);
    await new Promise((r) => setTimeout(r, 100));
    expect(rx.bodies).toHaveLength(6);
    const data = (rx.bodies as Record<string, unknown>[]).filter((b) => b.MessageName !== undefined);
    const biz = rx.bodies.filter((b) => (b as Record<string, unknown>).BusinessEventId !== undefined) as Record<string, number | string>[];
    expect(data.map((d) => d.MessageName)).toEqual(['Update', 'Update', 'Update']);
    expect(data[0]).toMatchObject({ PrimaryEntityName: 'CustomersV3', Mode: 1, Stage: 40 });
    const target = (data[1].InputParameters as { key: string; value: { Attributes: { key: string; value: unknown }[] } }[])[0].value;
    expect(target.Attributes).toEqual(expect.arrayContaining([{ key: 'CreditLimit', value: 80000 }, { key: 'CustomerAccount', value: 'US-001' }]));
    const numbers = biz.map((b) => Number(b.ControlNumber));
    expect(numbers).toHaveLength(3);
    expect(numbers[1]).toBeGreaterThan(numbers[0]);
    expect(numbers[2]).toBeGreaterThan(numbers[1]);
    expect(Object.keys(biz[0])).toEqual(expect.arrayContaining(['BusinessEventId', 'BusinessEventLegalEntity', 'ControlNumber', 'EventId', 'EventTime', 'EventTimeIso8601', 'InitiatingUserAADObjectId', 'MajorVersion', 'MinorVersion']));
    expect(String(biz[0].EventTime)).toMatch(/^\/Date\(\d+\)\/$/);
    const stats = await (await fetch(`${s.url}/_sandbox/stats`)).json() as { events: { failedAttempts: number; delivered: number } };
    expect(stats.events).toMatchObject({ delivered: 6, failedAttempts: 1 });
  });

  it('delivers several records at once, each record in order', async () => {
    s = await startFno();
    rx = await startReceiver(0, 30);
    await post('/_sandbox/events/subscriptions', { kind: 'data', url: rx.url, entitySets: ['CustomersV3'] });
    const accounts = ['US-001', 'US-002', 'US-003', 'US-004', 'US-005', 'US-006'];
    for (let k = 1; k <= 3; k++) {
      for (const a of accounts) await post('/_sandbox/records/CustomersV3', { dataAreaId: 'usmf', CustomerAccount: a, CreditLimit: 1000 * k });
    }
    await rx.waitFor(accounts.length * 3);
    expect(rx.maxConcurrent).toBeGreaterThan(1);
    const attr = (b: unknown, name: string) => ((b as { InputParameters: { value: { Attributes: { key: string; value: unknown }[] } }[] }).InputParameters[0].value.Attributes.find((x) => x.key === name)?.value);
    for (const a of accounts) {
      expect(rx.bodies.filter((b) => attr(b, 'CustomerAccount') === a).map((b) => attr(b, 'CreditLimit'))).toEqual([1000, 2000, 3000]);
    }
  });

  it('sends nothing for a rolled-back changeset or a rejected write', async () => {
    s = await startFno();
    rx = await startReceiver();
    await post('/_sandbox/events/subscriptions', { kind: 'data', url: rx.url });
    const res = await call(s, '/data/CustomersV3', { method: 'POST', body: JSON.stringify({ CustomerAccount: 'US-X', CustomerGroupId: 'Local' }) });
    expect(res.status).toBe(400);
    await new Promise((r) => setTimeout(r, 150));
    expect(rx.bodies).toHaveLength(0);
  });
});
