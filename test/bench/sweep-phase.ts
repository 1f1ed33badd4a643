// Issue 20, figure 1: the reconciliation sweep of unchanged rows, per side, as a share of a plain read of the same
// pages. The bridge has no way to run one sweep on demand (no admin route, no CLI): the sweep runs on its timer,
// SYNC_SWEEP_SECONDS. So this phase starts a bridge with a short interval, runs the initial sync (every row linked
// and unchanged), waits for the queue to drain, and then waits for the first sweep that STARTED after that: the map's
// `lastSweepAt` (GET /api/v1/admin/maps) is set, when a sweep of the map finishes, to the time it started, so its
// start is exact and its end is when a poll (every 20 ms) first sees the new value. The first sweep of a map only
// starts the clock (it reads nothing), so the phase waits for a change from a value that was already set.
// Per side: the sweep reads Dataverse first, then F&O, one after the other; the sandbox process records the requests
// (request-spans.ts), and each side's time runs from its first request until the other side's first request (or the
// sweep's end), so the bridge's own work on each side's rows counts for that side. The bridge is then stopped and the
// load process reads the very same pages straight from the sandbox (plain-read.ts).
import path from 'node:path';
import { call, expectStatus } from './http';
import type { PagesJob, PagesResult } from './plain-read';
import { LOAD_RESULT } from './protocol';
import { repoRoot, spawnNode } from './procs';
import type { Span } from './request-spans';
import { shareOf } from './stats';
import { CUSTOMER_MAP, resetSandbox, runInitialSync, startBridgeProc, waitRegistered, type SandboxProc } from './world';

export type Side = 'fno' | 'dataverse';

/** ms: the side's share of the sweep; busyMs: the sum of its requests' times at the sandbox (what service protection counts as execution). */
export interface SideTiming { ms: number; requests: number; busyMs: number; firstStart: number }

export interface SweepResult {
  intervalSeconds: number;
  initialSync: { records: number; ms: number; state?: string };
  /** Whole sweep, start (its lastSweepAt) to the first poll that saw it done. */
  sweepMs: number;
  pollMs: number;
  pendingAfter: number;
  sides: Record<Side, SideTiming | null>;
  plain: PagesResult['sides'];
  /** plain read ms / sweep side ms. */
  share: Record<Side, number | null>;
}

const FNO_PREFIX = '/data/CustomersV3';
const DV_PREFIX = '/api/data/v9.2/accounts';

export function sideOf(s: Pick<Span, 'method' | 'url'>): Side | null {
  if (s.method !== 'GET') return null;
  if (s.url.startsWith(FNO_PREFIX)) return 'fno';
  if (s.url.startsWith(DV_PREFIX)) return 'dataverse';
  return null;
}

/**
 * Pure: each side's share of one sweep from the requests it sent. The side read first runs from its first request
 * (or the sweep's start, if earlier work counts) until the other side's first request; the side read last from its
 * first request until the sweep's end.
 */
export function sideTimes(spans: readonly Span[], sweepStart: number, sweepEnd: number): Record<Side, SideTiming | null> {
  const inSweep = spans.filter((s) => s.start >= sweepStart && s.end <= sweepEnd + 1);
  const by = (side: Side) => inSweep.filter((s) => sideOf(s) === side).sort((a, b) => a.start - b.start);
  const f = by('fno');
  const d = by('dataverse');
  const order = ([['fno', f], ['dataverse', d]] as const).filter(([, list]) => list.length > 0).sort((a, b) => a[1][0].start - b[1][0].start);
  const out: Record<Side, SideTiming | null> = { fno: null, dataverse: null };
  order.forEach(([side, list], i) => {
    const from = i === 0 ? sweepStart : list[0].start;
    const to = i + 1 < order.length ? order[i + 1][1][0].start : sweepEnd;
    out[side] = { ms: to - from, requests: list.length, busyMs: list.reduce((n, x) => n + (x.end - x.start), 0), firstStart: list[0].start };
  });
  return out;
}

/** Pure: the plain read's share of the sweep per side (plain ms / sweep ms). */
export function sweepShares(sides: Record<Side, SideTiming | null>, plain: PagesResult['sides']): Record<Side, number | null> {
  const ms = (name: Side) => plain.find((p) => p.name === name)?.ms;
  return { fno: shareOf(ms('fno'), sides.fno?.ms), dataverse: shareOf(ms('dataverse'), sides.dataverse?.ms) };
}

type MapRow = { name: string; lastSweepAt: string | null; pending: number; state: string };

async function mapRow(sb: SandboxProc, bridgeUrl: string): Promise<MapRow> {
  const a = await expectStatus<{ maps: MapRow[] }>({ url: `${bridgeUrl}/api/v1/admin/maps`, token: sb.tokens.admin });
  const row = a.body.maps.find((m) => m.name === CUSTOMER_MAP);
  if (!row) throw new Error(`GET /api/v1/admin/maps has no ${CUSTOMER_MAP}`);
  return row;
}

