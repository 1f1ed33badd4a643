// Measures an initial sync of about 10,000 customers (sandbox and bridge in this process):
//   cd test && node --import tsx slow/support/perf-initial.mts   (PS=<page size>, default 5000)
import { startBridge, startWorld, json } from '../../e2e/support/harness';

interface Progress { state: string; done: number; failed: number; ratePerSecond: number }

const sandbox = await startWorld({ customers: 11_800 });
for (const row of sandbox.dataverse.store.all('account')) sandbox.dataverse.store.remove('account', String(row.accountid));
const bridge = await startBridge(sandbox, { settings: { initialMapState: 'not_running' } });
const token = await sandbox.getToken('admin', 'bridge');
const url = `${bridge.url}/api/v1/admin/maps/customers-accounts/initial-sync`;
const started = Date.now();
await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ pageSize: Number(process.env.PS ?? 5000) }) });
for (;;) {
  const p = await json<Progress>(await fetch(url, { headers: { authorization: `Bearer ${token}` } }));
  if (p.state !== 'running') {
    console.log(`${p.state}: ${p.done} records (${p.failed} failed) in ${Date.now() - started} ms, ${p.ratePerSecond} records/s`);
    break;
  }
  await new Promise((r) => setTimeout(r, 200));
}
await bridge.close();
await sandbox.close();
