// `npm run bench [-- --quick]`: the benchmark. Real processes on loopback: the sandbox, the bridge (one
// or two), the load generator; this process orchestrates and times live sync through its probe. Prints a
// report, writes bench-results/<time>.json, and prints the quick summary JSON as its last line.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPostgres, type PgHarness } from '../../bridge-service/test/support/postgres';
import { measureBundles } from './bundles';
import { runCeiling } from './ceiling';
import { directPlan } from './direct-read';
import { agent } from './http';
import { registerProbe, runLive, startProbe, type Direction, type EditTarget, type Probe } from './live-sync';
import { parseOptions, type BenchOptions } from './options';
import { repoRoot } from './procs';
import { formatReport, quickSummary, type BenchResults, type StoreRun } from './report';
import { cpuDelta } from './cpu';
import { cpuOf, liveCeilingPhase, maxLivePhase, storeCheck } from './capacity-phases';
import { perSecond } from './stats';
import {
  bridgeEntry, buildBridge, listAccounts, peakMb, resetSandbox, runInitialSync, runLoad, startBridgeProc, startSandboxProc, waitRegistered,
  type BridgeProc, type SandboxProc,
} from './world';
import { BRIDGE_SYSTEM_USER_ID } from '../../sandbox/src/identity/principals';
import { runSweepPhase } from './sweep-phase';
import { runLimitedPhase } from './limited-sync';

