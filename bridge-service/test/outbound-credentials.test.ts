// The bridge's own credential toward F&O and Dataverse (issue 17): a certificate (client assertion) and a managed
// identity (App Service / Container Apps endpoint, VM IMDS), against the sandbox's issuer and its managed identity
// stand-in over real HTTP, from configuration to a token that the sandbox F&O accepts.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import {
  BRIDGE_CLIENT, createTestCertificate, sandboxEnv, startManagedIdentityEndpoint, startSandbox,
  type ManagedIdentityEndpoint, type Sandbox, type TestCertificate,
} from '@finops-bridge/sandbox';
import { loadConfig, type BridgeConfig } from '../src/config';
import { createTokenProvider, TokenError } from '../src/clients/token-provider';
import { buildApp } from '../src/app';
import { openStore } from '../src/db/connection';
import { firstAccountPerCompany, linkAsTheSyncWould, type AccountsByCompany } from './support/accounts';

let sandbox: Sandbox;
let mi: ManagedIdentityEndpoint;
let dir: string;
let cert: TestCertificate;
let certPath: string;
/** The bridge's configuration for the sandbox, without any credential variable. */
let base: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({ ports: { fno: 0, dataverse: 0, identity: 0 }, quiet: true, customers: 5 });
  mi = await startManagedIdentityEndpoint({ issuer: sandbox.issuer });
  dir = mkdtempSync(path.join(tmpdir(), 'fob-cred-'));
  cert = createTestCertificate({ commonName: 'finops-bridge test' });
  sandbox.issuer.registerBridgeCertificate(cert.certificatePem);
  certPath = path.join(dir, 'bridge.pem');
  writeFileSync(certPath, cert.pem);
  const { CLIENT_SECRET: _secret, CLIENT_ID: _id, TOKEN_URL: _url, ...rest } = sandboxEnv(sandbox.urls);
  base = rest;
}, 60_000);

