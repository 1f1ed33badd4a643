// Live sync latency: edits made at a steady rate on one side (open loop: the generator never waits for
// the system under test), timestamped when the other side has them. The other side tells us through its
// own notification channel: a probe webhook step on account in Dataverse, a probe data-event subscription
// on CustomersV3 in F&O, both pointing at a receiver in this process. Each edit writes a unique credit
// limit, which is how an arrival is matched to its edit.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { dvId, SDK_MESSAGE_IDS } from '../../sandbox/src/dataverse/seed';
import { call, expectStatus } from './http';
import { dueEdits, markerOf, probeChange } from './probe-events';
import { perSecond, summarize, type LatencySummary } from './stats';

export type Direction = 'fno_to_dataverse' | 'dataverse_to_fno';
export const directionLabel = (d: Direction): string => (d === 'fno_to_dataverse' ? 'F&O -> Dataverse' : 'Dataverse -> F&O');

export interface Probe {
  url: string;
  /** Arrival time (performance.now()) of each marker, by side. */
  arrivals: Map<string, number>;
  close(): Promise<void>;
}

const key = (side: 'fno' | 'dataverse', marker: number) => `${side}:${marker}`;

export async function startProbe(): Promise<Probe> {
  const arrivals = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const side = req.url?.startsWith('/probe/fno') ? 'fno' : 'dataverse';
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      res.writeHead(200).end();
      let body: unknown;
      try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { return; }
      const change = probeChange(body);
      const m = change ? markerOf(change, side) : null;
      if (m === null) return;
      const k = key(side, m);
      if (!arrivals.has(k)) arrivals.set(k, at);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, arrivals, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

/** Registers the probe in both sandboxes: a webhook step on account Update, and an F&O data-event subscription. */
export async function registerProbe(p: Probe, s: { fnoUrl: string; dataverseUrl: string; dvToken: string }): Promise<void> {
  const api = `${s.dataverseUrl}/api/data/v9.2`;
  const endpointId = randomUUID();
  await expectStatus({
    method: 'PATCH', url: `${api}/serviceendpoints(${endpointId})`, token: s.dvToken, headers: { 'If-None-Match': '*' },
    body: { name: 'benchmark probe', contract: 8, authtype: 5, messageformat: 2, url: `${p.url}/probe/dataverse`, authvalue: '<settings><setting name="x-probe" value="probe"/></settings>' },
  });
  await expectStatus({
    method: 'PATCH', url: `${api}/sdkmessageprocessingsteps(${randomUUID()})`, token: s.dvToken, headers: { 'If-None-Match': '*' },
    body: {
      name: 'benchmark probe: account Update', stage: 40, mode: 1, rank: 1, supporteddeployment: 0, asyncautodelete: true, filteringattributes: 'creditlimit',
      'sdkmessageid@odata.bind': `/sdkmessages(${SDK_MESSAGE_IDS.Update})`,
      'sdkmessagefilterid@odata.bind': `/sdkmessagefilters(${dvId('sdkmessagefilter', 'Update|account')})`,
      'eventhandler_serviceendpoint@odata.bind': `/serviceendpoints(${endpointId})`,
    },
  });
  await expectStatus({ method: 'POST', url: `${s.fnoUrl}/_sandbox/events/subscriptions`, body: { kind: 'data', url: `${p.url}/probe/fno`, entitySets: ['CustomersV3'] } });
}

export interface EditTarget {
  /** F&O key. */
  company: string;
  customerAccount: string;
  /** Dataverse accountid. */
  accountId: string;
}

export interface LiveOptions {
  direction: Direction;
  rate: number;
  seconds: number;
  targets: EditTarget[];
  fnoUrl: string;
  dataverseUrl: string;
  /** Token of a Dataverse user allowed to edit the targets (not the bridge's app: its writes are echoes). */
  dvUserToken: string;
  /** First marker; each edit uses the next one. */
  markerBase: number;
  /** How long to wait for stragglers after the last edit. */
  drainMs?: number;
  maxInFlight?: number;
}

export interface LiveResult {
  direction: Direction;
  rate: number;
  seconds: number;
  sent: number;
  sendFailures: number;
  arrived: number;
  lost: number;
  /** Edits whose start fell behind schedule by more than 100 ms (the generator could not keep the rate). */
  lateStarts: number;
  achievedSendPerSec: number;
  /** Arrivals per second over the time from the first edit to the last arrival. */
  arrivedPerSec: number;
  latencyMs: LatencySummary;
  /** Source write time (request sent until the source answered), for reference. */
  sourceWriteMs: LatencySummary;
}

export async function runLive(p: Probe, o: LiveOptions): Promise<LiveResult> {
  const total = Math.round(o.rate * o.seconds);
  const watched = o.direction === 'fno_to_dataverse' ? 'dataverse' : 'fno';
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const writes: number[] = [];
  let started = 0;
  let failures = 0;
  let late = 0;
  let inFlight = 0;
  const maxInFlight = o.maxInFlight ?? 512;
  const t0 = performance.now();
  const one = async (i: number) => {
    const marker = o.markerBase + i;
    const t = o.targets[i % o.targets.length];
    const k = key(watched, marker);
    const s = performance.now();
    sentAt.set(k, s);
    inFlight++;
    try {
      const a = o.direction === 'fno_to_dataverse'
        ? await call({ method: 'POST', url: `${o.fnoUrl}/_sandbox/records/CustomersV3`, body: { dataAreaId: t.company, CustomerAccount: t.customerAccount, CreditLimit: marker } })
        : await call({ method: 'PATCH', url: `${o.dataverseUrl}/api/data/v9.2/accounts(${t.accountId})`, token: o.dvUserToken, headers: { 'If-Match': '*' }, body: { telephone1: String(marker) } });
      writes.push(performance.now() - s);
      if (a.status >= 300) {
        failures++;
        sentAt.delete(k);
        if (failures <= 3) console.error(`  edit ${i} failed: HTTP ${a.status} ${a.text.slice(0, 200)}`);
        return;
      }
    } catch (e) {
      failures++;
      sentAt.delete(k);
      if (failures <= 3) console.error(`  edit ${i} failed: ${String(e)}`);
      return;
    } finally {
      inFlight--;
    }
  };
  const pending: Promise<void>[] = [];
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const due = dueEdits(now - t0, o.rate, total);
      while (started < due && inFlight < maxInFlight) {
        if (now - (t0 + (started * 1000) / o.rate) > 100) late++;
        pending.push(one(started++));
      }
      if (started >= total) return resolve();
      const nextAt = t0 + (started * 1000) / o.rate;
      setTimeout(tick, Math.max(0, Math.min(20, nextAt - performance.now())));
    };
    tick();
  });
  const sendMs = performance.now() - t0;
  await Promise.all(pending);
  const drainUntil = performance.now() + (o.drainMs ?? 30_000);
  while (performance.now() < drainUntil && [...sentAt.keys()].some((k) => !p.arrivals.has(k))) await new Promise((r) => setTimeout(r, 50));
  let lastArrival = t0;
  for (const [k, s] of sentAt) {
    const a = p.arrivals.get(k);
    if (a === undefined) continue;
    latencies.push(a - s);
    lastArrival = Math.max(lastArrival, a);
  }
  return {
    direction: o.direction, rate: o.rate, seconds: o.seconds, sent: sentAt.size, sendFailures: failures,
    arrived: latencies.length, lost: sentAt.size - latencies.length, lateStarts: late,
    achievedSendPerSec: perSecond(started, sendMs), arrivedPerSec: perSecond(latencies.length, lastArrival - t0),
    latencyMs: summarize(latencies), sourceWriteMs: summarize(writes),
  };
}
