// Pure: what a run found, as the one-line summary the quick mode prints last, the goals with their
// verdicts, and a readable report. Input is the full result object the harness writes to bench-results/.
import type { BundleResult } from './bundles';
import type { LiveResult } from './live-sync';
import type { LoadResult } from './protocol';
import type { BenchOptions } from './options';
import type { InitialSyncResult } from './world';
import { formatSweep, type SweepResult } from './sweep-phase';
import { formatLimited, type LimitedResult } from './limited-sync';
import { capacityReportLines, capacitySummary, type CapacityFigures, type StoreCheck } from './capacity-summary';

export interface StoreRun {
  store: 'sqlite' | 'postgres';
  instances: number;
  initialSync: InitialSyncResult | null;
  live: LiveResult[];
  peakRssMb: number | null;
  /** utime+stime of each bridge process over the initial sync (PostgreSQL runs: pgX2CpuShare). */
  initialSyncCpuSec?: number[] | null;
  /** Counts that would show a record or job handled twice (PostgreSQL runs). */
  storeCheck?: StoreCheck | null;
}

export interface BenchResults {
  startedAt: string;
  finishedAt?: string;
  options: BenchOptions;
  machine: { nproc: number; memGb: number; node: string; loadBefore: number[]; loadAfter?: number[]; bridgeEntry: string };
  sandbox: { customers: number; organisations: number; startMs: number } | null;
  ceiling: { records: number; ms: number; perSec: number; readMs: number; failures: number } | null;
  readApi: { accounts: number; uncached: LoadResult; cached: LoadResult; direct: LoadResult; paced?: { rate: number; bridge: LoadResult; direct: LoadResult }; peakRssMb: number | null } | null;
  runs: StoreRun[];
  bundles: BundleResult | null;
  problems: string[];
  /** Issue 20 (sweep-phase.ts, limited-sync.ts). */
  sweep?: SweepResult | null;
  limited?: LimitedResult | null;
  /** Live ceiling and highest sustained live rate (capacity-phases.ts). */
  capacity?: CapacityFigures;
}

export interface QuickSummary {
  initialSync: { records: number | null; perSec: number | null; ceilingPerSec: number | null };
  liveSync: { perSec: number | null; p50Ms: number | null; p99Ms: number | null };
  readApi: { rps: number | null; p99Ms: number | null; directP99Ms: number | null };
  rssMb: number | null;
  bundlesKb: Record<string, number>;
  /** Plain read time / sweep time, per side (goal >= 0.7 each). */
  sweepShare: { fno: number | null; dataverse: number | null };
  /** Initial sync at the real limits as a share of the rate they allow, by application users. */
  limitedInitialShare: Record<string, number | null>;
}

/** The last line of a run: the figures above and the capacity keys (capacity-summary.ts). */
export type QuickSummaryLine = QuickSummary & ReturnType<typeof capacitySummary>;

const num = (n: number | null | undefined): number | null => (typeof n === 'number' && Number.isFinite(n) ? n : null);

/** The single-instance SQLite run: the default deployment, and the one the goals are stated for. */
export function mainRun(r: BenchResults): StoreRun | undefined {
  return r.runs.find((x) => x.store === 'sqlite' && x.instances === 1);
}

/** Live sync of a run over both directions: the worse direction's figures (a goal must hold both ways). */
export function liveOf(run: StoreRun | undefined): QuickSummary['liveSync'] {
  const ok = (run?.live ?? []).filter((l) => l.arrived > 0);
  if (!ok.length) return { perSec: null, p50Ms: null, p99Ms: null };
  return {
    perSec: Math.min(...ok.map((l) => l.arrivedPerSec)),
    p50Ms: Math.max(...ok.map((l) => l.latencyMs.p50)),
    p99Ms: Math.max(...ok.map((l) => l.latencyMs.p99)),
  };
}