afterAll(async () => {
  await mi?.close();
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const certificateEnv = (file = certPath, extra: Record<string, string> = {}) =>
  ({ ...base, CLIENT_ID: BRIDGE_CLIENT.clientId, TOKEN_URL: sandbox.urls.tokenEndpoint, CLIENT_CERTIFICATE_PATH: file, ...extra });

/** F&O's service document with the token: 200 only when the sandbox F&O accepts it. */
async function fnoAccepts(token: string): Promise<number> {
  return (await fetch(`${sandbox.urls.fno}/data/`, { headers: { authorization: `Bearer ${token}` } })).status;
}

function providerFor(config: BridgeConfig) {
  return createTokenProvider({ credential: config.outbound.credential, retryDelaysMs: [20, 20] });
}

describe('certificate credential', () => {
  it('gets a token with a client assertion that the sandbox F&O accepts', async () => {
    const config = loadConfig(certificateEnv());
    expect(config.outbound.credential.kind).toBe('certificate');
    expect(config.outbound.clientSecret).toBeUndefined();
    const tokens = providerFor(config);
    expect(tokens.description).toMatch(new RegExp(`^certificate CN=finops-bridge test \\(thumbprint [0-9A-F]{40}, valid until \\d{4}-\\d\\d-\\d\\d\\) of app ${BRIDGE_CLIENT.clientId}$`));
    const token = await tokens.getToken(sandbox.urls.fno);
    expect(decodeJwt(token)).toMatchObject({ azp: BRIDGE_CLIENT.clientId, aud: sandbox.urls.fno });
    expect(await fnoAccepts(token)).toBe(200);
  });

  it('signs a new assertion for every token request (a replayed jti would be refused)', async () => {
    const tokens = providerFor(loadConfig(certificateEnv()));
    await tokens.getToken(sandbox.urls.fno, true);
    await tokens.getToken(sandbox.urls.fno, true);
    await expect(tokens.getToken(sandbox.urls.dataverse, true)).resolves.toMatch(/^eyJ/);
  });

  it('reads a key encrypted with CLIENT_CERTIFICATE_PASSWORD', async () => {
    const locked = createTestCertificate({ password: 'correct horse' });
    sandbox.issuer.registerBridgeCertificate(locked.certificatePem);
    const file = path.join(dir, 'locked.pem');
    writeFileSync(file, locked.pem);
    const token = await providerFor(loadConfig(certificateEnv(file, { CLIENT_CERTIFICATE_PASSWORD: 'correct horse' }))).getToken(sandbox.urls.fno);
    expect(await fnoAccepts(token)).toBe(200);
  });

  it('reports the issuer refusing a certificate that is not registered (AADSTS700027), as a TokenError', async () => {
    const other = createTestCertificate({ commonName: 'never uploaded' });
    const file = path.join(dir, 'other.pem');
    writeFileSync(file, other.pem);
    const err = await providerFor(loadConfig(certificateEnv(file))).getToken(sandbox.urls.fno).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenError);
    expect((err as Error).message).toMatch(/^token request failed: AADSTS700027: .*key was not found/);
  });

  it('reports a wrong client id (the assertion is for another app) and a wrong tenant', async () => {
    const wrongApp = await providerFor(loadConfig(certificateEnv(certPath, { CLIENT_ID: '00000000-0000-4000-8000-000000000000' }))).getToken(sandbox.urls.fno).catch((e: unknown) => e);
    expect((wrongApp as Error).message).toMatch(/AADSTS700016/);
    const wrongTenant = sandbox.urls.tokenEndpoint.replace(/\/[0-9a-f-]{36}\//, '/11111111-2222-4333-8444-555555555555/');
    const err = await providerFor(loadConfig(certificateEnv(certPath, { TOKEN_URL: wrongTenant }))).getToken(sandbox.urls.fno).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/AADSTS90002/);
  });
});

describe('managed identity credential', () => {
  it('gets tokens from the App Service / Container Apps endpoint (IDENTITY_ENDPOINT, IDENTITY_HEADER)', async () => {
    const config = loadConfig({ ...base, CLIENT_CREDENTIAL: 'managed-identity', IDENTITY_ENDPOINT: mi.identityEndpoint, IDENTITY_HEADER: mi.identityHeader });
    const tokens = providerFor(config);
    expect(tokens.description).toBe(`system-assigned managed identity through the App Service / Container Apps identity endpoint ${mi.identityEndpoint}`);
    const before = mi.issued.appService;
    const token = await tokens.getToken(sandbox.urls.fno);
    expect(decodeJwt(token)).toMatchObject({ appid: BRIDGE_CLIENT.clientId, aud: sandbox.urls.fno });
    expect(await fnoAccepts(token)).toBe(200);
    await tokens.getToken(sandbox.urls.fno);
    expect(mi.issued.appService - before).toBe(1); // cached until expires_on, less the margin
  });

  it('gets tokens from IMDS, for a user-assigned identity named by CLIENT_ID', async () => {
    const config = loadConfig({ ...base, CLIENT_CREDENTIAL: 'managed-identity', CLIENT_ID: BRIDGE_CLIENT.clientId, AZURE_POD_IDENTITY_AUTHORITY_HOST: mi.imdsHost });
    const tokens = providerFor(config);
    expect(tokens.description).toBe(`user-assigned managed identity ${BRIDGE_CLIENT.clientId} through the Azure instance metadata service (IMDS) at ${mi.imdsHost}`);
    const before = mi.issued.imds;
    expect(await fnoAccepts(await tokens.getToken(sandbox.urls.fno))).toBe(200);
    expect(mi.issued.imds - before).toBe(1);
  });

  it('retries a throttled or updating IMDS (429, 503) and then gets the token', async () => {
    const tokens = providerFor(loadConfig({ ...base, CLIENT_CREDENTIAL: 'managed-identity', AZURE_POD_IDENTITY_AUTHORITY_HOST: mi.imdsHost }));
    mi.failNext(429, 2);
    await expect(tokens.getToken(sandbox.urls.dataverse)).resolves.toMatch(/^eyJ/);
    mi.failNext(503, 3);
    const err = await tokens.getToken(sandbox.urls.fno, true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenError);
    expect((err as Error).message).toMatch(/managed identity refused .*HTTP 503/);
  });

  it('names an identity that is not assigned, and an endpoint that does not answer', async () => {
    const unknown = providerFor(loadConfig({ ...base, CLIENT_CREDENTIAL: 'managed-identity', CLIENT_ID: '9d5c2a8e-1111-4222-8333-444455556666', IDENTITY_ENDPOINT: mi.identityEndpoint, IDENTITY_HEADER: mi.identityHeader }));
    await expect(unknown.getToken(sandbox.urls.fno)).rejects.toThrow(/HTTP 400\): Unable to load the proper Managed Identity/);
    const nowhere = providerFor(loadConfig({ ...base, CLIENT_CREDENTIAL: 'managed-identity', AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:9' }));
    await expect(nowhere.getToken(sandbox.urls.fno)).rejects.toThrow(/managed identity endpoint unreachable .*IMDS.*Is the bridge running on Azure/);
  });
});

describe('the bridge with each credential', () => {
  const cases: [string, () => Record<string, string>][] = [
    ['a certificate', () => certificateEnv()],
    ['a managed identity (App Service endpoint)', () => ({ ...base, CLIENT_CREDENTIAL: 'managed-identity', IDENTITY_ENDPOINT: mi.identityEndpoint, IDENTITY_HEADER: mi.identityHeader })],
  ];

  it.each(cases)('serves a finance summary read from F&O and Dataverse with %s', async (_what, env) => {
    const app = await buildApp(loadConfig({ ...env(), LOG_LEVEL: 'silent', DATA_DIR: '/tmp/unused' }), { store: await openStore({ sqliteFile: ':memory:' }), extensions: [] });
    try {
      const accounts: AccountsByCompany = await firstAccountPerCompany(app.bridge.clients.dataverse);
      await linkAsTheSyncWould(app.bridge.repos.links, accounts);
      const res = await app.inject({ url: `/api/v1/accounts/${accounts.usmf.accountid}/finance`, headers: { authorization: `Bearer ${await sandbox.getToken('sales', 'bridge')}` } });
      expect([res.statusCode, res.statusCode === 200 ? '' : res.body]).toEqual([200, '']);
      expect(res.json()).toMatchObject({ company: 'usmf', customerAccount: accounts.usmf.accountnumber });
    } finally {
      await app.close();
    }
  });
});

describe('credential configuration is validated at start', () => {
  const problems = (env: Record<string, string>): string => {
    try {
      loadConfig(env);
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error('loadConfig accepted the configuration');
  };
  const write = (name: string, content: string | Buffer) => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    return file;
  };

  it('asks for one credential and names the three choices', () => {
    expect(problems(base)).toMatch(/CLIENT_ID: missing[\s\S]*CLIENT_SECRET: missing \(set CLIENT_SECRET, or CLIENT_CERTIFICATE_PATH for a certificate, or CLIENT_CREDENTIAL=managed-identity on Azure\)[\s\S]*TOKEN_URL: missing/);
    expect(problems({ ...base, CLIENT_CREDENTIAL: 'kerberos' })).toMatch(/CLIENT_CREDENTIAL: expected one of secret, certificate, managed-identity/);
    expect(problems({ ...base, CLIENT_CREDENTIAL: 'certificate', CLIENT_ID: 'x', TOKEN_URL: sandbox.urls.tokenEndpoint })).toMatch(/CLIENT_CERTIFICATE_PATH: missing \(CLIENT_CREDENTIAL is certificate\)/);
    expect(problems({ ...base, CLIENT_CERTIFICATE_PATH: certPath })).toMatch(/CLIENT_ID: missing[\s\S]*TOKEN_URL: missing/);
  });

  it('refuses a secret and a certificate together, and leftovers beside a managed identity', () => {
    expect(problems(certificateEnv(certPath, { CLIENT_SECRET: 'left-over-secret' }))).toMatch(/CLIENT_SECRET: set, but the credential is a certificate: remove CLIENT_SECRET/);
    expect(problems(certificateEnv(certPath, { CLIENT_SECRET: 'x', CLIENT_CREDENTIAL: 'secret' }))).toMatch(/CLIENT_CERTIFICATE_PATH: set, but CLIENT_CREDENTIAL is secret/);
    const mixed = problems({ ...base, CLIENT_CREDENTIAL: 'managed-identity', CLIENT_SECRET: 'x', TOKEN_URL: sandbox.urls.tokenEndpoint });
    expect(mixed).toMatch(/CLIENT_SECRET: set, but CLIENT_CREDENTIAL is managed-identity, which needs no secret/);
    expect(mixed).toMatch(/TOKEN_URL: set, but CLIENT_CREDENTIAL is managed-identity/);
    expect(problems({ ...base, CLIENT_CREDENTIAL: 'managed-identity', IDENTITY_ENDPOINT: mi.identityEndpoint })).toMatch(/IDENTITY_HEADER: missing \(IDENTITY_ENDPOINT is set/);
  });

  it('names what is wrong with the certificate file', () => {
    const locked = createTestCertificate({ password: 'pw' });
    const [k1, k2] = [createTestCertificate(), createTestCertificate()];
    const cases: [string, string][] = [
      [path.join(dir, 'missing.pem'), 'cannot read .*missing.pem \\(ENOENT\\)'],
      [write('der.pfx', Buffer.from([0x30, 0x82, 0x0a, 0x01, 0x02, 0x01, 0x03])), 'is not a PEM file \\(a PFX/PKCS#12 or DER file\\?\\): convert it with `openssl pkcs12'],
      [write('only-cert.pem', cert.certificatePem), 'holds no private key'],
      [write('only-key.pem', cert.privateKeyPem), 'holds no certificate'],
      [write('locked.pem', locked.pem), 'holds an encrypted private key: set CLIENT_CERTIFICATE_PASSWORD'],
      [write('mismatch.pem', `${k1.certificatePem}${k2.privateKeyPem}`), 'holds a private key that belongs to none of its certificates'],
      [write('expired.pem', createTestCertificate({ notBefore: new Date(Date.now() - 2 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) }).pem), 'the certificate [0-9A-F]{40} expired on'],
    ];
    for (const [file, text] of cases) expect(problems(certificateEnv(file))).toMatch(new RegExp(`CLIENT_CERTIFICATE_PATH: .*${text}`));
    expect(problems(certificateEnv(write('locked2.pem', locked.pem), { CLIENT_CERTIFICATE_PASSWORD: 'wrong' }))).toMatch(/does not decrypt/);
  });

  it('never puts the private key in the configuration it returns', () => {
    const config = loadConfig(certificateEnv());
    const text = JSON.stringify(config);
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toContain(cert.privateKeyPem.split('\n')[1]);
  });
});
