import { describe, expect, it } from '@jest/globals';
import { parseProcStatus } from './procs';
import { goals, liveOf, lowerShare, quickSummary, type BenchResults, type StoreRun } from './report';
import { parseOptions } from './options';
import type { LiveResult } from './live-sync';

const lat = (p50: number, p99: number) => ({ count: 10, min: 1, mean: p50, p50, p95: p99, p99, max: p99 });
const live = (direction: LiveResult['direction'], perSec: number, p50: number, p99: number): LiveResult => ({
  direction, rate: 200, seconds: 10, sent: 2000, sendFailures: 0, arrived: 2000, lost: 0, lateStarts: 0, achievedSendPerSec: 200,
  arrivedPerSec: perSec, latencyMs: lat(p50, p99), sourceWriteMs: lat(1, 2),
});
const load = (rps: number, p99: number) => ({ requests: 100, rps, errors: 0, non2xx: 0, latencyMs: { mean: 1, p50: 1, p99, max: p99 } });

function results(run: StoreRun): BenchResults {
  return {
    startedAt: 'x', options: parseOptions(['--quick']),
    machine: { nproc: 2, memGb: 24, node: 'v20', loadBefore: [0, 0, 0], bridgeEntry: 'x' },
    sandbox: null, ceiling: { records: 1000, ms: 500, perSec: 2000, readMs: 1, failures: 0 },
    readApi: { accounts: 10, uncached: load(50, 30), cached: load(100, 12), direct: load(120, 9), peakRssMb: 150 },
    runs: [run], bundles: { built: true, kb: { A: 3.1 }, buildMs: 1 }, problems: [],
  };
}

describe('report', () => {
  const run: StoreRun = { store: 'sqlite', instances: 1, initialSync: { available: true, records: 1000, failed: 0, ms: 400, perSec: 2500 }, live: [live('fno_to_dataverse', 199, 20, 90), live('dataverse_to_fno', 198, 30, 300)], peakRssMb: 180 };

  it('takes the worse direction of live sync', () => {
    expect(liveOf(run)).toEqual({ perSec: 198, p50Ms: 30, p99Ms: 300 });
  });
  it('builds the one-line summary in the shape the issue asks for', () => {
    expect(quickSummary(results(run))).toEqual({
      initialSync: { records: 1000, perSec: 2500, ceilingPerSec: 2000 },
      liveSync: { perSec: 198, p50Ms: 30, p99Ms: 300 },
      readApi: { rps: 100, p99Ms: 12, directP99Ms: 9 },
      rssMb: 180, bundlesKb: { A: 3.1 },
      sweepShare: { fno: null, dataverse: null }, limitedInitialShare: {},
      liveCeilingPerSec: null, maxLiveRate: null, maxLiveRateShareOfCeiling: null,
      liveCeilingDvToFnoPerSec: null, maxLiveRateDvToFno: null, maxLiveRateDvToFnoShareOfCeiling: null, pgX2CpuShare: null,
    });
  });
  it('adds the sweep shares and the shares at the real limits (issue 20), and judges the sweep on the lower side', () => {
    const r = results(run);
    const side = { ms: 100, requests: 1, busyMs: 50, firstStart: 0 };
    r.sweep = { intervalSeconds: 2, initialSync: { records: 1000, ms: 1 }, sweepMs: 200, pollMs: 20, pendingAfter: 0, sides: { fno: side, dataverse: side }, plain: [], share: { fno: 0.8, dataverse: 0.6 } };
    r.limited = { scale: 30, limits: { windowSeconds: 10, maxRequests: 200, maxConcurrent: 52, maxExecutionSeconds: 40 }, runs: [1, 3].map((users) => ({ users, share: users === 1 ? 0.5 : 0.2 })) as never };
    expect(quickSummary(r)).toMatchObject({ sweepShare: { fno: 0.8, dataverse: 0.6 }, limitedInitialShare: { users1: 0.5, users3: 0.2 } });
    expect(lowerShare(quickSummary(r).sweepShare)).toBe(0.6);
    expect(goals(r).at(-1)).toMatchObject({ measured: '0.6 share', met: false });
  });
  it('judges each goal, and says "not measured" rather than guessing', () => {
    const g = goals(results(run));
    expect(g.map((x) => x.met)).toEqual([true, true, false, true, true]);
    const none = goals(results({ ...run, initialSync: null, live: [] }));
    expect(none[0]).toEqual({ goal: 'initial sync >= 2,000 records/s', measured: 'not measured', met: null });
    expect(none[2].met).toBeNull();
  });
  it('judges the read path on the paced comparison when there is one (not on the saturated run)', () => {
    const r = results(run);
    r.readApi = { ...r.readApi!, paced: { rate: 50, bridge: load(50, 14), direct: load(50, 10) } };
    expect(quickSummary(r).readApi).toEqual({ rps: 100, p99Ms: 14, directP99Ms: 10 });
    expect(goals(r)[3]).toMatchObject({ measured: '4 ms added', met: true });
  });
  it('fails the latency goal when the rate was not held, however low the latency', () => {
    const slow = { ...run, live: [live('fno_to_dataverse', 80, 5, 10)] };
    expect(goals(results(slow))[2].met).toBe(false);
  });
});

describe('parseProcStatus', () => {
  it('reads peak and current resident memory in MB', () => {
    expect(parseProcStatus('Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n')).toEqual({ peakMb: 200, rssMb: 100 });
    expect(parseProcStatus('Name:\tnode\n')).toBeNull();
  });
});