const log = (s: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`);

async function readPhase(o: BenchOptions, sb: SandboxProc, r: BenchResults, logDir: string): Promise<void> {
  log('read API: bridge on SQLite over the accounts the ceiling run wrote (no links yet)');
  const bridge = await startBridgeProc(sb, { name: 'bridge-read', logDir, cpuProf: o.cpuProf });
  try {
    const accounts = await listAccounts(sb, 1_000_000);
    if (accounts.length < 100) throw new Error(`only ${accounts.length} accounts in Dataverse (the ceiling run writes them): nothing to read`);
    const path = (a: { accountId: string }) => `/api/v1/accounts/${a.accountId}/finance`;
    const headers = { authorization: `Bearer ${sb.tokens.controllerBridge}` };
    const hot = accounts.slice(0, 50);
    const cold = accounts.slice(50);
    const uncached = await runLoad({ kind: 'autocannon', url: bridge.url, paths: cold.map(path), headers, connections: o.connections, seconds: o.readSeconds }, logDir, 'read-uncached');
    // Warm the hot set (links cached), then measure it.
    await runLoad({ kind: 'autocannon', url: bridge.url, paths: hot.map(path), headers, connections: 2, seconds: 1 }, logDir, 'read-warm');
    const cached = await runLoad({ kind: 'autocannon', url: bridge.url, paths: hot.map(path), headers, connections: o.connections, seconds: o.readSeconds }, logDir, 'read-cached');
    const direct = await runLoad({
      kind: 'direct', fnoUrl: sb.urls.fno, dataverseUrl: sb.urls.dataverse, fnoToken: sb.tokens.fno, dvToken: sb.tokens.dv,
      plans: hot.map((a) => directPlan(a, controllerSystemUserId)), connections: o.connections, seconds: o.readSeconds,
    }, logDir, 'read-direct');
    // What the bridge adds per request, below saturation: the same client at the same fixed rate, alternating.
    const rate = 50;
    const directTarget = { fnoUrl: sb.urls.fno, dataverseUrl: sb.urls.dataverse, fnoToken: sb.tokens.fno, dvToken: sb.tokens.dv, plans: hot.map((a) => directPlan(a, controllerSystemUserId)) };
    const pacedBridge = await runLoad({ kind: 'paced', rate, seconds: o.readSeconds, bridge: { url: bridge.url, paths: hot.map(path), headers } }, logDir, 'read-paced-bridge');
    const pacedDirect = await runLoad({ kind: 'paced', rate, seconds: o.readSeconds, direct: directTarget }, logDir, 'read-paced-direct');
    r.readApi = { accounts: accounts.length, uncached, cached, direct, paced: { rate, bridge: pacedBridge, direct: pacedDirect }, peakRssMb: peakMb(bridge) };
    log(`  at ${rate}/s: bridge p50 ${pacedBridge.latencyMs.p50.toFixed(2)} p99 ${pacedBridge.latencyMs.p99.toFixed(2)} ms, direct p50 ${pacedDirect.latencyMs.p50.toFixed(2)} p99 ${pacedDirect.latencyMs.p99.toFixed(2)} ms`);
    for (const [name, x] of Object.entries({ uncached, cached, direct })) log(`  ${name}: ${x.rps} rps, p50 ${x.latencyMs.p50} p99 ${x.latencyMs.p99} ms`);
  } finally {
    await bridge.child.stop();
  }
}

/** The demo user 'controller', whose access the bridge checks (its systemuser in the sandbox seed). */
let controllerSystemUserId = '';

async function syncPhase(o: BenchOptions, sb: SandboxProc, probe: Probe, run: StoreRun, bridges: BridgeProc[], seconds: number, markerBase: number): Promise<void> {
  const main = bridges[0];
  log(`${run.store} x${run.instances}: initial sync`);
  const cpu0 = cpuOf(bridges);
  run.initialSync = await runInitialSync(sb, main.url, o.quick ? 300_000 : 1_800_000);
  run.initialSyncCpuSec = cpuDelta(cpu0, cpuOf(bridges));
  log(`  ${run.initialSync.available ? `${run.initialSync.records} records, ${run.initialSync.perSec}/s` : run.initialSync.note ?? ''}`);
  const accounts = await listAccounts(sb, 1_000_000);
  const pick = (companies: string[]): EditTarget[] => accounts.filter((a) => companies.includes(a.company)).slice(0, 4000);
  const plan: [Direction, EditTarget[]][] = [['fno_to_dataverse', pick(['usmf'])], ['dataverse_to_fno', pick(['nlmf', 'semf'])]];
  for (const [i, [direction, targets]] of plan.entries()) {
    if (!targets.length) { run.live.push(emptyLive(direction, o)); continue; }
    log(`${run.store} x${run.instances}: live ${direction}, ${o.rate}/s for ${seconds} s over ${targets.length} records`);
    const l = await runLive(probe, {
      direction, rate: o.rate, seconds, targets, fnoUrl: sb.urls.fno, dataverseUrl: sb.urls.dataverse, dvUserToken: sb.tokens.controllerDv,
      markerBase: markerBase + i * 1_000_000, drainMs: o.quick ? 15_000 : 30_000,
    });
    log(`  arrived ${l.arrived}/${l.sent}, p50 ${l.latencyMs.p50} p99 ${l.latencyMs.p99} ms`);
    run.live.push(l);
  }
  const peaks = bridges.map(peakMb).filter((n): n is number => n !== null);
  run.peakRssMb = peaks.length ? Math.max(...peaks) : null;
}

function emptyLive(direction: Direction, o: BenchOptions) {
  const none = { count: 0, min: NaN, mean: NaN, p50: NaN, p95: NaN, p99: NaN, max: NaN };
  return { direction, rate: o.rate, seconds: 0, sent: 0, sendFailures: 0, arrived: 0, lost: 0, lateStarts: 0, achievedSendPerSec: 0, arrivedPerSec: 0, latencyMs: none, sourceWriteMs: none };
}

async function storeRun(o: BenchOptions, sb: SandboxProc, probe: Probe, r: BenchResults, logDir: string, spec: { store: 'sqlite' | 'postgres'; instances: number; databaseUrl?: string; seconds: number; markerBase: number }): Promise<void> {
  await resetSandbox(sb);
  await registerProbe(probe, { fnoUrl: sb.urls.fno, dataverseUrl: sb.urls.dataverse, dvToken: sb.tokens.dv });
  const run: StoreRun = { store: spec.store, instances: spec.instances, initialSync: null, live: [], peakRssMb: null };
  r.runs.push(run);
  const bridges: BridgeProc[] = [];
  try {
    const first = await startBridgeProc(sb, { name: `bridge-${spec.store}-1of${spec.instances}`, logDir, databaseUrl: spec.databaseUrl, cpuProf: o.cpuProf });
    bridges.push(first);
    // Further instances register the first one's URL: webhooks land there, every worker claims from the shared queue.
    for (let i = 2; i <= spec.instances; i++) {
      bridges.push(await startBridgeProc(sb, { name: `bridge-${spec.store}-${i}of${spec.instances}`, logDir, databaseUrl: spec.databaseUrl, publicUrl: first.url, cpuProf: o.cpuProf }));
    }
    if (!(await waitRegistered(sb, first.url))) r.problems.push(`${spec.store} x${spec.instances}: the bridge did not register its webhooks within 60 s; live sync cannot be measured`);
    await syncPhase(o, sb, probe, run, bridges, spec.seconds, spec.markerBase);
    if (spec.databaseUrl) run.storeCheck = await storeCheck(sb, spec.databaseUrl, run.initialSync?.records ?? 0).catch((e: unknown) => { r.problems.push(`${spec.store} x${spec.instances} store check: ${String(e)}`); return null; });
    if (spec.store === 'sqlite') await maxLivePhase(o, sb, probe, r, log).catch((e: unknown) => { r.problems.push(`max live rate: ${String(e)}`); });
  } finally {
    for (const b of bridges) await b.child.stop();
  }
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const outDir = path.join(repoRoot, 'bench-results');
  const logDir = path.join(outDir, `logs-${startedAt.replace(/[:.]/g, '-')}`);
  mkdirSync(logDir, { recursive: true });
  const r: BenchResults = {
    startedAt, options: o,
    machine: { nproc: os.availableParallelism(), memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadBefore: os.loadavg(), bridgeEntry: bridgeEntry() },
    sandbox: null, ceiling: null, readApi: null, runs: [], bundles: null, problems: [],
  };
  const t0 = performance.now();
  log(`building the bridge (${bridgeEntry()})`);
  buildBridge();
  log(`starting the sandbox with ${o.customers} customers`);
  const sb = await startSandboxProc(o.customers, logDir, o.cpuProf);
  const probe = await startProbe();
  let pg: PgHarness | null = null;
  // Written after every phase, so an interrupted run still leaves what it measured.
  const partial = path.join(outDir, `partial-${o.quick ? 'quick' : 'full'}.json`);
  const attempt = async (what: string, fn: () => Promise<void>) => {
    try { await fn(); writeFileSync(partial, JSON.stringify(r, null, 2)); } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      r.problems.push(`${what}: ${msg}`);
      log(`${what} FAILED: ${msg}`);
    }
  };
  try {
    r.sandbox = { customers: sb.urls.customers, organisations: sb.urls.organisations, startMs: sb.urls.startMs };
    const su = await fetch(`${sb.urls.dataverse}/api/data/v9.2/systemusers?$filter=azureactivedirectoryobjectid%20eq%2011111111-aaaa-4aaa-8aaa-000000000002&$select=systemuserid`, { headers: { authorization: `Bearer ${sb.tokens.dv}` } });
    controllerSystemUserId = ((await su.json()) as { value: { systemuserid: string }[] }).value[0]?.systemuserid ?? BRIDGE_SYSTEM_USER_ID;

    await attempt('ceiling', async () => {
      log('ceiling: organisation customers straight from F&O to Dataverse, 1,000 a $batch, 4 in flight');
      const c = await runCeiling({ fnoUrl: sb.urls.fno, dataverseUrl: sb.urls.dataverse, fnoToken: sb.tokens.fno, dvToken: sb.tokens.dv });
      r.ceiling = { records: c.records, ms: Math.round(c.ms), perSec: perSecond(c.records, c.ms), readMs: Math.round(c.readMs), failures: c.failures };
      log(`  ${c.records} records, ${r.ceiling.perSec}/s`);
    });
    await attempt('live ceiling', () => liveCeilingPhase(o, sb, r, log));
    await attempt('read API', () => readPhase(o, sb, r, logDir));
    await attempt('sqlite x1', () => storeRun(o, sb, probe, r, logDir, { store: 'sqlite', instances: 1, seconds: o.liveSeconds, markerBase: 10_000_000 }));
    // Issue 20: after the SQLite run, each with its own bridge and a reset sandbox (sweep-phase.ts, limited-sync.ts).
    if (o.sweep) await attempt('sweep', async () => { log('sweep: one reconciliation sweep of unchanged rows, per side, against a plain read of the same pages'); r.sweep = await runSweepPhase(sb, logDir, { intervalSeconds: 2, timeoutMs: 600_000, log }); });
    if (o.limited) await attempt('limited', async () => { log('initial sync at the real service-protection limits, 1 and 3 application users'); r.limited = await runLimitedPhase(sb, logDir, { users: [1, 3], scale: 30, timeoutMs: 900_000, log }); });
    if (o.postgres) {
      await attempt('postgres', async () => {
        pg = await startPostgres();
        if (!pg) throw new Error('PostgreSQL binaries not found (apt-get install -y postgresql)');
        const harness: PgHarness = pg;
        await attempt('postgres x1', async () => storeRun(o, sb, probe, r, logDir, { store: 'postgres', instances: 1, databaseUrl: await harness.createDatabase(), seconds: o.compareSeconds, markerBase: 20_000_000 }));
        if (o.twoInstances) {
          await attempt('postgres x2', async () => storeRun(o, sb, probe, r, logDir, { store: 'postgres', instances: 2, databaseUrl: await harness.createDatabase(), seconds: o.compareSeconds, markerBase: 30_000_000 }));
        }
      });
    }
  } finally {
    await probe.close();
    await sb.child.stop();
    const harness = pg as PgHarness | null;
    if (harness) await harness.stop().catch(() => undefined);
  }
  log(o.build ? 'bundles: npm run build -w controls' : 'bundles: measuring the existing controls/out');
  r.bundles = measureBundles(o.build);
  r.machine.loadAfter = os.loadavg();
  r.finishedAt = new Date().toISOString();
  const file = path.join(outDir, `${o.quick ? 'quick' : 'full'}-${startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(r, null, 2));
  writeFileSync(path.join(outDir, `latest-${o.quick ? 'quick' : 'full'}.json`), JSON.stringify(r, null, 2));
  console.log(formatReport(r));
  console.log(`full results: ${path.relative(repoRoot, file)} (logs in ${path.relative(repoRoot, logDir)}); took ${Math.round((performance.now() - t0) / 1000)} s`);
  console.log(JSON.stringify(quickSummary(r)));
  await agent.close();
}

main().then(() => process.exit(0), (e: unknown) => {
  console.error(`The benchmark failed: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
});
