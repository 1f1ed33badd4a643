// Forged, altered and out-of-policy bearer tokens against the bridge API: every one is a 401 (or a 403
// for a valid token without the role) whose body says why, never a 5xx, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KeyObject, createPublicKey, createSign } from 'node:crypto';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, type JWK, type JWTPayload } from 'jose';
import { createTokenVerifier, type BridgeConfig } from '@finops-bridge/bridge-service';
import { BRIDGE_API, DEMO_USERS, TENANT_ID } from '@finops-bridge/sandbox';
import { startHarness, type Harness, type WriteCounters, secretsInLogs } from './support/harness';
import { algNone, alteredClaims, alteredSignature, decode, foreignKeyWithKid, hs256WithPublicKey, stripped } from './support/forge';

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

let h: Harness;
let sandboxJwks: { keys: JWK[] };
let trusted: { privateKey: Key; jwk: JWK };
let before: WriteCounters;
const sales = DEMO_USERS.find((u) => u.name === 'sales')!;

// The bridge verifies against the sandbox's keys (fetched from its JWKS) plus one extra trusted key of
// ours, so tests can sign tokens with valid signatures and out-of-policy claims (expired, wrong aud...).
beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  trusted = { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: 'test-trusted', alg: 'RS256', use: 'sig' } };
  h = await startHarness({
    verifier: (config: BridgeConfig) => createTokenVerifier({
      ...config.auth,
      keys: async (header, token) => {
        sandboxJwks ??= (await (await fetch(h.sb.urls.jwks)).json()) as { keys: JWK[] };
        return createLocalJWKSet({ keys: [...sandboxJwks.keys, trusted.jwk] })(header, token);
      },
    }),
  });
  sandboxJwks = (await (await fetch(h.sb.urls.jwks)).json()) as { keys: JWK[] };
  before = await h.writes();
}, 60_000);

afterAll(async () => {
  await h?.close();
});

const financeUrl = (company = 'usmf') => `/api/v1/accounts/${h.accounts[company].accountid}/finance`;
const get = (token: string | undefined, url = financeUrl()) =>
  h.app.inject({ url, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
const patch = (token: string, company = 'nlmf') =>
  h.app.inject({ method: 'PATCH', url: financeUrl(company), headers: { authorization: `Bearer ${token}`, 'if-match': 'W/"x"' }, payload: { creditLimit: 1 } });

function claims(extra: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: `${new URL(h.sb.urls.issuer).origin}/${TENANT_ID}/v2.0`, aud: BRIDGE_API.clientId, tid: TENANT_ID, oid: sales.oid, sub: 'sub-sales',
    roles: ['Finance.Read'], ver: '2.0', name: sales.displayName, scp: 'user_impersonation', iat: now, nbf: now - 5, exp: now + 3600, ...extra,
  };
}
const signTrusted = (c: JWTPayload, header: Record<string, unknown> = {}) =>
  new SignJWT(c).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'test-trusted', ...header }).sign(trusted.privateKey);

function expectRefused(res: { statusCode: number; body: string }, status: 401 | 403, reason: RegExp): void {
  expect({ status: res.statusCode, body: res.body }).toMatchObject({ status });
  const body = JSON.parse(res.body) as { error: { code: string; message: string; requestId?: string } };
  expect(body.error.code).toBe(status === 401 ? (reason.source === 'MISSING' ? 'FB_AUTH_MISSING_TOKEN' : 'FB_AUTH_INVALID_TOKEN') : 'FB_AUTH_FORBIDDEN');
  if (reason.source !== 'MISSING') expect(body.error.message).toMatch(reason);
  expect(body.error.requestId).toBeTruthy();
}