export function peakRss(r: BenchResults): number | null {
  const all = [r.readApi?.peakRssMb, ...r.runs.map((x) => x.peakRssMb)].filter((n): n is number => typeof n === 'number');
  return all.length ? Math.max(...all) : null;
}

export function quickSummary(r: BenchResults): QuickSummaryLine {
  const run = mainRun(r);
  const is = run?.initialSync?.available ? run.initialSync : null;
  return {
    initialSync: { records: num(is?.records), perSec: num(is?.perSec), ceilingPerSec: num(r.ceiling?.perSec) },
    liveSync: liveOf(run),
    // rps: the cached read at saturation; p99: the same read at a fixed rate below saturation (what the bridge
    // adds per request), beside the direct read at that rate. Without a paced run, the saturated figures.
    readApi: {
      rps: num(r.readApi?.cached.rps),
      p99Ms: num(r.readApi?.paced?.bridge.latencyMs.p99 ?? r.readApi?.cached.latencyMs.p99),
      directP99Ms: num(r.readApi?.paced?.direct.latencyMs.p99 ?? r.readApi?.direct.latencyMs.p99),
    },
    rssMb: peakRss(r),
    bundlesKb: r.bundles?.kb ?? {},
    sweepShare: { fno: r.sweep?.share.fno ?? null, dataverse: r.sweep?.share.dataverse ?? null },
    limitedInitialShare: Object.fromEntries((r.limited?.runs ?? []).map((x) => [`users${x.users}`, x.share])),
    ...capacitySummary(r),
  };
}

/** The lower of the two sides' sweep shares (the goal must hold on both). */
export function lowerShare(s: QuickSummary['sweepShare']): number | null {
  const xs = [s.fno, s.dataverse].filter((n): n is number => typeof n === 'number');
  return xs.length ? Math.min(...xs) : null;
}

export interface GoalVerdict { goal: string; measured: string; met: boolean | null }

export function goals(r: BenchResults): GoalVerdict[] {
  const q = quickSummary(r);
  const v = (goal: string, measured: number | null, unit: string, test: (n: number) => boolean): GoalVerdict =>
    ({ goal, measured: measured === null ? 'not measured' : `${measured} ${unit}`, met: measured === null ? null : test(measured) });
  const share = q.initialSync.perSec !== null && q.initialSync.ceilingPerSec ? Math.round((q.initialSync.perSec / q.initialSync.ceilingPerSec) * 100) : null;
  const added = q.readApi.p99Ms !== null && q.readApi.directP99Ms !== null ? Math.round((q.readApi.p99Ms - q.readApi.directP99Ms) * 100) / 100 : null;
  const rateHeld = q.liveSync.perSec !== null && q.liveSync.perSec >= 0.95 * r.options.rate;
  return [
    v('initial sync >= 2,000 records/s', q.initialSync.perSec, 'records/s', (n) => n >= 2000),
    v('initial sync >= 70% of the sandbox ceiling', share, '% of ceiling', (n) => n >= 70),
    { ...v(`live sync p99 <= 250 ms at ${r.options.rate} edits/s`, q.liveSync.p99Ms, 'ms', (n) => n <= 250), ...(q.liveSync.p99Ms !== null && !rateHeld ? { met: false } : {}) },
    v('read path adds <= 5 ms at p99 over direct', added, 'ms added', (n) => n <= 5),
    v('bridge RSS <= 200 MB under load', q.rssMb, 'MB', (n) => n <= 200),
    ...(r.sweep ? [v('sweep >= 70% of a plain read of the same rows (the lower side)', lowerShare(q.sweepShare), 'share', (n) => n >= 0.7)] : []),
  ];
}

const f = (n: number | null | undefined, d = 1) => (typeof n === 'number' && Number.isFinite(n) ? n.toFixed(d) : '-');

