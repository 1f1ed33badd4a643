// An initial sync of about 10,000 customers, its bridge killed (SIGKILL) in the middle and started again
// on the same store: it resumes from its checkpoints and ends with every account exactly once.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { Sandbox } from '@finops-bridge/sandbox';
import { eventually, json, startWorld } from '../e2e/support/harness';

let sandbox: Sandbox;
let child: ChildProcess | undefined;
let adminToken: string;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-crash-'));
const script = new URL('./support/bridge-process.ts', import.meta.url).pathname;

async function startChild(): Promise<string> {
  child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, NODE_OPTIONS: '', SANDBOX_URLS: JSON.stringify(sandbox.urls), DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout! });
  return new Promise((resolve, reject) => {
    child!.once('exit', (code) => reject(new Error(`bridge process exited early (${code})`)));
    lines.on('line', (line) => {
      if (line.startsWith('{"url"')) resolve((JSON.parse(line) as { url: string }).url);
    });
  });
}

type Progress = { state: string; total: number; done: number; failed: number };
const progress = async (url: string) => json<Progress>(await fetch(`${url}/api/v1/admin/maps/customers-accounts/initial-sync`, { headers: { authorization: `Bearer ${adminToken}` } }));

beforeAll(async () => {
  sandbox = await startWorld({ customers: 11_800 });
  for (const row of sandbox.dataverse.store.all('account')) sandbox.dataverse.store.remove('account', String(row.accountid));
  adminToken = await sandbox.getToken('admin', 'bridge');
}, 120_000);

afterAll(async () => {
  child?.kill('SIGKILL');
  await sandbox?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('initial sync killed in the middle', () => {
  it('resumes after a SIGKILL and ends with exactly the right rows', async () => {
    const orgs = new Set((sandbox.data.CustomersV3 as Record<string, unknown>[]).filter((r) => r.PartyType === 'Organization')
      .map((r) => `${String(r.dataAreaId)}|${String(r.CustomerAccount)}`));
    expect(orgs.size).toBeGreaterThan(9_500);

    let url = await startChild();
    const started = await fetch(`${url}/api/v1/admin/maps/customers-accounts/initial-sync`, {
      method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ pageSize: 500 }),
    });
    expect(started.status).toBe(202);
    const atKill = await eventually(async () => { const p = await progress(url); return p.done >= 2_000 ? p : null; }, 60_000, 5);
    child!.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    expect(atKill.done).toBeLessThan(orgs.size);
    const written = sandbox.dataverse.store.all('account').length;
    expect(written).toBeLessThan(orgs.size);

    url = await startChild();
    const end = await eventually(async () => { const p = await progress(url); return p.state === 'done' ? p : null; }, 120_000, 100);
    expect(end.failed).toBe(0);

    const companies = new Map(sandbox.dataverse.store.all('cdm_company').map((c) => [String(c.cdm_companyid), String(c.cdm_companycode)]));
    const accounts = sandbox.dataverse.store.all('account');
    const keys = accounts.map((a) => `${companies.get(String(a._msdyn_company_value))}|${String(a.accountnumber)}`);
    expect(new Set(keys).size).toBe(keys.length); // none twice
    expect(keys.length).toBe(orgs.size);
    const have = new Set(keys);
    expect([...orgs].filter((k) => !have.has(k))).toEqual([]); // none missing
  }, 240_000);
});
