// `finops-bridge login` by the device code flow against the sandbox issuer, as separate processes: the login
// prints a code, the test approves it at the issuer's verification page as a user would, then `status` runs
// without --token and without BRIDGE_TOKEN (the sign-in agent answers), and `logout` ends it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BRIDGE_API, TENANT_ID, startSandbox, type Sandbox } from '@finops-bridge/sandbox';
import { askAgent } from '../../bridge-service/src/cli/agent';
import { startBridge, type Bridge } from '../e2e/support/harness';

const repo = path.resolve(import.meta.dirname, '../..');
const main = path.join(repo, 'bridge-service', 'src', 'cli', 'main.ts');

let sandbox: Sandbox;
let bridge: Bridge;
let home: string;
let runtimeDir: string;
/** What an admin's shell holds: the bridge's address, where to sign in, nothing secret. */
let env: Record<string, string>;
/** Everything every process printed, searched for tokens at the end. */
const printed: string[] = [];

interface Run { code: number | null; out: string; err: string }

/** Runs `finops-bridge <argv>` as its own process; `onOut` sees stdout as it arrives. */
function run(argv: string[], onOut?: (soFar: string) => void, extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, ...argv], { cwd: repo, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); onOut?.(out); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => { printed.push(out, err); resolve({ code, out, err }); });
  });
}

/** Starts `login`, waits for its code, lets `user` act on it; returns the login's outcome. */
async function login(act: (userCode: string) => Promise<void>): Promise<Run> {
  let acted: Promise<void> | undefined;
  const r = await run(['login'], (out) => {
    const m = /enter the code ([A-Z0-9]+) to authenticate/.exec(out);
    if (m && !acted) acted = act(m[1]);
  });
  await acted;
  return r;
}

const approveAs = (username: string, action = 'approve') => async (userCode: string) => {
  const res = await fetch(sandbox.issuer.deviceLoginUrl, { method: 'POST', headers: { accept: 'application/json' }, body: new URLSearchParams({ user_code: userCode, username, password: 'demo', action }) });
  expect(res.status).toBe(200);
};

beforeAll(async () => {
  sandbox = await startSandbox({ customers: 10, quiet: true, fastRetries: true, deviceCodeIntervalSeconds: 1 });
  bridge = await startBridge(sandbox, { settings: { registerWebhooks: 'false' } });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-login-home-'));
  runtimeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-login-run-'));
  env = {
    PATH: process.env.PATH ?? '', HOME: home, XDG_RUNTIME_DIR: runtimeDir, BRIDGE_URL: bridge.url,
    CLI_LOGIN_AUTHORITY: `${sandbox.issuer.baseUrl}/${TENANT_ID}`, CLI_LOGIN_CLIENT_ID: BRIDGE_API.clientId, CLI_LOGIN_SCOPE: BRIDGE_API.scope,
  };
}, 60_000);

