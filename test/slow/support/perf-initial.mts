// Measures one initial sync of the organisation customers: the sandbox in this process, the bridge in its
// own (test/slow/support/bridge-child.ts), so the bridge's peak RSS (VmHWM) is its own. Then, with
// CEILING=1, the same rows written straight to Dataverse in the same $batch shape (test/bench/ceiling.ts).
//   cd test && CUSTOMERS=11800 PS=5000 CEILING=1 node --import tsx slow/support/perf-initial.mts
// Prints one JSON line: rows, seconds, rows/s, bridge VmHWM in MB, and the ceiling when asked.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { json, startWorld } from '../../e2e/support/harness';
import { runCeiling } from '../../bench/ceiling';

interface Progress { state: string; done: number; failed: number; ratePerSecond: number; retries?: number; lastError: string | null }

const customers = Number(process.env.CUSTOMERS ?? 11_800);
const sandbox = await startWorld({ customers });
const clearAccounts = () => { for (const row of sandbox.dataverse.store.all('account')) sandbox.dataverse.store.remove('account', String(row.accountid)); };
clearAccounts();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-perf-'));
const script = new URL('./bridge-child.ts', import.meta.url).pathname;
const child = spawn(process.execPath, [...(process.env.BRIDGE_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', script], {
  env: {
    ...process.env, NODE_OPTIONS: '', LOG_LEVEL: process.env.E2E_LOG ?? 'warn', SANDBOX_URLS: JSON.stringify(sandbox.urls), DATA_DIR: dataDir,
    // NO_WEBHOOKS=1: no Create notifications back to the bridge, to tell the initial sync's own cost from theirs.
    ENGINE_SETTINGS: JSON.stringify({ initialMapState: 'not_running', ...(process.env.NO_WEBHOOKS === '1' ? { registerWebhooks: 'false' } : {}) }),
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const bridgeUrl = await new Promise<string>((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`bridge process exited early (${code})`)));
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('{"url"')) resolve((JSON.parse(line) as { url: string }).url);
    else if (process.env.E2E_LOG) process.stderr.write(`${line}\n`); // E2E_LOG=debug: the bridge's page timings
  });
});
const vm = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const rssBefore = vm('VmRSS');

const token = await sandbox.getToken('admin', 'bridge');
const url = `${bridgeUrl}/api/v1/admin/maps/customers-accounts/initial-sync`;
const started = Date.now();
const post = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ pageSize: Number(process.env.PS ?? 5000) }) });
if (post.status !== 202) throw new Error(`initial sync did not start: ${post.status} ${await post.text()}`);
let p: Progress;
for (;;) {
  p = await json<Progress>(await fetch(url, { headers: { authorization: `Bearer ${token}` } }));
  if (p.state !== 'running') break;
  await new Promise((r) => setTimeout(r, 200));
}
const ms = Date.now() - started;
const result: Record<string, unknown> = {
  customers, state: p.state, rows: p.done, failed: p.failed, retries: p.retries ?? null, lastError: p.lastError, seconds: ms / 1000,
  rowsPerSecond: Math.round((p.done / ms) * 1000), bridgeRssBeforeMB: Math.round(rssBefore), bridgePeakRssMB: Math.round(vm('VmHWM')),
  dataverseAccounts: sandbox.dataverse.store.all('account').length,
};
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));

if (process.env.CEILING === '1') {
  clearAccounts();
  // As in the bench, the ceiling runs without webhooks: drop the (now dead) bridge's registration.
  for (const r of sandbox.dataverse.store.all('serviceendpoint')) sandbox.dataverse.store.remove('serviceendpoint', String(r.serviceendpointid));
  const c = await runCeiling({
    fnoUrl: sandbox.urls.fno, dataverseUrl: sandbox.urls.dataverse,
    fnoToken: await sandbox.getToken('bridge', 'fno'), dvToken: await sandbox.getToken('bridge', 'dataverse'),
  });
  result.ceilingRowsPerSecond = Math.round((c.records / c.ms) * 1000);
  result.percentOfCeiling = Math.round((Number(result.rowsPerSecond) / Number(result.ceilingRowsPerSecond)) * 100);
}
console.log(JSON.stringify(result));
await sandbox.close();
fs.rmSync(dataDir, { recursive: true, force: true });
