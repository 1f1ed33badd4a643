// The processes a benchmark phase runs against, and the few calls that drive them: the sandbox child,
// bridge children (SQLite or PostgreSQL), registration and initial-sync waits, the load-generator child.
import { sandboxEnv } from '@finops-bridge/sandbox';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { companyId } from '../../sandbox/src/dataverse/seed';
import { call, expectStatus } from './http';
import { LOAD_RESULT, SANDBOX_READY, type LoadJob, type LoadResult, type SandboxUrls } from './protocol';
import { memoryOf, repoRoot, spawnNode, type Child } from './procs';
import { deployedNodeFlagsOf } from './deployed-flags';
import { freePort } from '../support/ports';
import { getToken } from './tokens';
import { perSecond } from './stats';

export const WEBHOOK_SECRET = 'bench-webhook-secret-0123456789';
export const CUSTOMER_MAP = 'customers-accounts';

export interface Tokens { fno: string; dv: string; admin: string; controllerBridge: string; controllerDv: string }

export interface SandboxProc { child: Child; urls: SandboxUrls; tokens: Tokens }

export async function startSandboxProc(customers: number, logDir: string, cpuProf = false): Promise<SandboxProc> {
  const child = spawnNode({
    name: 'sandbox', entry: 'test/bench/sandbox-process.ts', cwd: repoRoot, env: { BENCH_CUSTOMERS: String(customers) },
    nodeArgs: ['--max-old-space-size=4096', ...(cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${path.join(logDir, 'sandbox-cpuprofile')}`] : [])], readyPattern: new RegExp(`^${SANDBOX_READY} `), readyTimeoutMs: 300_000, logFile: path.join(logDir, 'sandbox.log'),
  });
  const line = await child.ready;
  const urls = JSON.parse(line.slice(SANDBOX_READY.length + 1)) as SandboxUrls;
  const t = (p: Parameters<typeof getToken>[1], r: string) => getToken(urls.tokenEndpoint, p, r);
  const [fno, dv, admin, controllerBridge, controllerDv] = await Promise.all([
    t('bridge', urls.fno), t('bridge', urls.dataverse), t('admin', 'bridge'), t('controller', 'bridge'), t('controller', urls.dataverse),
  ]);
  return { child, urls, tokens: { fno, dv, admin, controllerBridge, controllerDv } };
}

/** Restores the demo data on both sides (Dataverse without accounts), dropping every subscription and webhook. */
export async function resetSandbox(sb: SandboxProc): Promise<void> {
  await expectStatus({ method: 'POST', url: `${sb.urls.fno}/_sandbox/reset` });
  await expectStatus({ method: 'POST', url: `${sb.urls.dataverse}/_sandbox/reset` });
}

export interface BridgeProc { child: Child; url: string; entry: string }

/** The production build, as the Dockerfile runs it (no tsx at run time): what the RSS and CPU figures are of. */
export function bridgeEntry(): string {
  return 'bridge-service/dist/server.js';
}

/** Builds it from the current sources (esbuild, a few seconds), so a run never measures stale output. */
export function buildBridge(): void {
  execFileSync('npm', ['run', 'build', '-w', 'bridge-service'], { cwd: repoRoot, stdio: 'ignore' });
}

export async function startBridgeProc(sb: SandboxProc, o: { name: string; logDir: string; databaseUrl?: string; publicUrl?: string; port?: number; cpuProf?: boolean; env?: Record<string, string> }): Promise<BridgeProc> {
  const port = o.port ?? (await freePort());
  const entry = bridgeEntry();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fb-bench-'));
  const env: Record<string, string> = {
    ...sandboxEnv(sb.urls),
    PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn',
    DATAVERSE_WEBHOOK_SECRET: WEBHOOK_SECRET, RATE_LIMIT_MAX: '1000000', RATE_LIMIT_ADDRESS_MAX: '10000000',
    SYNC_MAPS: CUSTOMER_MAP, SYNC_SWEEP_SECONDS: '0', SYNC_REGISTER_WEBHOOKS: 'true',
    ...(o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : {}),
    ...(o.publicUrl ? { BRIDGE_PUBLIC_URL: o.publicUrl } : {}),
    ...o.env,
  };
  // One profile per thread (tsx runs a loader thread too), so a folder per bridge rather than a fixed name.
  // As the image runs it (the Dockerfile's flags), then any extra for an experiment (later flags win).
  const nodeArgs = [...deployedNodeFlagsOf(repoRoot), ...(process.env.BENCH_BRIDGE_NODE_ARGS ?? '').split(' ').filter(Boolean), ...(o.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${path.join(o.logDir, `${o.name}-cpuprofile`)}`] : [])];
  const child = spawnNode({ name: o.name, entry, tsx: false, cwd: repoRoot, env, nodeArgs, readyPattern: /listening on/, logFile: path.join(o.logDir, `${o.name}.log`) });
  await child.ready;
  // The store (tens of MB at 10k customers) goes with the bridge: runs must not fill the disk.
  const stop = child.stop.bind(child);
  child.stop = async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { child, url: `http://127.0.0.1:${port}`, entry };
}

export function peakMb(p: BridgeProc): number | null {
  return memoryOf(p.child.pid)?.peakMb ?? null;
}

/** Waits until the bridge registered its Dataverse webhook and its F&O data-event subscription. */
export async function waitRegistered(sb: SandboxProc, bridgeUrl: string, timeoutMs = 60_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const subs = await call<{ value?: { url: string }[] }>({ url: `${sb.urls.fno}/_sandbox/events/subscriptions` });
    const dv = await call<{ value?: { url: string }[] }>({ url: `${sb.urls.dataverse}/api/data/v9.2/serviceendpoints?$filter=name eq 'FinOps Bridge webhook'&$select=url`.replace(/ /g, '%20'), token: sb.tokens.dv });
    const fnoOk = (subs.body.value ?? []).some((s) => s.url.split('?')[0] === `${bridgeUrl}/webhooks/fno`);
    const dvOk = (dv.body.value ?? []).some((s) => s.url === `${bridgeUrl}/webhooks/dataverse`);
    if (fnoOk && dvOk) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

export interface InitialSyncResult {
  available: boolean;
  records: number;
  failed: number;
  ms: number;
  perSec: number;
  bridgeRatePerSecond?: number;
  state?: string;
  lastError?: string | null;
  note?: string;
}

export async function runInitialSync(sb: SandboxProc, bridgeUrl: string, timeoutMs: number): Promise<InitialSyncResult> {
  const base = `${bridgeUrl}/api/v1/admin/maps/${CUSTOMER_MAP}/initial-sync`;
  const t0 = performance.now();
  const start = await call({ method: 'POST', url: base, token: sb.tokens.admin, body: {} });
  if (start.status === 404) return { available: false, records: 0, failed: 0, ms: 0, perSec: 0, note: `POST ${base} answered 404: the bridge has no initial sync yet` };
  if (start.status !== 202) throw new Error(`Starting the initial sync failed: HTTP ${start.status} ${start.text.slice(0, 300)}`);
  type P = { state: string; done: number; failed: number; ratePerSecond: number; lastError: string | null };
  for (;;) {
    const p = await expectStatus<P>({ url: base, token: sb.tokens.admin });
    const ms = performance.now() - t0;
    if (p.body.state !== 'running' || ms > timeoutMs) {
      return { available: true, records: p.body.done, failed: p.body.failed, ms: Math.round(ms), perSec: perSecond(p.body.done, ms), bridgeRatePerSecond: p.body.ratePerSecond, state: p.body.state, lastError: p.body.lastError };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface AccountRef { accountId: string; company: string; customerAccount: string }

const COMPANY_BY_ID = new Map(['usmf', 'nlmf', 'semf'].map((c) => [companyId(c), c]));

/** Accounts in Dataverse with their F&O key (accountnumber + company code), up to `max`. */
export async function listAccounts(sb: SandboxProc, max: number): Promise<AccountRef[]> {
  const out: AccountRef[] = [];
  let url: string | undefined = `${sb.urls.dataverse}/api/data/v9.2/accounts?$select=accountid,accountnumber,_msdyn_company_value`;
  while (url && out.length < max) {
    const a: { body: { value: Record<string, unknown>[]; '@odata.nextLink'?: string } } = await expectStatus({ url, token: sb.tokens.dv, headers: { prefer: 'odata.maxpagesize=5000' } });
    for (const r of a.body.value) {
      const company = COMPANY_BY_ID.get(String(r._msdyn_company_value));
      if (company && typeof r.accountnumber === 'string') out.push({ accountId: String(r.accountid), company, customerAccount: r.accountnumber });
    }
    url = a.body['@odata.nextLink'];
  }
  return out.slice(0, max);
}

export async function runLoad(job: LoadJob, logDir: string, name: string): Promise<LoadResult> {
  const file = path.join(logDir, `${name}.job.json`);
  writeFileSync(file, JSON.stringify(job));
  const child = spawnNode({
    name: `load-${name}`, entry: 'test/bench/load-process.ts', cwd: repoRoot, env: { BENCH_LOAD_JOB_FILE: file },
    readyPattern: new RegExp(`^${LOAD_RESULT} `), readyTimeoutMs: (job.seconds + 60) * 1000, logFile: path.join(logDir, `load-${name}.log`),
  });
  const line = await child.ready;
  await child.stop();
  return JSON.parse(line.slice(LOAD_RESULT.length + 1)) as LoadResult;
}