async function plainRead(job: PagesJob, logDir: string): Promise<PagesResult> {
  const file = path.join(logDir, 'sweep-plain.job.json');
  (await import('node:fs')).writeFileSync(file, JSON.stringify(job));
  const child = spawnNode({
    name: 'load-sweep-plain', entry: 'test/bench/load-process.ts', cwd: repoRoot, env: { BENCH_LOAD_JOB_FILE: file },
    readyPattern: new RegExp(`^${LOAD_RESULT} `), readyTimeoutMs: 600_000, logFile: path.join(logDir, 'load-sweep-plain.log'),
  });
  const line = await child.ready;
  await child.stop();
  return JSON.parse(line.slice(LOAD_RESULT.length + 1)) as PagesResult;
}

export async function runSweepPhase(sb: SandboxProc, logDir: string, o: { intervalSeconds: number; timeoutMs: number; log: (s: string) => void }): Promise<SweepResult> {
  const spansUrl = sb.urls.spans;
  if (!spansUrl) throw new Error('the sandbox process has no request recorder');
  await resetSandbox(sb);
  const bridge = await startBridgeProc(sb, { name: 'bridge-sweep', logDir, env: { SYNC_SWEEP_SECONDS: String(o.intervalSeconds) } });
  let sweepStart = 0;
  let sweepEnd = 0;
  let pendingAfter = 0;
  let spans: Span[] = [];
  let is;
  const pollMs = 20;
  try {
    if (!(await waitRegistered(sb, bridge.url))) throw new Error('the bridge did not register its webhooks within 60 s');
    is = await runInitialSync(sb, bridge.url, o.timeoutMs);
    if (is.state !== 'done') throw new Error(`initial sync ended ${is.state}: ${is.lastError ?? ''}`);
    const until = Date.now() + o.timeoutMs;
    while ((await mapRow(sb, bridge.url)).pending > 0) {
      if (Date.now() > until) throw new Error('the queue did not drain after the initial sync');
      await new Promise((r) => setTimeout(r, 100));
    }
    const idleAt = Date.now();
    await expectStatus({ method: 'POST', url: `${spansUrl}/start` });
    o.log(`  initial sync ${is.records} records; queue empty; waiting for a sweep that starts after it (SYNC_SWEEP_SECONDS=${o.intervalSeconds})`);
    let prev = (await mapRow(sb, bridge.url)).lastSweepAt;
    for (;;) {
      if (Date.now() > until) throw new Error('no complete sweep seen in time');
      const row = await mapRow(sb, bridge.url);
      if (row.lastSweepAt !== prev) {
        if (prev !== null && row.lastSweepAt !== null && Date.parse(row.lastSweepAt) >= idleAt) {
          sweepEnd = Date.now();
          sweepStart = Date.parse(row.lastSweepAt);
          pendingAfter = row.pending;
          break;
        }
        prev = row.lastSweepAt;
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
  } finally {
    await bridge.child.stop();
    await call({ method: 'POST', url: `${spansUrl}/stop` });
  }
  spans = (await expectStatus<Span[]>({ url: `${spansUrl}/spans` })).body;
  const sides = sideTimes(spans, sweepStart, sweepEnd);
  const pages = (side: Side) => spans.filter((s) => s.start >= sweepStart && s.end <= sweepEnd + 1 && sideOf(s) === side && s.status === 200)
    .sort((a, b) => a.start - b.start).map((s) => ({ url: s.url, ...(s.prefer ? { prefer: s.prefer } : {}) }));
  const origin = (u: string) => new URL(u).origin;
  const plain = (await plainRead({
    kind: 'pages',
    sides: [
      { name: 'dataverse', origin: origin(sb.urls.dataverse), token: sb.tokens.dv, requests: pages('dataverse') },
      { name: 'fno', origin: origin(sb.urls.fno), token: sb.tokens.fno, requests: pages('fno') },
    ],
  }, logDir)).sides;
  return {
    intervalSeconds: o.intervalSeconds, initialSync: { records: is.records, ms: is.ms, state: is.state },
    sweepMs: sweepEnd - sweepStart, pollMs, pendingAfter, sides, plain, share: sweepShares(sides, plain),
  };
}

export function formatSweep(s: SweepResult): string[] {
  const side = (name: Side) => {
    const t = s.sides[name];
    const p = s.plain.find((x) => x.name === name);
    return `sweep ${name}: ${t ? `${t.ms} ms, ${t.requests} requests (${t.busyMs} ms at the sandbox: within service protection's 6,000 requests and 1,200 s per 5 min)` : 'no requests seen'}; plain read of the same pages ${p ? `${p.ms} ms, ${p.requests} requests, ${p.rows} rows` : '-'}; share ${s.share[name] ?? '-'}`;
  };
  return [
    `sweep of unchanged rows after an initial sync of ${s.initialSync.records} (SYNC_SWEEP_SECONDS=${s.intervalSeconds}, end seen by polling every ${s.pollMs} ms): ${s.sweepMs} ms in all, ${s.pendingAfter} queued`,
    side('dataverse'), side('fno'),
  ];
}
