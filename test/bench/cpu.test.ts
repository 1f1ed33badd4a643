import { describe, expect, it } from '@jest/globals';
import { cpuDelta, cpuSecondsOf, cpuShare, parseProcStat, perCpuSecond } from './cpu';
import { capacitySummary, noDoubleProcessing, type StoreCheck } from './capacity-summary';
import type { BenchResults, StoreRun } from './report';
import { parseOptions } from './options';

// A real /proc/<pid>/stat line shape: pid (comm) state ppid ... utime(14) stime(15) ...
const stat = (comm: string, utime: number, stime: number) => `4242 (${comm}) S 1 4242 4242 0 -1 4194560 1234 0 0 0 ${utime} ${stime} 0 0 20 0 11 0 555 1000 200 18446744073709551615`;

describe('parseProcStat', () => {
  it('reads utime and stime after the command name, even one with spaces and parentheses', () => {
    expect(parseProcStat(stat('node', 1500, 230))).toEqual({ utime: 1500, stime: 230 });
    expect(parseProcStat(stat('a b) (c', 7, 3))).toEqual({ utime: 7, stime: 3 });
    expect(parseProcStat('garbage')).toBeNull();
    expect(parseProcStat('1 (x) S 1 2')).toBeNull();
  });
  it('reads this process', () => {
    expect(cpuSecondsOf(process.pid)).toEqual(expect.any(Number));
    expect(cpuSecondsOf(2 ** 22 + 12345)).toBeNull();
  });
});

describe('cpu share', () => {
  it('takes per-process deltas and refuses a missing reading', () => {
    expect(cpuDelta([1, 2.5], [11.5, 3])).toEqual([10.5, 0.5]);
    expect(cpuDelta([1, null], [2, 3])).toBeNull();
    expect(cpuDelta([1], [2, 3])).toBeNull();
  });
  it('divides records per CPU-second of all instances (x2) by that of one (x1)', () => {
    expect(perCpuSecond(1000, [4, 1])).toBe(200);
    expect(cpuShare({ records: 1000, cpuSec: [5] }, { records: 1000, cpuSec: [4, 1] })).toBe(1);
    expect(cpuShare({ records: 1000, cpuSec: [5] }, { records: 1000, cpuSec: [5, 5] })).toBe(0.5);
    expect(cpuShare({ records: 1000, cpuSec: [5] }, { records: 1000, cpuSec: null })).toBeNull();
    expect(cpuShare({ records: 0, cpuSec: [5] }, { records: 1000, cpuSec: [5] })).toBeNull();
  });
});

describe('new summary keys', () => {
  const pgRun = (instances: number, cpuSec: number[]): StoreRun & { initialSyncCpuSec: number[] } => ({
    store: 'postgres', instances, initialSync: { available: true, records: 8000, failed: 0, ms: 4000, perSec: 2000 }, live: [], peakRssMb: null, initialSyncCpuSec: cpuSec,
  });
  const base = (): BenchResults => ({
    startedAt: 'x', options: parseOptions(['--quick']), machine: { nproc: 2, memGb: 24, node: 'v20', loadBefore: [0, 0, 0], bridgeEntry: 'x' },
    sandbox: null, ceiling: null, readApi: null, runs: [], bundles: null, problems: [],
  });
  it('is null where nothing was measured (quick run without PostgreSQL)', () => {
    expect(capacitySummary(base())).toEqual({ liveCeilingPerSec: null, maxLiveRate: null, maxLiveRateShareOfCeiling: null, liveCeilingDvToFnoPerSec: null, maxLiveRateDvToFno: null, maxLiveRateDvToFnoShareOfCeiling: null, pgX2CpuShare: null });
  });
  it('reports the ceiling, the highest sustained rate with its share, and the pg x2/x1 CPU share', () => {
    const r = base();
    const pair = { count: 1, min: 1, mean: 1, p50: 1, p95: 1, p99: 1, max: 1 };
    r.capacity = {
      liveCeiling: { direction: 'fno_to_dataverse', concurrency: 16, seconds: 10, edits: 8000, failures: 0, perSec: 800, pairMs: pair, readMs: pair, writeMs: pair },
      maxLive: { direction: 'fno_to_dataverse', plan: { start: 400, up: 1.4, down: 0.6, resolution: 0.15, maxSteps: 5, minRate: 10, maxRate: 1600 }, windowSeconds: 10, steps: [], maxRate: 300 },
    };
    r.runs = [pgRun(1, [4]), pgRun(2, [4, 1])];
    expect(capacitySummary(r)).toMatchObject({ liveCeilingPerSec: 800, maxLiveRate: 300, maxLiveRateShareOfCeiling: 0.38, liveCeilingDvToFnoPerSec: null, pgX2CpuShare: 0.8 });
  });
  it('finds nothing handled twice only when every count agrees', () => {
    const ok: StoreCheck = { records: 10, dataverseAccounts: 10, duplicateAccounts: 0, links: 10, jobs: 3, jobAttempts: 0, jobsByState: { done: 3 }, events: 5, processed: 3, written: 3, initialFailures: 0 };
    expect(noDoubleProcessing(ok)).toBe(true);
    expect(noDoubleProcessing({ ...ok, duplicateAccounts: 1 })).toBe(false);
    expect(noDoubleProcessing({ ...ok, links: 11 })).toBe(false);
    expect(noDoubleProcessing({ ...ok, processed: 6 })).toBe(false);
  });
});
