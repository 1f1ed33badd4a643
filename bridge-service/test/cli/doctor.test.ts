// `finops-bridge doctor` against the sandbox with one thing broken at a time: each problem is named with
// its fix, and the all-fine run exits 0.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BRIDGE_CLIENT } from '@finops-bridge/sandbox';
import { cli, startCliWorld, type CliWorld } from './support';

let w: CliWorld;
let closedPort: number;
let rejecting: http.Server;
let rejectingUrl: string;

/** A port nothing listens on (bound, then released). */
async function freedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

beforeAll(async () => {
  w = await startCliWorld();
  expect((await cli(['setup'], w.env)).code).toBe(0);
  closedPort = await freedPort();
  // F&O has no knob for "application not registered": this stand-in answers every request as F&O does
  // then (401 to a token it cannot map to a user), so doctor must tell it from a bad credential.
  rejecting = http.createServer((_req, res) => {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ Message: 'Authentication failed.' }));
  });
  await new Promise<void>((r) => rejecting.listen(0, '127.0.0.1', r));
  rejectingUrl = `http://127.0.0.1:${(rejecting.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await new Promise<void>((r) => rejecting?.close(() => r()));
  await w?.close();
});

describe('finops-bridge doctor', () => {
  it('passes every check when all is well (exit 0), also as --json', async () => {
    const r = await cli(['doctor'], w.env);
    expect(r.out).not.toContain('[FAIL]');
    expect(r.out).toContain('[ok  ] webhook endpoint: points at');
    expect(r.out).toContain('[ok  ] bridge webhook secret');
    expect(r.out).toContain('[ok  ] bridge webhook authentication: a wrong secret is refused with 401');
    expect(r.code).toBe(0);
    const j = JSON.parse((await cli(['doctor', '--json'], w.env)).out) as { ok: boolean; checks: Array<{ status: string }> };
    expect(j.ok).toBe(true);
    expect(j.checks.length).toBeGreaterThan(10);
  });

  it('names a wrong client secret and how to replace it', async () => {
    const r = await cli(['doctor'], { ...w.env, CLIENT_SECRET: 'not-the-secret' });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\[FAIL\] token for F&O: .*AADSTS7000215/);
    expect(r.out).toContain('fix: CLIENT_SECRET is wrong or expired');
  });

  it('names an unreachable F&O', async () => {
    const r = await cli(['doctor'], { ...w.env, FNO_URL: `http://127.0.0.1:${closedPort}` });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\[FAIL\] F&O reachable: no answer from http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect(r.out).toContain('[ok  ] Dataverse access');
  });

  it('names an unreachable token issuer', async () => {
    const idp = `http://127.0.0.1:${closedPort}`;
    const r = await cli(['doctor'], { ...w.env, TOKEN_URL: `${idp}/t/oauth2/v2.0/token`, AUTH_DISCOVERY_URL: `${idp}/t/v2.0/.well-known/openid-configuration` });
    expect(r.code).toBe(1);
    expect(r.out).toContain('[FAIL] token issuer: no OpenID configuration');
    expect(r.out).toMatch(/\[FAIL\] token for Dataverse: token endpoint unreachable/);
    expect(r.out).toContain(`fix: make ${idp} reachable from this machine`);
  });

  it('names an application F&O does not know (registered in Entra, not in F&O)', async () => {
    const r = await cli(['doctor'], { ...w.env, FNO_URL: rejectingUrl });
    expect(r.code).toBe(1);
    expect(r.out).toContain('[ok  ] token for F&O');
    expect(r.out).toContain("[FAIL] F&O access: answers 401 to a valid token of the bridge's service principal");
    expect(r.out).toContain(`fix: the application ${BRIDGE_CLIENT.clientId} is not registered in F&O: add it in System administration > Setup > Microsoft Entra ID applications`);
  });

  it('names a webhook secret the bridge does not share', async () => {
    const r = await cli(['doctor'], { ...w.env, DATAVERSE_WEBHOOK_SECRET: 'a-different-secret-0123456789' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('[FAIL] bridge webhook secret: the bridge refuses the configured DATAVERSE_WEBHOOK_SECRET');
    expect(r.out).toContain('fix: give the bridge and setup the same DATAVERSE_WEBHOOK_SECRET');
  });

  it('names a webhook endpoint that points elsewhere', async () => {
    const r = await cli(['doctor'], { ...w.env, BRIDGE_PUBLIC_URL: 'http://127.0.0.1:9/elsewhere' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('[FAIL] webhook endpoint: points at');
    expect(r.out).toContain('fix: run `finops-bridge setup`');
  });

  it('names a configuration variable with a bad value', async () => {
    const r = await cli(['doctor'], { ...w.env, DATAVERSE_URL: 'not a url' });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\[FAIL\] configuration DATAVERSE_URL: DATAVERSE_URL: expected an http\(s\) URL/);
  });

  it('warns (without failing) when Microsoft dual-write is installed', async () => {
    const token = await w.sandbox.getToken('bridge', 'dataverse');
    const res = await fetch(`${w.sandbox.urls.dataverseApi}/solutions`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ uniquename: 'Dynamics365FinanceAndOperationsCommon', friendlyname: 'Dynamics 365 Finance and Operations Common', version: '1.0.0.0' }),
    });
    expect(res.status).toBeLessThan(300);
    const r = await cli(['doctor'], w.env);
    expect(r.out).toContain("[WARN] dual-write: Microsoft's dual-write is installed (Dynamics365FinanceAndOperationsCommon)");
    expect(r.code).toBe(0);
  });
});
