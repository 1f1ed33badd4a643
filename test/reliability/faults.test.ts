// Faults: F&O answering 429/500/503 and timing out on about a third of requests while Dataverse fails
// or throttles every few requests, with edits on both sides meanwhile. Once the faults stop, every
// change has arrived, in order per record, and nothing was written twice (F&O's own data events show
// every value it held). Then each service down for a while: changes queue, the admin API, the record
// status and /ready say so, and everything catches up afterwards.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Sandbox } from '@finops-bridge/sandbox';
import {
  MAP, bridgeGet, customersOf, eventually, recordFnoEvents, sandboxApi, sleep, startBridge, startWorld,
  type Bridge, type FnoEventRecorder, type SandboxApi,
} from './support/world';
import { outage } from './support/outage';

let sb: Sandbox;
let bridge: Bridge;
let api: SandboxApi;
let recorder: FnoEventRecorder;
let NL: { account: string; id: string }[];

beforeAll(async () => {
  sb = await startWorld(80);
  bridge = await startBridge(sb);
  api = sandboxApi(sb);
  recorder = await recordFnoEvents(sb);
  NL = await customersOf(api, 'NL-');
  expect(NL.length).toBeGreaterThanOrEqual(16);
  // The bridge registers its F&O subscription when it starts listening (ours is the other one).
  await eventually(async () => ((await (await fetch(`${sb.urls.fno}/_sandbox/events/subscriptions`)).json()) as { value: unknown[] }).value.length >= 2);
}, 60_000);

afterAll(async () => {
  await api?.clearFaults().catch(() => undefined);
  await bridge?.close();
  await recorder?.close();
  await sb?.close();
});

const phone = (i: number, k: number) => `+31 20 555 ${String(i).padStart(2, '0')}${k}`;
const limit = (i: number, k: number) => 10_000 * k + i;
const ROUNDS = 3;

describe('a third of requests failing for a while', () => {
  it('every change arrives once the faults stop, in order per record, nothing written twice', async () => {
    const toFno = NL.slice(0, 5);
    const toDv = NL.slice(5, 10);
    await bridge.sync.engine().worker.idle(10_000);

    await api.fnoFaults({ errorRates: { 429: 0.11, 500: 0.11, 503: 0.11 }, timeoutRate: 0.1, timeoutSeconds: 1 });
    const dvFaultKinds = [{ failNext: { count: 1, status: 503 } }, { failNext: { count: 1, status: 500 } }, { throttleNext: { count: 1, retryAfterSeconds: 1 } }];
    let n = 0;
    const toggler = setInterval(() => void api.dvFaults(dvFaultKinds[n++ % 3]).catch(() => undefined), 60);
    try {
      for (let k = 1; k <= ROUNDS; k++) {
        await Promise.all([
          ...toFno.map((r, i) => api.dvEdit(r.id, { telephone1: phone(i, k) })),
          ...toDv.map((r, i) => api.fnoEdit({ dataAreaId: 'nlmf', CustomerAccount: r.account, CreditLimit: limit(i, k) })),
        ]);
        await sleep(300);
      }
      await sleep(2500);
      // The faults really happened: the bridge has retried.
      const { maps } = await bridgeGet<{ maps: { name: string; counters: { failed: number } }[] }>(bridge, sb, 'admin', '/admin/maps');
      expect(maps.find((m) => m.name === MAP)!.counters.failed).toBeGreaterThan(0);
    } finally {
      clearInterval(toggler);
      await api.clearFaults();
    }

    const missing = async () => {
      const out: string[] = [];
      for (const [i, r] of toFno.entries()) {
        const v = (await api.fnoCustomer('nlmf', r.account)).PrimaryContactPhone;
        if (v !== phone(i, ROUNDS)) out.push(`F&O ${r.account} phone ${String(v)} != ${phone(i, ROUNDS)}`);
      }
      for (const [i, r] of toDv.entries()) {
        const v = Number((await api.dvRow('accounts', r.id)).creditlimit);
        if (v !== limit(i, ROUNDS)) out.push(`Dataverse ${r.account} creditlimit ${v} != ${limit(i, ROUNDS)}`);
      }
      return out;
    };
    const left = await eventually(async () => ((await missing()).length === 0 ? [] : null), 20_000, 200).catch(() => missing());
    if (left.length) {
      const db = bridge.sync.engine().db;
      const dvPhones = await Promise.all(toFno.map(async (r) => [r.account, r.id, (await api.dvRow('accounts', r.id)).telephone1]));
      console.log(JSON.stringify({ left, dvPhones, fnoPhones: [...recorder.values('PrimaryContactPhone')], links: await db.selectFrom('links').selectAll().execute(), conflicts: await db.selectFrom('sync_conflicts').selectAll().execute(), jobs: await db.selectFrom('sync_jobs').selectAll().execute(), events: await db.selectFrom('sync_events').select(['seq', 'side', 'record_key', 'message', 'dedupe_key', 'received_at']).execute() }, null, 1));
    }
    expect(left).toEqual([]);
    await bridge.sync.engine().worker.idle(15_000);
    await sleep(300);

    // In order, once: the phone values F&O held, per record, only move forward and never repeat.
    const phones = recorder.values('PrimaryContactPhone');
    for (const [i, r] of toFno.entries()) {
      const seen = (phones.get(r.account) ?? []).map(String);
      const rounds = seen.map((v) => Number(v.slice(-1)));
      expect({ account: r.account, seen }).toEqual({ account: r.account, seen: expect.arrayContaining([phone(i, ROUNDS)]) });
      expect(rounds).toEqual([...rounds].sort((a, b) => a - b));
      expect(new Set(seen).size).toBe(seen.length);
    }
    // No echo: the credit limits F&O held are exactly its users' own edits (the bridge never wrote them back).
    const limits = recorder.values('CreditLimit');
    for (const [i, r] of toDv.entries()) {
      expect((limits.get(r.account) ?? []).map(Number)).toEqual(Array.from({ length: ROUNDS }, (_, k) => limit(i, k + 1)));
    }
    const errors = await bridgeGet<{ errors: unknown[] }>(bridge, sb, 'admin', '/admin/errors');
    expect(errors.errors).toEqual([]);
  }, 60_000);
});

describe('a service down for a while (short window here; the slow suite holds it for a minute)', () => {
  it('F&O down: changes queue, admin API, record status and /ready say so, then everything catches up', async () => {
    await outage({ sb, bridge, api, side: 'fno', downMs: 3000, records: NL.slice(10, 13) });
  }, 60_000);

  it('Dataverse down: changes queue, admin API and /ready say so, then everything catches up', async () => {
    await outage({ sb, bridge, api, side: 'dataverse', downMs: 3000, records: NL.slice(13, 16) });
  }, 60_000);
});
