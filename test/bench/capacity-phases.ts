// The capacity phases: the live ceiling (the same
// per-edit work with no bridge), the highest sustained live rate (step search), and on PostgreSQL the CPU per
// record of two instances against one plus what the store shows about double processing.
import pg from 'pg';
import { cpuSecondsOf } from './cpu';
import { runLiveCeiling } from './live-ceiling';
import { directionLabel as label, runLive, type Direction, type EditTarget, type Probe } from './live-sync';
import type { CapacityFigures, MaxLive, StoreCheck } from './capacity-summary';
import type { BenchResults } from './report';
import type { BenchOptions } from './options';
import { stepSearch, type StepPlan } from './step-search';
import { CUSTOMER_MAP, listAccounts, type BridgeProc, type SandboxProc } from './world';

/** The bridge's own default per-service concurrency (FNO_CONCURRENCY, DATAVERSE_CONCURRENCY, SYNC_CONCURRENCY: 16 each; the services allow 52). */
export const LIVE_CEILING_CONCURRENCY = 16;

const DIRS: Direction[] = ['fno_to_dataverse', 'dataverse_to_fno'];
/** The records each direction edits, as the fixed-rate live phases pick them: usmf one way, nlmf and semf the other. */
const targetsFor = async (sb: SandboxProc, d: Direction): Promise<EditTarget[]> => {
  const companies = d === 'fno_to_dataverse' ? ['usmf'] : ['nlmf', 'semf'];
  return (await listAccounts(sb, 1_000_000)).filter((a) => companies.includes(a.company)).slice(0, 4000);
};
const empty = (): CapacityFigures => ({ liveCeiling: null, maxLive: null });

export async function liveCeilingPhase(o: BenchOptions, sb: SandboxProc, r: BenchResults, log: (s: string) => void): Promise<void> {
  const nf = (r.capacity ??= empty());
  const seconds = o.quick ? 10 : 30;
  for (const d of DIRS) {
    const targets = await targetsFor(sb, d);
    log(`live ceiling ${label(d)}: source GET + target PATCH per edit, no bridge, closed loop, ${LIVE_CEILING_CONCURRENCY} in flight, ${seconds} s over ${targets.length} customers`);
    const c = await runLiveCeiling({ direction: d, fnoUrl: sb.urls.fno, dataverseUrl: sb.urls.dataverse, fnoToken: sb.tokens.fno, dvToken: sb.tokens.dv, targets, concurrency: LIVE_CEILING_CONCURRENCY, seconds });
    if (d === 'fno_to_dataverse') nf.liveCeiling = c; else nf.liveCeilingBack = c;
    log(`  ${c.edits} edits, ${c.perSec}/s, ${c.failures} failed; pair p50 ${c.pairMs.p50} p99 ${c.pairMs.p99} ms (read p50 ${c.readMs.p50}, write p50 ${c.writeMs.p50})`);
  }
}

/**
 * Waits until the bridge has worked off what came before: one sentinel edit (a fresh marker on one record),
 * waited for up to 60 s. Claims go in order of arrival, so when it arrives the backlog ahead of it is done.
 */
async function settle(probe: Probe, sb: SandboxProc, d: Direction, target: EditTarget, marker: number): Promise<boolean> {
  const l = await runLive(probe, {
    direction: d, rate: 1, seconds: 1, targets: [target], fnoUrl: sb.urls.fno, dataverseUrl: sb.urls.dataverse, dvUserToken: sb.tokens.controllerDv,
    markerBase: marker, drainMs: 60_000,
  });
  return l.arrived === 1;
}

