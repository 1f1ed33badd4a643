// The pure parts of `finops-bridge login`: where it signs in, how it polls (against a scripted issuer on
// loopback), who a token names, where the agent's socket lives, and the order in which a token is found.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { agentDir, askAgent, ensurePrivateDir } from '../../src/cli/agent';
import { parseArgs } from '../../src/cli/args';
import { describeIssuerError, loginSettings, pollForToken, tokenUser, type DeviceCodeAnswer } from '../../src/cli/device-code';
import { resolveToken } from '../../src/cli/login';

const TENANT = '8d3c1f2e-5b7a-4c19-9e3f-1a2b3c4d5e6f';
const CLIENT = '3f6b2a1e-9c4d-4e8f-a7b2-5d1c0e9f8a71';

describe('login settings', () => {
  it('follow the bridge\'s own AUTH_* variables unless CLI_LOGIN_* says otherwise', () => {
    const env = { AUTH_ISSUERS: `https://login.microsoftonline.com/${TENANT}/v2.0,https://sts.windows.net/${TENANT}/`, AUTH_AUDIENCES: `${CLIENT},api://finops-bridge` };
    expect(loginSettings(env)).toEqual({ authority: `https://login.microsoftonline.com/${TENANT}`, clientId: CLIENT, scope: 'api://finops-bridge/user_impersonation' });
    expect(loginSettings({ ...env, CLI_LOGIN_CLIENT_ID: 'x', CLI_LOGIN_SCOPE: 'api://y/z', CLI_LOGIN_AUTHORITY: 'https://login.microsoftonline.us/t/' }))
      .toEqual({ authority: 'https://login.microsoftonline.us/t', clientId: 'x', scope: 'api://y/z' });
    expect(loginSettings({ CLI_LOGIN_AUTHORITY: 'https://a/t', AUTH_AUDIENCES: CLIENT }).scope).toBe(`api://${CLIENT}/user_impersonation`);
  });
  it('refuse plain http except to this machine, and say what is missing', () => {
    expect(() => loginSettings({ CLI_LOGIN_AUTHORITY: 'http://login.example.com/t', CLI_LOGIN_CLIENT_ID: 'c' })).toThrow(/must be https/);
    expect(loginSettings({ CLI_LOGIN_AUTHORITY: 'http://127.0.0.1:4003/t', CLI_LOGIN_CLIENT_ID: 'c' }).authority).toBe('http://127.0.0.1:4003/t');
    expect(() => loginSettings({})).toThrow(/CLI_LOGIN_AUTHORITY/);
    expect(() => loginSettings({ CLI_LOGIN_AUTHORITY: 'https://a/t' })).toThrow(/CLI_LOGIN_CLIENT_ID/);
  });
});

describe('polling the token endpoint', () => {
  let server: Server;
  let answers: Array<{ status: number; body: Record<string, unknown> }> = [];
  let authority = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const a = answers.shift() ?? { status: 500, body: { error: 'server_error' } };
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(a.body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    authority = `http://127.0.0.1:${(server.address() as AddressInfo).port}/t`;
  });
  afterAll(async () => { await new Promise((r) => server.close(r)); });

  const dc: DeviceCodeAnswer = { device_code: 'd', user_code: 'ABCD', verification_uri: 'v', expires_in: 900, interval: 5, message: 'm' };
  const settings = () => ({ authority, clientId: 'c', scope: 's' });

  it('waits the interval, 5 seconds more after slow_down, until the token comes', async () => {
    const waits: number[] = [];
    answers = [{ status: 400, body: { error: 'authorization_pending' } }, { status: 400, body: { error: 'slow_down' } }, { status: 400, body: { error: 'authorization_pending' } },
      { status: 200, body: { access_token: 'a', expires_in: 3600 } }];
    const t = await pollForToken(settings(), dc, { sleep: async (ms) => { waits.push(ms); } });
    expect(t.access_token).toBe('a');
    expect(waits).toEqual([5000, 5000, 10000, 10000]);
  });
  it('stops with a clear message when declined, expired, or refused', async () => {
    const sleep = async () => undefined;
    answers = [{ status: 400, body: { error: 'authorization_declined' } }];
    await expect(pollForToken(settings(), dc, { sleep })).rejects.toThrow(/declined at the verification page/);
    answers = [{ status: 400, body: { error: 'expired_token' } }];
    await expect(pollForToken(settings(), dc, { sleep })).rejects.toThrow(/expired before anyone signed in with it \(it was valid for 15 minutes\)/);
    answers = [{ status: 400, body: { error: 'invalid_grant', error_description: 'AADSTS50076: MFA needed.\r\nTrace ID: x' } }];
    await expect(pollForToken(settings(), dc, { sleep })).rejects.toThrow('The sign-in failed: invalid_grant: AADSTS50076: MFA needed.');
    let t = 0;
    answers = [{ status: 400, body: { error: 'authorization_pending' } }];
    await expect(pollForToken(settings(), { ...dc, expires_in: 10 }, { sleep, now: () => (t += 6000) })).rejects.toThrow(/expired/);
  });
});