export function formatReport(r: BenchResults): string {
  const lines: string[] = [];
  const m = r.machine;
  lines.push(`FinOps Bridge benchmark (${r.options.quick ? 'quick' : 'full'}), ${m.nproc} cores, ${m.memGb} GB, node ${m.node}, load before ${m.loadBefore.map((x) => x.toFixed(2)).join(' ')}${m.loadAfter ? `, after ${m.loadAfter.map((x) => x.toFixed(2)).join(' ')}` : ''}; bridge: ${m.bridgeEntry}`);
  if (r.sandbox) lines.push(`sandbox: ${r.sandbox.customers} customers (${r.sandbox.organisations} organisations), started in ${f(r.sandbox.startMs / 1000)} s`);
  if (r.ceiling) lines.push(`ceiling (direct, same batching): ${r.ceiling.records} records in ${f(r.ceiling.ms / 1000)} s = ${f(r.ceiling.perSec)} records/s (reads ${f(r.ceiling.readMs / 1000)} s, ${r.ceiling.failures} failed parts)`);
  for (const run of r.runs) {
    const label = `${run.store} x${run.instances}`;
    const is = run.initialSync;
    if (is) lines.push(`${label} initial sync: ${is.available ? `${is.records} records in ${f(is.ms / 1000)} s = ${f(is.perSec)} records/s${r.ceiling ? ` (${f((is.perSec / r.ceiling.perSec) * 100, 0)}% of ceiling)` : ''}, ${is.failed} failed, state ${is.state}${is.lastError ? `, error: ${is.lastError}` : ''}` : `unavailable (${is.note})`}`);
    for (const l of run.live) {
      lines.push(`${label} live ${l.direction}: ${l.sent} edits at ${f(l.achievedSendPerSec)}/s (asked ${l.rate}/s, ${l.lateStarts} late starts), arrived ${l.arrived} (${l.lost} lost, ${l.sendFailures} failed), ${f(l.arrivedPerSec)}/s; latency p50 ${f(l.latencyMs.p50)} p95 ${f(l.latencyMs.p95)} p99 ${f(l.latencyMs.p99)} max ${f(l.latencyMs.max)} ms (source write p50 ${f(l.sourceWriteMs.p50)} ms)`);
    }
    lines.push(`${label} bridge peak RSS: ${f(run.peakRssMb)} MB`);
  }
  if (r.readApi) {
    const a = r.readApi;
    const row = (name: string, x: LoadResult) => `read ${name}: ${x.rps} rps, p50 ${f(x.latencyMs.p50)} p99 ${f(x.latencyMs.p99)} ms, ${x.requests} requests, ${x.non2xx} non-2xx, ${x.errors} errors`;
    lines.push(row('bridge uncached (first read of each account)', a.uncached), row('bridge cached (link known)', a.cached), row('direct (same requests, no bridge)', a.direct));
    if (a.paced) lines.push(row(`bridge cached at ${a.paced.rate}/s (open loop)`, a.paced.bridge), row(`direct at ${a.paced.rate}/s (open loop, same client)`, a.paced.direct));
    lines.push(`read peak RSS: ${f(a.peakRssMb)} MB over ${a.accounts} accounts`);
  }
  if (r.sweep) lines.push(...formatSweep(r.sweep));
  if (r.limited) lines.push(...formatLimited(r.limited));
  if (r.bundles) lines.push(`bundles (${r.bundles.built ? `built in ${f(r.bundles.buildMs / 1000)} s` : r.bundles.note ?? 'not built'}): ${Object.entries(r.bundles.kb).map(([k, v]) => `${k} ${f(v)} KB`).join(', ') || '-'}`);
  lines.push(...capacityReportLines(r));
  lines.push('goals:');
  for (const g of goals(r)) lines.push(`  [${g.met === null ? ' ? ' : g.met ? 'met' : 'MISSED'}] ${g.goal}: ${g.measured}`);
  for (const p of r.problems) lines.push(`problem: ${p}`);
  return lines.join('\n');
}