/** Step search, each direction, for the highest rate with every edit arrived and p99 < 1 s; run with the bridge up and synced. */
export async function maxLivePhase(o: BenchOptions, sb: SandboxProc, probe: Probe, r: BenchResults, log: (s: string) => void): Promise<void> {
  const nf = (r.capacity ??= empty());
  for (const [k, d] of DIRS.entries()) {
    const ceiling = (d === 'fno_to_dataverse' ? nf.liveCeiling : nf.liveCeilingBack)?.perSec ?? 0;
    const start = ceiling > 0 ? ceiling * 0.5 : o.rate;
    const plan: StepPlan = { start, up: 1.4, down: 0.6, resolution: 0.15, maxSteps: o.quick ? 5 : 7, minRate: 10, maxRate: Math.max(2 * ceiling, 2 * o.rate) };
    const windowSeconds = o.quick ? 10 : 20;
    const targets = await targetsFor(sb, d);
    if (!targets.length) throw new Error(`no accounts to edit ${label(d)}`);
    const m: MaxLive = { direction: d, plan, windowSeconds, steps: [], maxRate: null };
    if (d === 'fno_to_dataverse') nf.maxLive = m; else nf.maxLiveBack = m;
    const sentinel = targets[targets.length - 1];
    const base = 40_000_000 + k * 10_000_000;
    const res = await stepSearch(plan, async (rate, i) => {
      if (!(await settle(probe, sb, d, sentinel, base + 9_000_000 + i))) log('  the sentinel edit did not arrive within 60 s: the bridge is still behind');
      log(`max live rate ${label(d)}: step ${i + 1} at ${rate}/s for ${windowSeconds} s`);
      const l = await runLive(probe, {
        direction: d, rate, seconds: windowSeconds, targets, fnoUrl: sb.urls.fno, dataverseUrl: sb.urls.dataverse, dvUserToken: sb.tokens.controllerDv,
        markerBase: base + i * 1_000_000, drainMs: 5_000,
      });
      log(`  sent ${l.sent} at ${l.achievedSendPerSec}/s, arrived ${l.arrived}, p50 ${l.latencyMs.p50} p99 ${l.latencyMs.p99} ms`);
      return l;
    });
    m.steps = res.steps.map((s) => ({
      rate: s.rate, ok: s.ok, sent: s.sent, arrived: s.arrived, sendFailures: s.sendFailures, lateStarts: s.lateStarts,
      achievedSendPerSec: s.achievedSendPerSec, arrivedPerSec: s.arrivedPerSec, latencyMs: s.latencyMs,
    }));
    m.maxRate = res.maxRate;
    log(`  highest passing rate ${label(d)}: ${res.maxRate ?? 'none'}/s${res.maxRate && ceiling ? ` (${Math.round((res.maxRate / ceiling) * 100)}% of the live ceiling)` : ''}`);
  }
}

export const cpuOf = (bridges: BridgeProc[]) => bridges.map((b) => cpuSecondsOf(b.child.pid));

/** Counts in the PostgreSQL store and in Dataverse that would show a record or job handled twice. */
export async function storeCheck(sb: SandboxProc, databaseUrl: string, records: number): Promise<StoreCheck> {
  const accounts = await listAccounts(sb, 10_000_000);
  const seen = new Set<string>();
  let dup = 0;
  for (const a of accounts) { const k = `${a.company}|${a.customerAccount.toLowerCase()}`; if (seen.has(k)) dup++; else seen.add(k); }
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const one = async (text: string) => Number(Object.values((await c.query(text, [CUSTOMER_MAP])).rows[0] ?? { n: 0 })[0] ?? 0);
    const states = await c.query<{ state: string; n: string }>('select state, count(*) as n from sync_jobs where map_name = $1 group by state', [CUSTOMER_MAP]);
    const maps = await c.query<{ processed: number; written: number }>('select processed, written from sync_maps where name = $1', [CUSTOMER_MAP]);
    return {
      records, dataverseAccounts: accounts.length, duplicateAccounts: dup,
      links: await one('select count(*) from links where map_name = $1'),
      jobs: await one('select count(*) from sync_jobs where map_name = $1'),
      jobAttempts: await one('select coalesce(sum(attempts), 0) from sync_jobs where map_name = $1'),
      jobsByState: Object.fromEntries(states.rows.map((x) => [x.state, Number(x.n)])),
      events: await one('select count(*) from sync_events where map_name = $1'),
      processed: Number(maps.rows[0]?.processed ?? 0), written: Number(maps.rows[0]?.written ?? 0),
      initialFailures: await one('select count(*) from sync_initial_failures where map_name = $1'),
    };
  } finally {
    await c.end();
  }
}

