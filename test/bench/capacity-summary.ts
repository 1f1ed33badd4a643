// Pure: the shapes of the capacity figures (live ceiling, highest sustained live rate, PostgreSQL CPU per record
// and store check), their keys in the quick summary line and their report lines.
import { cpuShare, perCpuSecond } from './cpu';
import { shareOf as share } from './stats';
import type { LiveCeilingResult } from './live-ceiling';
import { directionLabel, type LiveResult } from './live-sync';
import type { BenchResults } from './report';
import type { StepPlan } from './step-search';

export interface MaxLiveStep { rate: number; ok: boolean; sent: number; arrived: number; sendFailures: number; lateStarts: number; achievedSendPerSec: number; arrivedPerSec: number; latencyMs: LiveResult['latencyMs'] }

export interface MaxLive { direction: LiveResult['direction']; plan: StepPlan; windowSeconds: number; steps: MaxLiveStep[]; maxRate: number | null }

/** F&O -> Dataverse in liveCeiling / maxLive; Dataverse -> F&O in the ...Back fields. */
export interface CapacityFigures {
  liveCeiling: LiveCeilingResult | null;
  maxLive: MaxLive | null;
  liveCeilingBack?: LiveCeilingResult | null;
  maxLiveBack?: MaxLive | null;
}

export interface StoreCheck {
  /** Rows the initial sync reported done. */
  records: number;
  /** Accounts in Dataverse, and how many (company, account number) pairs appear more than once. */
  dataverseAccounts: number;
  duplicateAccounts: number;
  links: number;
  jobs: number;
  jobAttempts: number;
  jobsByState: Record<string, number>;
  events: number;
  processed: number;
  written: number;
  initialFailures: number;
}

/** Pure: no account twice in Dataverse, one link per record, no more jobs processed than events recorded. */
export function noDoubleProcessing(s: StoreCheck): boolean {
  return s.duplicateAccounts === 0 && s.links === s.dataverseAccounts && s.processed <= s.events;
}

/** Pure: the capacity keys of the quick summary line (unsuffixed: F&O -> Dataverse; DvToFno: Dataverse -> F&O). */
export function capacitySummary(r: BenchResults): {
  liveCeilingPerSec: number | null; maxLiveRate: number | null; maxLiveRateShareOfCeiling: number | null;
  liveCeilingDvToFnoPerSec: number | null; maxLiveRateDvToFno: number | null; maxLiveRateDvToFnoShareOfCeiling: number | null;
  pgX2CpuShare: number | null;
} {
  const nf = r.capacity;
  const ceiling = nf?.liveCeiling?.perSec ?? null;
  const max = nf?.maxLive?.maxRate ?? null;
  const ceilingBack = nf?.liveCeilingBack?.perSec ?? null;
  const maxBack = nf?.maxLiveBack?.maxRate ?? null;
  const pgRun = (n: number) => r.runs.find((x) => x.store === 'postgres' && x.instances === n);
  const x1 = pgRun(1);
  const x2 = pgRun(2);
  const rec = (x: (typeof r.runs)[number] | undefined) => (x?.initialSync?.available ? x.initialSync.records : 0);
  return {
    liveCeilingPerSec: ceiling, maxLiveRate: max, maxLiveRateShareOfCeiling: share(max, ceiling),
    liveCeilingDvToFnoPerSec: ceilingBack, maxLiveRateDvToFno: maxBack, maxLiveRateDvToFnoShareOfCeiling: share(maxBack, ceilingBack),
    pgX2CpuShare: x1 && x2 ? cpuShare({ records: rec(x1), cpuSec: x1.initialSyncCpuSec }, { records: rec(x2), cpuSec: x2.initialSyncCpuSec }) : null,
  };
}

/** Report lines for the capacity figures. */
export function capacityReportLines(r: BenchResults): string[] {
  const lines: string[] = [];
  const nf = r.capacity;
  for (const [c, m] of [[nf?.liveCeiling, nf?.maxLive], [nf?.liveCeilingBack, nf?.maxLiveBack]] as const) {
    if (c) lines.push(`live ceiling ${directionLabel(c.direction)} (source GET + target PATCH per edit, no bridge, ${c.concurrency} in flight, ${c.seconds} s): ${c.edits} edits = ${c.perSec}/s, ${c.failures} failed, pair p50 ${c.pairMs.p50} p99 ${c.pairMs.p99} ms`);
    if (!m) continue;
    for (const s of m.steps) lines.push(`max live rate ${directionLabel(m.direction)} step ${s.rate}/s: ${s.ok ? 'pass' : 'FAIL'}, sent ${s.sent} at ${s.achievedSendPerSec}/s, arrived ${s.arrived}, ${s.sendFailures} failed, p50 ${s.latencyMs.p50} p99 ${s.latencyMs.p99} ms`);
    lines.push(`max live rate ${directionLabel(m.direction)} (all arrived, p99 < 1 s, ${m.windowSeconds} s windows): ${m.maxRate ?? 'none'}/s${m.maxRate !== null && c?.perSec ? ` = ${Math.round((m.maxRate / c.perSec) * 100)}% of the live ceiling` : ''}`);
  }
  for (const run of r.runs) {
    if (run.store !== 'postgres') continue;
    const label = `postgres x${run.instances}`;
    const recs = run.initialSync?.available ? run.initialSync.records : 0;
    if (run.initialSyncCpuSec) lines.push(`${label} initial sync bridge CPU: ${run.initialSyncCpuSec.map((x) => `${x.toFixed(2)} s`).join(' + ')} = ${perCpuSecond(recs, run.initialSyncCpuSec) ?? '-'} records per CPU-second`);
    const s = run.storeCheck;
    if (s) lines.push(`${label} store check: ${s.dataverseAccounts} accounts (${s.duplicateAccounts} duplicated), ${s.links} links, ${s.jobs} jobs (${s.jobAttempts} failed attempts; ${Object.entries(s.jobsByState).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}), ${s.events} events, ${s.processed} processed, ${s.written} written, ${s.initialFailures} initial-sync failures: ${noDoubleProcessing(s) ? 'nothing handled twice' : 'CHECK: counts disagree'}`);
  }
  const q = capacitySummary(r);
  if (q.pgX2CpuShare !== null) lines.push(`postgres x2 vs x1 records per bridge CPU-second: ${q.pgX2CpuShare}`);
  return lines;
}
