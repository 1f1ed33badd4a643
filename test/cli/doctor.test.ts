// `finops-bridge doctor` against the sandbox with one thing broken at a time: each problem is named with
// its fix, and the all-fine run exits 0.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BRIDGE_CLIENT, EXTRA_BRIDGE_CLIENTS, createTestCertificate, startManagedIdentityEndpoint, sandboxEnv } from '@finops-bridge/sandbox';
import { builtSolutionZip, cli, startCliWorld, type CliWorld } from './support';

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

/** Calls the sandbox Dataverse Web API as the bridge's application user (System Customizer). */
async function dv(who: 'bridge', method: string, path: string, body?: unknown): Promise<Response> {
  const token = await w.sandbox.getToken(who, 'dataverse');
  return fetch(`${w.sandbox.urls.dataverseApi}/${path}`, {
    method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(method === 'PATCH' ? { 'If-Match': '*' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Runs `fn` with the rows of `table` that `which` picks taken out of the sandbox, then puts them back. */
async function without<T>(table: string, key: string, which: (row: Record<string, unknown>) => boolean, fn: () => Promise<T>): Promise<T> {
  const store = w.sandbox.dataverse.store;
  const rows = store.all(table).filter(which);
  expect(rows.length).toBeGreaterThan(0);
  for (const r of rows) store.remove(table, String(r[key]));
  try {
    return await fn();
  } finally {
    for (const r of rows) store.put(table, String(r[key]), r, 'created');
  }
}

/** The value row of a bridge environment variable. */
function envValueRow(schemaName: string): Record<string, unknown> {
  return w.sandbox.dataverse.store.all('environmentvariablevalue').find((r) => r.schemaname === schemaName)!;
}

beforeAll(async () => {
  w = await startCliWorld();
  // The admin guide's steps 4 and 5, as an admin does them: import the package, point fob_BridgeUrl at the
  // bridge, register the webhooks.
  const imported = await dv('bridge', 'POST', 'ImportSolution', { CustomizationFile: builtSolutionZip(w.bridge.url).toString('base64'), OverwriteUnmanagedCustomizations: true, PublishWorkflows: true, ImportJobId: randomUUID() });
  expect(imported.status).toBe(204);
  expect((await dv('bridge', 'PATCH', `environmentvariablevalues(${String(envValueRow('fob_BridgeUrl').environmentvariablevalueid)})`, { value: w.bridge.url })).status).toBe(204);
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

  it('says which credential the bridge uses', async () => {
    expect((await cli(['doctor'], w.env)).out).toContain(`[ok  ] credential: client secret of app ${BRIDGE_CLIENT.clientId}`);
  });

  it('checks every extra application user against Dataverse and names the one that fails', async () => {
    const env = { ...w.env, ...sandboxEnv(w.sandbox.urls, { extraUsers: 2 }) };
    const [two, three] = EXTRA_BRIDGE_CLIENTS;
    const ok = await cli(['doctor'], env);
    expect(ok.out).toContain(`[ok  ] application user 2 of 3 (${two.clientId}): Dataverse accepts it (WhoAmI: systemuser ${two.systemUserId})`);
    expect(ok.out).toContain(`[ok  ] application user 3 of 3 (${three.clientId}): Dataverse accepts it (WhoAmI: systemuser ${three.systemUserId})`);
    expect(ok.code).toBe(0);
    // A wrong secret for the third: no token, named by its client id and place in the list.
    const badSecret = await cli(['doctor'], { ...env, EXTRA_CLIENT_SECRETS: `${two.clientSecret},not-the-secret` });
    expect(badSecret.code).toBe(1);
    expect(badSecret.out).toMatch(new RegExp(`\\[FAIL\\] application user 3 of 3 \\(${three.clientId}\\): no Dataverse token: .*AADSTS7000215`));
    expect(badSecret.out).toContain('fix: check entry 2 of EXTRA_CLIENT_IDS and EXTRA_CLIENT_SECRETS');
    expect(badSecret.out).not.toContain('not-the-secret');
    expect(badSecret.out).toContain(`[ok  ] application user 2 of 3 (${two.clientId})`);
    // The second has a token but no application user in Dataverse.
    const noUser = await without('systemuser', 'systemuserid', (r) => r.systemuserid === two.systemUserId, () => cli(['doctor'], env));
    expect(noUser.code).toBe(1);
    expect(noUser.out).toMatch(new RegExp(`\\[FAIL\\] application user 2 of 3 \\(${two.clientId}\\): Dataverse answers HTTP 40[13]`));
    expect(noUser.out).toContain(`fix: create an application user for app ${two.clientId} in Dataverse`);
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
    expect(r.out).toMatch(/\[FAIL\] token for Dataverse: client secret of app .*: token endpoint unreachable/);
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

  it('names a missing dual-write core solution (a prerequisite: the tables the maps write)', async () => {
    const r = await without('solution', 'solutionid', (row) => row.uniquename === 'Dynamics365SupplyChainCommon', () => cli(['doctor'], w.env));
    expect(r.code).toBe(1);
    expect(r.out).toContain('[FAIL] dual-write core solutions: missing Dynamics365SupplyChainCommon');
    expect(r.out).toContain("fix: install Microsoft's dual-write core solutions");
    // Without it the tables it brings do not exist: doctor names the one the enabled map writes.
    expect(r.out).toMatch(/\[FAIL\] table cdm_company: does not exist in this environment/);
    expect((await cli(['doctor'], w.env)).out).toContain('[ok  ] dual-write core solutions');
  });

  it('names a table the enabled maps need that this Dataverse lacks, and which maps need it', async () => {
    const faults = (body: unknown) => fetch(`${w.sandbox.urls.dataverse}/_sandbox/faults`, { method: 'POST', body: JSON.stringify(body) });
    await faults({ missingTables: ['msdyn_customergroup', 'msdyn_vendorgroup'] });
    try {
      const r = await cli(['doctor'], w.env);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/\[FAIL\] table msdyn_customergroup: does not exist in this environment; needed by .*customers-accounts/);
      expect(r.out).toContain("fix: install Microsoft's dual-write core solutions (Dual-write Application Core; docs/admin-guide.md, section 3b)");
      expect(r.out).not.toContain('[ok  ] Dataverse schema');
      // With the vendor maps enabled, their table is checked too, named with the maps that need it.
      const vendorMaps = await cli(['doctor'], { ...w.env, SYNC_MAPS: 'customers-accounts,vendor-groups,vendors' });
      expect(vendorMaps.out).toContain('[FAIL] table msdyn_vendorgroup: does not exist in this environment; needed by vendor-groups, vendors');
    } finally {
      await faults({});
    }
    expect((await cli(['doctor'], w.env)).out).toMatch(/\[ok {2}\] Dataverse schema: the \d+ tables the enabled maps use have every column and alternate key they need/);
  });

  it('warns (without failing) that balance and overdue amount will show as unavailable on an F&O without the balance entity', async () => {
    const faults = (body: unknown) => fetch(`${w.sandbox.urls.fno}/_sandbox/faults`, { method: 'POST', body: JSON.stringify(body) });
    expect((await cli(['doctor'], w.env)).out).toContain('[ok  ] F&O balance entity: FinOpsBridgeCustomerBalances answers');
    await faults({ missingEntitySets: ['FinOpsBridgeCustomerBalances'] });
    try {
      const r = await cli(['doctor'], w.env);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/\[WARN\] F&O balance entity: F&O has no FinOpsBridgeCustomerBalances entity: the panel shows balance and overdue amount as unavailable \(never 0\)/);
      expect(r.out).toContain('fix: deploy the read-only FinOpsBridgeCustomerBalances entity to F&O (docs/admin-guide.md, "Balance and overdue amount")');
    } finally {
      await faults({ missingEntitySets: [] });
    }
  });

  it('warns about a company without a default owning team, whose users would not see the rows the bridge creates', async () => {
    expect((await cli(['doctor'], w.env)).out).toMatch(/\[ok {2}\] company owner teams: each of the 3 companies has a default owning team/);
    const store = w.sandbox.dataverse.store;
    const semf = store.all('cdm_company').find((c) => c.cdm_companycode === 'semf')!;
    store.put('cdm_company', String(semf.cdm_companyid), { ...semf, _cdm_defaultowningteam_value: null }, 'updated');
    try {
      const r = await cli(['doctor'], w.env);
      expect(r.code).toBe(0);
      expect(r.out).toContain('[WARN] company owner teams: no default owning team for semf: rows the bridge creates there are owned by its application user');
      expect(r.out).toContain('fix: set the company\'s Default owning team in Dataverse (Company form), as dual-write does (docs/admin-guide.md, section 3c)');
    } finally {
      store.put('cdm_company', String(semf.cdm_companyid), semf, 'updated');
    }
  });

  it('names a FinOps Bridge solution that was never imported', async () => {
    const r = await without('solution', 'solutionid', (row) => row.uniquename === 'FinOpsBridge', () => cli(['doctor'], w.env));
    expect(r.code).toBe(1);
    expect(r.out).toContain('[FAIL] FinOps Bridge solution: not installed');
    expect(r.out).toContain('import the managed zip (docs/admin-guide.md, section 4)');
  });

  it('names a bridge address the controls do not have, and one that points elsewhere', async () => {
    const row = envValueRow('fob_BridgeUrl');
    const unset = await without('environmentvariablevalue', 'environmentvariablevalueid', (r) => r === row, () => cli(['doctor'], w.env));
    expect(unset.code).toBe(1);
    expect(unset.out).toContain('[FAIL] fob_BridgeUrl: has no value: the controls show "The bridge address is not configured"');
    expect(unset.out).toContain(`fix: set fob_BridgeUrl to ${w.bridge.url}`);
    const setUrl = (value: string) => dv('bridge', 'PATCH', `environmentvariablevalues(${String(row.environmentvariablevalueid)})`, { value });
    expect((await setUrl('https://old-bridge.contoso.example')).status).toBe(204);
    try {
      const elsewhere = await cli(['doctor'], w.env);
      expect(elsewhere.out).toContain(`[WARN] fob_BridgeUrl: is https://old-bridge.contoso.example, but the bridge's public address is ${w.bridge.url}`);
    } finally {
      expect((await setUrl(w.bridge.url)).status).toBe(204);
    }
  });

  it('names a fob_BridgeAppId whose tokens the bridge would refuse', async () => {
    const r = await cli(['doctor'], { ...w.env, AUTH_AUDIENCES: 'api://another-api' });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\[FAIL\] fob_BridgeAppId: is [0-9a-f-]+, which the bridge does not accept as audience \(AUTH_AUDIENCES: api:\/\/another-api\)/);
  });

  it('warns about webhook steps that keep their system jobs, until setup runs', async () => {
    const [step] = w.sandbox.dataverse.store.all('sdkmessageprocessingstep').filter((s) => String(s.name).startsWith('FinOps Bridge:'));
    expect((await dv('bridge', 'PATCH', `sdkmessageprocessingsteps(${String(step.sdkmessageprocessingstepid)})`, { asyncautodelete: false })).status).toBe(204);
    const r = await cli(['doctor'], w.env);
    expect(r.out).toContain(`[WARN] webhook steps auto-delete: ${String(step.name)} keep a system job per webhook call`);
    expect(r.out).toContain('fix: run `finops-bridge setup`: it turns auto-delete on');
    expect((await cli(['setup'], w.env)).code).toBe(0);
    expect((await cli(['doctor'], w.env)).out).toContain('[ok  ] webhook steps auto-delete');
  });

  it('names a SQLite file on App Service network storage', async () => {
    // App Service's persistent share; built from parts, as the repository test refuses machine paths in code.
    const shared = `${'/home'}/data`;
    const r = await cli(['doctor'], { ...w.env, WEBSITE_SITE_NAME: 'finops-bridge', DATA_DIR: shared });
    expect(r.code).toBe(1);
    expect(r.out).toContain(`[FAIL] storage: the SQLite file is in ${shared}, on App Service's network share (/home)`);
    expect(r.out).toContain('fix: set DATABASE_URL to a PostgreSQL database');
  });

  it('warns (without failing) when Microsoft dual-write is installed', async () => {
    const token = await w.sandbox.getToken('bridge', 'dataverse');
    const res = await fetch(`${w.sandbox.urls.dataverseApi}/solutions`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ uniquename: 'DualWriteCore', friendlyname: 'Dual-write core', version: '1.0.0.0' }),
    });
    expect(res.status).toBeLessThan(300);
    const r = await cli(['doctor'], w.env);
    expect(r.out).toContain("[WARN] dual-write: Microsoft's dual-write is installed (DualWriteCore)");
    expect(r.code).toBe(0);
  });
});

describe('finops-bridge doctor with a certificate or a managed identity (issue 17)', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(path.join(tmpdir(), 'fob-doctor-cred-')); });
  afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

  /** The CLI world's environment with the secret replaced by other variables. */
  const withCredential = (vars: Record<string, string>) => {
    const { CLIENT_SECRET: _secret, ...env } = w.env;
    return { ...env, ...vars };
  };
  const pemFile = (name: string, pem: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, pem);
    return file;
  };

  it('names the certificate in use and gets tokens with it', async () => {
    const cert = createTestCertificate({ commonName: 'bridge doctor' });
    w.sandbox.issuer.registerBridgeCertificate(cert.certificatePem);
    const r = await cli(['doctor'], withCredential({ CLIENT_CERTIFICATE_PATH: pemFile('ok.pem', cert.pem) }));
    expect(r.out).toMatch(new RegExp(`\\[ok  \\] credential: certificate CN=bridge doctor \\(thumbprint [0-9A-F]{40}, valid until [\\d-]+\\) of app ${BRIDGE_CLIENT.clientId}`));
    expect(r.out).toMatch(/\[ok {2}\] token for F&O: certificate CN=bridge doctor .*: token for http:\/\/127\.0\.0\.1:\d+ received/);
    expect(r.out).toContain('[ok  ] Dataverse access');
    expect(r.out).not.toContain('[FAIL]');
    expect(r.code).toBe(0);
  });

  it('names a certificate the app registration does not have, with its thumbprint', async () => {
    const r = await cli(['doctor'], withCredential({ CLIENT_CERTIFICATE_PATH: pemFile('unknown.pem', createTestCertificate().pem) }));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\[FAIL\] token for F&O: certificate .*AADSTS700027/);
    expect(r.out).toMatch(/fix: the certificate [0-9A-F]{40} is not registered on app .*Certificates & secrets > Certificates/);
  });

  it('warns about a certificate that expires within 30 days', async () => {
    const soon = createTestCertificate({ notAfter: new Date(Date.now() + 10 * 86_400_000) });
    w.sandbox.issuer.registerBridgeCertificate(soon.certificatePem);
    const r = await cli(['doctor'], withCredential({ CLIENT_CERTIFICATE_PATH: pemFile('soon.pem', soon.pem) }));
    expect(r.out).toMatch(/\[WARN\] credential: certificate .*: expires in (9|10) days/);
    expect(r.code).toBe(0);
  });

  it('names an unreadable certificate file as a configuration problem', async () => {
    const r = await cli(['doctor'], withCredential({ CLIENT_CERTIFICATE_PATH: path.join(dir, 'nope.pem') }));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\[FAIL\] configuration CLIENT_CERTIFICATE_PATH: CLIENT_CERTIFICATE_PATH: cannot read .*nope\.pem \(ENOENT\)/);
  });

  it('names the managed identity in use, gets tokens with it, and says what to do when none answers', async () => {
    const mi = await startManagedIdentityEndpoint({ issuer: w.sandbox.issuer });
    try {
      const { CLIENT_ID: _id, TOKEN_URL: _url, ...env } = withCredential({ CLIENT_CREDENTIAL: 'managed-identity', IDENTITY_ENDPOINT: mi.identityEndpoint, IDENTITY_HEADER: mi.identityHeader });
      const r = await cli(['doctor'], env);
      expect(r.out).toContain(`[ok  ] credential: system-assigned managed identity through the App Service / Container Apps identity endpoint ${mi.identityEndpoint}`);
      expect(r.out).toMatch(new RegExp(`\\[ok  \\] token for Dataverse: system-assigned managed identity .* received \\(its app id is ${BRIDGE_CLIENT.clientId}\\)`));
      expect(r.out).not.toContain('[FAIL]');
      expect(r.code).toBe(0);
      const imds = await cli(['doctor'], { ...env, IDENTITY_ENDPOINT: '', IDENTITY_HEADER: '', AZURE_POD_IDENTITY_AUTHORITY_HOST: `http://127.0.0.1:${closedPort}` });
      expect(imds.code).toBe(1);
      expect(imds.out).toMatch(/\[FAIL\] token for F&O: system-assigned managed identity through the Azure instance metadata service \(IMDS\).*unreachable/);
      expect(imds.out).toContain('fix: no managed identity answers here: on an Azure VM turn on its identity');
    } finally {
      await mi.close();
    }
  });
});
