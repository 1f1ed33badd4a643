// The sandbox issuer's certificate credential and managed identity endpoints, exercised over HTTP with
// assertions signed here by jose (not by the bridge's code, so the two implementations check each other).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { decodeJwt, SignJWT } from 'jose';
import { startIssuer, type IssuerServer } from './issuer';
import { startManagedIdentityEndpoint, type ManagedIdentityEndpoint } from './managed-identity';
import { createTestCertificate, type TestCertificate } from './certificate';
import { BRIDGE_CLIENT, TENANT_ID } from './principals';

let issuer: IssuerServer;
let mi: ManagedIdentityEndpoint;
let cert: TestCertificate;
let key: KeyObject;
const stranger = createTestCertificate({ commonName: 'not registered' });
const expiredCert = createTestCertificate({ commonName: 'expired', notBefore: new Date(Date.now() - 2 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });

beforeAll(async () => {
  cert = createTestCertificate();
  key = createPrivateKey(cert.privateKeyPem);
  issuer = await startIssuer({ port: 0, bridgeCertificates: [cert.certificatePem] });
  issuer.registerBridgeCertificate(expiredCert.certificatePem);
  mi = await startManagedIdentityEndpoint({ issuer });
});
afterAll(async () => {
  await mi.close();
  await issuer.close();
});

const now = () => Math.floor(Date.now() / 1000);

interface AssertionParts { header?: Record<string, unknown>; claims?: Record<string, unknown>; with?: TestCertificate; alg?: string }

async function assertion(p: AssertionParts = {}): Promise<string> {
  const c = p.with ?? cert;
  const alg = p.alg ?? 'PS256';
  const t = now();
  return new SignJWT({ aud: issuer.tokenEndpoint, iss: BRIDGE_CLIENT.clientId, sub: BRIDGE_CLIENT.clientId, jti: randomUUID(), nbf: t, iat: t, exp: t + 600, ...p.claims })
    .setProtectedHeader({ alg, typ: 'JWT', 'x5t#S256': c.x5tS256, ...p.header })
    .sign(c === cert ? key : createPrivateKey(c.privateKeyPem));
}

async function tokenWith(clientAssertion: string, extra: Record<string, string> = {}) {
  const res = await fetch(issuer.tokenEndpoint, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials', client_id: BRIDGE_CLIENT.clientId, scope: 'http://127.0.0.1:4001/.default',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: clientAssertion, ...extra,
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('sandbox issuer: client assertions signed by a registered certificate', () => {
  it('issues the bridge a token for a PS256 assertion with x5t#S256, and for an RS256 one with x5t only', async () => {
    const ps = await tokenWith(await assertion());
    expect(ps.status).toBe(200);
    expect(decodeJwt(ps.body.access_token as string)).toMatchObject({ azp: BRIDGE_CLIENT.clientId, aud: 'http://127.0.0.1:4001', tid: TENANT_ID });
    const rs = await tokenWith(await assertion({ alg: 'RS256', header: { 'x5t#S256': undefined, x5t: cert.x5t } }));
    expect(rs.status).toBe(200);
  });

  it('accepts the v1 token endpoint as audience, and announces private_key_jwt in discovery', async () => {
    const v1 = `${issuer.baseUrl}/${TENANT_ID}/oauth2/token`;
    expect((await tokenWith(await assertion({ claims: { aud: v1 } }))).status).toBe(200);
    const disc = (await (await fetch(`${issuer.issuer}/.well-known/openid-configuration`)).json()) as { token_endpoint_auth_methods_supported: string[] };
    expect(disc.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
  });

  const refusals: [string, () => Promise<string>, number, RegExp][] = [
    ['a certificate that is not registered', () => assertion({ with: stranger }), 700027, /key was not found/],
    ['a signature that does not verify', async () => {
      const [h, , s] = (await assertion()).split('.');
      const forged = Buffer.from(JSON.stringify({ aud: issuer.tokenEndpoint, iss: BRIDGE_CLIENT.clientId, sub: BRIDGE_CLIENT.clientId, jti: randomUUID(), exp: now() + 600 })).toString('base64url');
      return `${h}.${forged}.${s}`;
    }, 700027, /invalid signature/],
    ['a certificate that has expired', () => assertion({ with: expiredCert }), 700027, /key used is expired/],
    ['another audience', () => assertion({ claims: { aud: 'https://login.microsoftonline.com/other/oauth2/v2.0/token' } }), 700023, /audience/],
    ['another issuer (client id)', () => assertion({ claims: { iss: randomUUID() } }), 700021, /doesn't match 'client_id'/],
    ['an expired assertion', () => assertion({ claims: { exp: now() - 3600, nbf: now() - 4200, iat: now() - 4200 } }), 700024, /valid time range/],
    ['an assertion not valid yet', () => assertion({ claims: { nbf: now() + 3600, exp: now() + 4200 } }), 700024, /valid time range/],
    ['an assertion without jti', () => assertion({ claims: { jti: undefined } }), 50013, /no jti/],
    ['an HMAC "signature"', async () => {
      const t = now();
      return new SignJWT({ aud: issuer.tokenEndpoint, iss: BRIDGE_CLIENT.clientId, sub: BRIDGE_CLIENT.clientId, jti: randomUUID(), exp: t + 600 })
        .setProtectedHeader({ alg: 'HS256', 'x5t#S256': cert.x5tS256 }).sign(new TextEncoder().encode('a-shared-secret-a-shared-secret!'));
    }, 700027, /HS256/],
  ];

  it.each(refusals)('refuses %s with invalid_client and AADSTS%s', async (_what, make, code, text) => {
    const r = await tokenWith(await make());
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('invalid_client');
    expect(r.body.error_codes).toEqual([code]);
    expect(r.body.error_description).toMatch(text);
  });

  it('refuses a replayed assertion (same jti) and garbage', async () => {
    const once = await assertion();
    expect((await tokenWith(once)).status).toBe(200);
    const again = await tokenWith(once);
    expect(again.status).toBe(401);
    expect(again.body.error_description).toMatch(/^AADSTS50013: .*already used/);
    expect((await tokenWith('not-a-jwt')).body.error_codes).toEqual([50027]);
    expect((await tokenWith(await assertion(), { client_assertion_type: 'urn:other' })).body.error).toBe('invalid_request');
  });

  it('still takes the client secret', async () => {
    const res = await fetch(issuer.tokenEndpoint, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: BRIDGE_CLIENT.clientId, client_secret: BRIDGE_CLIENT.clientSecret, scope: 'http://x/.default' }),
    });
    expect(res.status).toBe(200);
  });
});

describe('sandbox managed identity endpoint', () => {
  /** header null: sent without X-IDENTITY-HEADER. */
  const appService = (q: string, header: string | null = mi.identityHeader) =>
    fetch(`${mi.identityEndpoint}?${q}`, { headers: header === null ? {} : { 'X-IDENTITY-HEADER': header } });
  const imds = (q: string, metadata = true) =>
    fetch(`${mi.imdsHost}/metadata/identity/oauth2/token?${q}`, { headers: metadata ? { Metadata: 'true' } : {} });

  it('answers the App Service protocol with a v1 token of the bridge principal and expires_on', async () => {
    const res = await appService('resource=http://127.0.0.1:4002&api-version=2019-08-01');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, string>;
    const c = decodeJwt(body.access_token);
    expect(c).toMatchObject({ appid: BRIDGE_CLIENT.clientId, aud: 'http://127.0.0.1:4002', ver: '1.0' });
    expect(body.expires_on).toBe(String(c.exp));
    expect(body).toMatchObject({ resource: 'http://127.0.0.1:4002', token_type: 'Bearer' });
  });

  it('refuses App Service requests without the identity header, with another api-version or an unknown identity', async () => {
    expect((await appService('resource=http://x&api-version=2019-08-01', null)).status).toBe(401);
    expect((await appService('resource=http://x&api-version=2019-08-01', 'wrong')).status).toBe(401);
    expect((await appService('resource=http://x&api-version=2017-09-01')).status).toBe(400);
    const unknown = await appService(`resource=http://x&api-version=2019-08-01&client_id=${randomUUID()}`);
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { message: string }).message).toMatch(/Unable to load the proper Managed Identity/);
    expect((await appService(`resource=http://x&api-version=2019-08-01&client_id=${BRIDGE_CLIENT.clientId}`)).status).toBe(200);
  });

  it('answers the IMDS protocol, and refuses a request without Metadata: true as IMDS does', async () => {
    const ok = await imds('api-version=2018-02-01&resource=http://127.0.0.1:4001');
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Record<string, string>;
    expect(Number(body.expires_in)).toBeGreaterThan(3000);
    expect(decodeJwt(body.access_token).aud).toBe('http://127.0.0.1:4001');
    const bare = await imds('api-version=2018-02-01&resource=http://x', false);
    expect(bare.status).toBe(400);
    expect(((await bare.json()) as { error: string }).error).toBe('bad_request_102');
  });

  it('fails the next requests on demand (a throttled or updating IMDS), then answers again', async () => {
    mi.failNext(429, 2);
    expect((await imds('api-version=2018-02-01&resource=http://x')).status).toBe(429);
    expect((await imds('api-version=2018-02-01&resource=http://x')).status).toBe(429);
    expect((await imds('api-version=2018-02-01&resource=http://x')).status).toBe(200);
  });

  it('has no system-assigned identity when told so', async () => {
    const only = await startManagedIdentityEndpoint({ issuer, systemAssigned: false, userAssigned: [] });
    try {
      const r = await fetch(`${only.imdsHost}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=http://x`, { headers: { Metadata: 'true' } });
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error_description: string }).error_description).toMatch(/No system-assigned identity/);
    } finally {
      await only.close();
    }
  });
});