describe('forgeries of the sandbox issuer\'s real tokens', () => {
  it('a real v2 and v1 token are accepted (the baseline the forgeries depart from)', async () => {
    expect((await get(await h.bearer('sales'))).statusCode).toBe(200);
    expect((await get(await h.bearer('sales', '1.0'))).statusCode).toBe(200);
  });

  it('no token, an empty bearer, another scheme: 401 FB_AUTH_MISSING_TOKEN', async () => {
    const real = await h.bearer('sales');
    expectRefused(await get(undefined), 401, /MISSING/);
    expectRefused(await h.app.inject({ url: financeUrl(), headers: { authorization: 'Bearer ' } }), 401, /MISSING/);
    expectRefused(await h.app.inject({ url: financeUrl(), headers: { authorization: `Basic ${real}` } }), 401, /MISSING/);
    expectRefused(await h.app.inject({ url: financeUrl(), headers: { authorization: `Bearer ${real} extra` } }), 401, /MISSING/);
  });

  it('garbage in the bearer: 401 malformed', async () => {
    for (const t of ['abc', 'a.b.c', '...', `${'x'.repeat(5000)}.${'y'.repeat(5000)}.z`, 'eyJhbGciOiJSUzI1NiJ9.e30', '%00.%00.%00']) {
      expectRefused(await get(t), 401, /malformed|not valid|could not be verified|algorithm|signing key/);
    }
  });

  it('alg none: 401 (algorithm not allowed)', async () => {
    expectRefused(await get(algNone(await h.bearer('controller'))), 401, /algorithm|malformed/);
  });

  it('stripped signature (with and without the last dot): 401', async () => {
    const t = await h.bearer('controller');
    expectRefused(await get(stripped(t)), 401, /signature|malformed/);
    expectRefused(await get(stripped(t, false)), 401, /malformed/);
  });

  it('altered signature: 401 signature not valid', async () => {
    expectRefused(await get(alteredSignature(await h.bearer('sales'))), 401, /signature is not valid/);
  });

  it.each([
    ['roles raised to Finance.Write and Sync.Admin', { roles: ['Finance.Read', 'Finance.Write', 'Sync.Admin'] }],
    ['audience swapped', { aud: 'api://someone-else' }],
    ['tenant swapped', { tid: '00000000-0000-0000-0000-000000000000' }],
    ['oid swapped to the controller', { oid: DEMO_USERS.find((u) => u.name === 'controller')!.oid }],
    ['expiry pushed out', { exp: Math.floor(Date.now() / 1000) + 86_400 * 365 }],
  ])('altered claims (%s) on a real signature: 401 signature not valid', async (_name, change) => {
    const forged = alteredClaims(await h.bearer('sales'), change);
    expectRefused(await get(forged), 401, /signature is not valid/);
    expectRefused(await patch(forged), 401, /signature is not valid/);
  });

  it('a foreign key signing with the kid of the issuer\'s real key (also with the key embedded as jwk): 401', async () => {
    const real = decode(await h.bearer('sales'));
    const kid = String(real.header.kid);
    expect(sandboxJwks.keys.map((k) => k.kid)).toContain(kid);
    const c = { ...real.payload, roles: ['Finance.Read', 'Finance.Write'] };
    expectRefused(await get(await foreignKeyWithKid(c, kid)), 401, /signature is not valid/);
    expectRefused(await get(await foreignKeyWithKid(c, kid, { embedJwk: true })), 401, /signature is not valid/);
    expectRefused(await get(await foreignKeyWithKid(c, 'unknown-kid')), 401, /no signing key|kid/);
  });

  it('HS256 signed with the issuer\'s RSA public key (PEM, JWK JSON, modulus): 401 algorithm not allowed', async () => {
    const real = await h.bearer('controller');
    const jwk = sandboxJwks.keys.find((k) => k.kid === decode(real).header.kid)!;
    const pem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
    for (const material of [pem, JSON.stringify(jwk), String(jwk.n)]) {
      expectRefused(await get(hs256WithPublicKey(real, material)), 401, /algorithm/);
    }
  });

  it('a real token of the issuer for another resource (F&O, Dataverse): 401 audience', async () => {
    expectRefused(await get(await h.sb.getToken('controller', 'fno')), 401, /audience/);
    expectRefused(await get(await h.sb.getToken('controller', 'dataverse')), 401, /audience/);
    expectRefused(await get(await h.sb.getToken('bridge', 'fno')), 401, /audience/);
  });

  it('valid tokens without the role: 403 naming the role (guest reads, sales and admin write)', async () => {
    expectRefused(await get(await h.bearer('guest')), 403, /Finance\.Read/);
    expectRefused(await patch(await h.bearer('sales')), 403, /Finance\.Write/);
    expectRefused(await patch(await h.bearer('admin')), 403, /Finance\.Write/);
    expectRefused(await patch(await h.bearer('sales', '1.0')), 403, /Finance\.Write/);
  });
});