describe('tokens and the agent', () => {
  it('reads who a token names, and Entra error text without trace ids', () => {
    const body = Buffer.from(JSON.stringify({ name: 'Alex Morgan', preferred_username: 'alex@x', roles: ['Sync.Admin'] })).toString('base64url');
    expect(tokenUser(`e30.${body}.sig`)).toEqual({ name: 'Alex Morgan (alex@x)', roles: ['Sync.Admin'] });
    expect(tokenUser('garbage').name).toBe('an unknown user');
    expect(describeIssuerError({ error: 'expired_token', error_description: 'AADSTS70019: Verification code expired. Trace ID: 1 Correlation ID: 2' })).toBe('expired_token: AADSTS70019: Verification code expired.');
  });
  it('keeps its socket in XDG_RUNTIME_DIR, else in a per-user folder of the temp dir, and refuses a folder others can enter', async () => {
    expect(agentDir({ XDG_RUNTIME_DIR: '/run/user/1000' })).toBe(path.join('/run/user/1000', 'finops-bridge'));
    expect(agentDir({}, 1000, '/tmp')).toBe(path.join('/tmp', 'finops-bridge-1000'));
    const open = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-agent-open-'));
    fs.chmodSync(open, 0o755);
    expect(() => ensurePrivateDir(open)).toThrow(/not a private directory/);
    fs.mkdirSync(path.join(open, 'finops-bridge'), { mode: 0o777 });
    fs.chmodSync(path.join(open, 'finops-bridge'), 0o777);
    fs.writeFileSync(path.join(open, 'finops-bridge', 'agent.sock'), '');
    await expect(askAgent({ XDG_RUNTIME_DIR: open }, { op: 'get' })).rejects.toThrow(/not a private directory/);
    const fresh = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fb-agent-')), 'finops-bridge');
    ensurePrivateDir(fresh);
    expect(fs.statSync(fresh).mode & 0o777).toBe(0o700);
  });
  it('takes --token, then BRIDGE_TOKEN, then the agent, and otherwise says to log in', async () => {
    const none = { XDG_RUNTIME_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'fb-agent-none-')) };
    expect(await resolveToken(parseArgs(['maps', '--token', 'flag']), { ...none, BRIDGE_TOKEN: 'env' })).toBe('flag');
    expect(await resolveToken(parseArgs(['maps']), { ...none, BRIDGE_TOKEN: 'env' })).toBe('env');
    await expect(resolveToken(parseArgs(['maps']), none)).rejects.toThrow('Not signed in. Run `finops-bridge login`');
    expect(await resolveToken(parseArgs(['maps']), { ...none, BRIDGE_TOKEN: 'eyJa.eyJb.c-_d\r\n' })).toBe('eyJa.eyJb.c-_d');
  });
  it('refuses a token with characters no token has, without quoting it', async () => {
    const none = { XDG_RUNTIME_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'fb-agent-none-')) };
    for (const bad of ['secret-one\nsecret-two', 'Bearer secret-three', 'sécret-four']) {
      const err = await resolveToken(parseArgs(['maps', '--token', bad]), none).then(() => undefined, (e: Error) => e);
      expect(err?.message).toMatch(/The token in --token is not a bearer token/);
      expect(err?.message).not.toMatch(/secret|sécret/);
    }
  });
});