afterAll(async () => {
  if (env) await askAgent(env, { op: 'stop' }).catch(() => undefined);
  await bridge?.close();
  await sandbox?.close();
  for (const d of [home, runtimeDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

describe('finops-bridge login (device code, sign-in agent)', () => {
  it('signs in with a code approved at the verification page; status then needs no --token', async () => {
    const r = await login(approveAs('admin'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`To sign in, use a web browser to open the page ${sandbox.issuer.deviceLoginUrl} and enter the code`);
    expect(r.out).toContain('Signed in as Alex Morgan (alex.morgan@contoso.example), app roles Sync.Admin.');

    const status = await run(['status']);
    expect(status.err).toBe('');
    expect(status.out).toMatch(/^customers-accounts\s+running/m);
    expect(status.code).toBe(0);

    const dir = path.join(runtimeDir, 'finops-bridge');
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const sock = fs.lstatSync(path.join(dir, 'agent.sock'));
    expect(sock.isSocket()).toBe(true);
    expect(sock.mode & 0o777).toBe(0o600);
  }, 60_000);

  it('keeps the token out of every file and every output; --token is never echoed', async () => {
    const held = await askAgent(env, { op: 'get' });
    const token = held?.ok ? held.token : undefined;
    expect(token).toMatch(/^ey/);
    const withFlag = await run(['maps', '--token', token!], undefined, { XDG_RUNTIME_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'fb-login-none-')) });
    expect(withFlag.code).toBe(0);
    const bad = await run(['maps', '--token', 'not-a-real-token-4f7a9c']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('The bridge answered 401');
    const broken = await run(['maps'], undefined, { BRIDGE_TOKEN: 'not-a-real-token-4f7a9c\nsecond-line' });
    expect(broken.code).toBe(2);
    expect(broken.err).toContain('The token in BRIDGE_TOKEN is not a bearer token');
    for (const text of printed) {
      expect(text).not.toContain(token);
      expect(text).not.toContain('not-a-real-token-4f7a9c');
    }
    // No file anywhere under the home or the agent's directory holds it (the socket carries no data).
    const files = (root: string): string[] => fs.readdirSync(root, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
    for (const f of [...files(home), ...files(runtimeDir)]) expect(fs.readFileSync(f, 'utf8')).not.toContain(token);
    expect(files(home)).toEqual([]);
  }, 60_000);

  it('logout stops the agent; status then says to log in', async () => {
    const ping = await askAgent(env, { op: 'ping' });
    const pid = ping?.ok ? ping.pid : 0;
    expect(pid).toBeGreaterThan(0);
    const out = await run(['logout']);
    expect(out.out).toContain('Signed out');
    expect(fs.existsSync(path.join(runtimeDir, 'finops-bridge', 'agent.sock'))).toBe(false);
    const alive = () => { try { process.kill(pid, 0); return true; } catch { return false; } };
    for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive()).toBe(false);
    const status = await run(['status']);
    expect(status.code).toBe(2);
    expect(status.err).toContain('Not signed in. Run `finops-bridge login`');
  }, 60_000);

  it('says so when the user declines the sign-in', async () => {
    const r = await login(approveAs('admin', 'decline'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('The sign-in was declined at the verification page');
    expect((await run(['status'])).code).toBe(2);
  }, 60_000);

  it('renews an expiring token with the refresh token, and says to log in again when that is refused', async () => {
    expect((await login(approveAs('admin'))).code).toBe(0);
    // A refresh token of the admin's own, had by the device code flow over HTTP as the CLI has it.
    const issuerForm = async (p: string, body: Record<string, string>) =>
      (await (await fetch(`${env.CLI_LOGIN_AUTHORITY}/oauth2/v2.0/${p}`, { method: 'POST', body: new URLSearchParams(body) })).json()) as Record<string, string>;
    const dc = await issuerForm('devicecode', { client_id: BRIDGE_API.clientId, scope: `${BRIDGE_API.scope} offline_access` });
    await approveAs('admin')(dc.user_code);
    const t = await issuerForm('token', { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: BRIDGE_API.clientId, device_code: dc.device_code });
    expect(t.refresh_token).toBeTruthy();
    const expiring = {
      accessToken: 'expired.access.token', refreshToken: t.refresh_token, expiresAt: Date.now() + 60_000, user: 'Alex Morgan',
      tokenEndpoint: `${env.CLI_LOGIN_AUTHORITY}/oauth2/v2.0/token`, clientId: BRIDGE_API.clientId, scope: BRIDGE_API.scope,
    };
    await askAgent(env, { op: 'put', session: expiring });
    const renewed = await run(['status']);
    expect(renewed.err).toBe('');
    expect(renewed.code).toBe(0);
    await askAgent(env, { op: 'put', session: { ...expiring, refreshToken: 'spent-or-revoked' } });
    const refused = await run(['status']);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/The sign-in has expired \(invalid_grant: AADSTS70008: .*\): run `finops-bridge login` again/);
    await run(['logout']);
  }, 60_000);

  it('says so when the code expires before anyone signs in', async () => {
    const r = await login(async () => { sandbox.issuer.expireDeviceCodes(); });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/The code [A-Z0-9]+ expired before anyone signed in with it \(it was valid for 15 minutes\): run `finops-bridge login` again/);
  }, 60_000);
});