describe('validly signed tokens that break the policy', () => {
  const now = () => Math.floor(Date.now() / 1000);
  it('a well-formed v2 and v1 token of the trusted key is accepted (baseline)', async () => {
    expect((await get(await signTrusted(claims()))).statusCode).toBe(200);
    const v1 = claims({ iss: `${new URL(h.sb.urls.issuer).origin}/${TENANT_ID}/`, aud: BRIDGE_API.appIdUri, ver: '1.0' });
    expect((await get(await signTrusted(v1))).statusCode).toBe(200);
  });

  it.each<[string, () => JWTPayload, RegExp]>([
    ['expired (beyond the clock skew)', () => claims({ exp: now() - 600, iat: now() - 4000, nbf: now() - 4000 }), /expired/],
    ['not yet valid (nbf beyond the skew)', () => claims({ nbf: now() + 600 }), /not valid yet/],
    ['without exp', () => { const c = claims(); delete c.exp; return c; }, /exp/],
    ['with exp as a string', () => claims({ exp: String(now() + 3600) as never }), /exp|malformed|claim/],
    ['of another audience', () => claims({ aud: 'api://not-the-bridge' }), /audience/],
    ['of a v1 audience on an unrelated GUID', () => claims({ aud: '00000000-0000-0000-0000-000000000001' }), /audience/],
    ['of another issuer', () => claims({ iss: 'https://login.microsoftonline.com/evil/v2.0' }), /issuer/],
    ['of a look-alike issuer (extra path)', () => claims({ iss: `${new URL(h.sb.urls.issuer).origin}/${TENANT_ID}/v2.0/x` }), /issuer/],
    ['of another tenant', () => claims({ tid: '72f988bf-86f1-41af-91ab-2d7cd011db47' }), /tenant/],
    ['without a tenant', () => { const c = claims(); delete c.tid; return c; }, /tenant/],
    ['without oid and sub', () => { const c = claims(); delete c.oid; delete c.sub; return c; }, /object id/],
  ])('%s: 401 saying why', async (_name, make, reason) => {
    const t = await signTrusted(make());
    expectRefused(await get(t), 401, reason);
    expectRefused(await patch(t), 401, reason);
  });

  it('an unknown critical header is refused: 401', async () => {
    // jose refuses to sign it, so sign by hand.
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const input = `${b64({ alg: 'RS256', kid: 'test-trusted', crit: ['x-evil'], 'x-evil': 1 })}.${b64(claims())}`;
    const t = `${input}.${createSign('RSA-SHA256').update(input).sign(KeyObject.from(trusted.privateKey), 'base64url')}`;
    expectRefused(await get(t), 401, /malformed|not supported|unsupported|could not be verified/);
  });

  it('roles that only look right (case, spaces, a string instead of a list): 403', async () => {
    for (const roles of [['finance.read'], ['Finance.Read '], 'Finance.Read', [], [{ role: 'Finance.Read' }]]) {
      expectRefused(await get(await signTrusted(claims({ roles: roles }))), 403, /Finance\.Read/);
    }
    expectRefused(await patch(await signTrusted(claims({ roles: ['Finance.Read', 'finance.write'] }))), 403, /Finance\.Write/);
  });
});

describe('after all forgeries', () => {
  it('no log line holds a token, the webhook key or the client secret', () => {
    expect(h.logs.length).toBeGreaterThan(10);
    expect(secretsInLogs(h)).toEqual([]);
  });

  it('nothing was written to F&O, Dataverse or the audit log', async () => {
    expect(await h.writes()).toEqual(before);
  });

  it('no log line holds a token or a signature', () => {
    const text = h.logs.join('');
    expect(text).not.toMatch(/eyJ[\w-]{10,}\.eyJ[\w-]{10,}/);
    expect(text.length).toBeGreaterThan(0);
  });
});
