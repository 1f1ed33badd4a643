// `npm start`, as a newcomer runs it, twice: the demo starts, a Dataverse edit reaches F&O and the record is
// in sync; stopped with Ctrl+C and started again, the next edit does the same, with no conflict and no lost
// value (the bridge's demo store starts afresh with the sandbox, whose data lives in memory).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxUrlsFor } from '@finops-bridge/sandbox';
import { credentialsForm } from '../../sandbox/src/token-cli';
import { eventually, json } from './support/harness';
import { freePort } from '../support/ports';

const repo = fileURLToPath(new URL('../..', import.meta.url));


interface Demo { child: ChildProcess; out: () => string; exited: Promise<unknown> }

async function npmStart(env: NodeJS.ProcessEnv): Promise<Demo> {
  // Its own process group, as a terminal runs it: Ctrl+C reaches npm, the shell and the launcher alike.
  const child = spawn('npm', ['start'], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await eventually(async () => /preview\s+http/.test(out) || child.exitCode !== null, 60_000, 100);
  if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${out}`);
  return { child, out: () => out, exited };
}

/** Ctrl+C in the terminal: SIGINT to the whole process group; resolves once every process of the group is
 * gone (npm itself dies of the signal, as in a terminal). */
async function stop(d: Demo): Promise<void> {
  const group = -d.child.pid!;
  process.kill(group, 'SIGINT');
  await d.exited;
  await eventually(async () => {
    try { process.kill(group, 0); return false; } catch { return true; }
  }, 15_000, 50);
}

let env: NodeJS.ProcessEnv;
let bridge = '';
let dataDir = '';
let demo: Demo | undefined;

/** A token from the running demo's issuer, as `npm run token` gets one. */
async function token(principal: string, resource: string): Promise<string> {
  const form = credentialsForm(principal);
  form.set('scope', `${resource}/.default`);
  return (await json<{ access_token: string }>(await fetch(sandboxUrlsFor(env).tokenEndpoint, { method: 'POST', body: form }))).access_token;
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fob-restart-'));
  const [bridgePort, fno, dv, id] = [await freePort(), await freePort(), await freePort(), await freePort()];
  env = {
    PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', DATA_DIR: dataDir,
    PORT: String(bridgePort), SANDBOX_FNO_PORT: String(fno), SANDBOX_DATAVERSE_PORT: String(dv), SANDBOX_IDENTITY_PORT: String(id),
  };
  bridge = `http://127.0.0.1:${bridgePort}`;
});

afterAll(async () => {
  if (demo) { try { process.kill(-demo.child.pid!, 'SIGKILL'); } catch { /* gone */ } }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Waits for the start's initial sync, edits one account in Dataverse as a user would, and follows it to F&O. */
async function editReachesFno(name: string): Promise<void> {
  const admin = await token('admin', 'api://finops-bridge');
  const asAdmin = { authorization: `Bearer ${admin}` };
  await eventually(async () => {
    const { maps } = await json<{ maps: Array<{ state: string; pending: number }> }>(await fetch(`${bridge}/api/v1/admin/maps`, { headers: asAdmin }));
    return maps.length > 0 && maps.every((m) => m.state === 'running' && m.pending === 0);
  }, 120_000, 250);

  const dvUrl = `http://127.0.0.1:${env.SANDBOX_DATAVERSE_PORT}`;
  const controller = { authorization: `Bearer ${await token('controller', dvUrl)}` };
  // The controller may edit the accounts of nlmf.
  const [nlmf] = (await json<{ value: Array<{ cdm_companyid: string }> }>(await fetch(`${dvUrl}/api/data/v9.2/cdm_companies?$select=cdm_companyid&$filter=cdm_companycode eq 'nlmf'`, { headers: controller }))).value;
  const { value } = await json<{ value: Array<{ accountid: string }> }>(await fetch(
    `${dvUrl}/api/data/v9.2/accounts?$select=accountid&$filter=accountnumber ne null and _msdyn_company_value eq ${nlmf.cdm_companyid}&$top=1`, { headers: controller }));
  const id = value[0].accountid;
  const patch = await fetch(`${dvUrl}/api/data/v9.2/accounts(${id})`, {
    method: 'PATCH', headers: { ...controller, 'content-type': 'application/json', 'if-match': '*' }, body: JSON.stringify({ name }),
  });
  expect(patch.status).toBe(204);

  const status = await eventually(async () => {
    const s = await json<{ state: string; linkedKey: Record<string, string> | null }>(await fetch(`${bridge}/api/v1/sync/records/account/${id}`, { headers: asAdmin }));
    return s.state === 'in_sync' && s.linkedKey ? s : undefined;
  }, 30_000, 100);
  const fnoUrl = `http://127.0.0.1:${env.SANDBOX_FNO_PORT}`;
  const fnoToken = await token('bridge', fnoUrl);
  const key = status.linkedKey!;
  const row = await eventually(async () => {
    const r = await json<{ OrganizationName: string }>(await fetch(
      `${fnoUrl}/data/CustomersV3(dataAreaId='${key.dataAreaId}',CustomerAccount='${key.CustomerAccount}')?cross-company=true`, { headers: { authorization: `Bearer ${fnoToken}` } }));
    return r.OrganizationName === name ? r : undefined;
  }, 30_000, 100);
  expect(row.OrganizationName).toBe(name);
  const { conflicts } = await json<{ conflicts: unknown[] }>(await fetch(`${bridge}/api/v1/admin/conflicts`, { headers: asAdmin }));
  expect(conflicts).toEqual([]);
}

describe('npm start, stop, npm start again', () => {
  it('syncs a Dataverse edit to F&O on the first start', async () => {
    demo = await npmStart(env);
    await editReachesFno('Edited before the restart');
  }, 180_000);

  it('links the demo\'s person customer to its contact: the contact named in the banner shows its finance data to sales', async () => {
    const found = /\/api\/v1\/contacts\/([0-9a-f-]{36})\/finance/.exec(demo!.out());
    expect(found).not.toBeNull();
    const res = await fetch(`${bridge}${found![0]}`, { headers: { authorization: `Bearer ${await token('sales', 'api://finops-bridge')}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ contactId: found![1], company: 'nlmf', customerAccount: 'NL-002' });
  }, 60_000);

  it('stops on Ctrl+C, and after a second start the next edit syncs with no conflict', async () => {
    await stop(demo!);
    // The launcher shut down in order: it forgot the running sandbox's addresses on its way out.
    expect(fs.existsSync(path.join(dataDir, 'sandbox.json'))).toBe(false);
    demo = await npmStart(env);
    await editReachesFno('Edited after the restart');
    expect(demo.out()).not.toMatch(/conflict/i);
  }, 180_000);
});
