import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { makeKeys, sign, unsignedToken, userClaims, API_APP_ID_URI, ISSUER_V1, type TestKeys } from './support/tokens';
import { makeTestApp, type TestApp } from './support/app';

const URL_ = '/api/v1/accounts/6f3c1f2e-5b7a-4c19-9e3f-1a2b3c4d5e6f/finance';
const OID = '11111111-aaaa-4aaa-8aaa-000000000001';
let keys: TestKeys;
let t: TestApp;

beforeAll(async () => {
  keys = await makeKeys();
  t = await makeTestApp(keys);
});
afterAll(async () => {
  await t.app.close();
  await t.agent.close();
});

async function call(token?: string, method: 'GET' | 'PATCH' = 'GET') {
  const res = await t.app.inject({
    method, url: URL_, headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    ...(method === 'PATCH' ? { payload: { creditLimit: 1 } } : {}),
  });
  return { status: res.statusCode, body: res.json<{ error: { code: string; message: string; details?: unknown } }>() };
}

describe('inbound auth', () => {
  it('answers 401 FB_AUTH_MISSING_TOKEN without a token', async () => {
    const r = await call();
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('FB_AUTH_MISSING_TOKEN');
  });

  const cases: [string, () => Promise<string>, RegExp][] = [
    ['expired', () => sign(keys.privateKey, userClaims(OID, ['Finance.Read'], { exp: Math.floor(Date.now() / 1000) - 600 })), /expired/],
    ['wrong audience', () => sign(keys.privateKey, userClaims(OID, ['Finance.Read'], { aud: 'api://someone-else' })), /audience/],
    ['wrong issuer', () => sign(keys.privateKey, userClaims(OID, ['Finance.Read'], { iss: 'https://login.microsoftonline.com/evil/v2.0' })), /issuer/],
    ['wrong tenant', () => sign(keys.privateKey, userClaims(OID, ['Finance.Read'], { tid: '00000000-0000-4000-8000-000000000000' })), /tenant/],
    ['bad signature', () => sign(keys.otherPrivateKey, userClaims(OID, ['Finance.Read'])), /signature/],
    ['alg none', async () => unsignedToken(userClaims(OID, ['Finance.Read'])), /algorithm|malformed/],
    ['HS256 signed with the public key', async () => {
      const secret = Buffer.from(JSON.stringify(keys.publicJwk));
      return new SignJWT(userClaims(OID, ['Finance.Read'])).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).setExpirationTime('1h').sign(secret);
    }, /algorithm/],
    ['not yet valid', () => sign(keys.privateKey, userClaims(OID, ['Finance.Read'], { nbf: Math.floor(Date.now() / 1000) + 3600 })), /nbf/],
    ['garbage', async () => 'not-a-jwt', /malformed/],
    ['without an object id (oid), whatever its sub', () => sign(keys.privateKey, userClaims(OID, ['Finance.Read'], { oid: undefined })), /object id \(oid\)/],
    ['with an oid that is no GUID', () => sign(keys.privateKey, userClaims("x') or (1", ['Finance.Read'])), /object id \(oid\)/],
  ];
  for (const [name, make, why] of cases) {
    it(`answers 401 FB_AUTH_INVALID_TOKEN for a token that is ${name}, saying why`, async () => {
      const r = await call(await make());
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('FB_AUTH_INVALID_TOKEN');
      expect(r.body.error.message).toMatch(why);
    });
  }

  it('authenticates before anything else: no token gets 401 even with a malformed id, body or content type', async () => {
    const attempts = [
      t.app.inject({ method: 'GET', url: "/api/v1/accounts/x')%20or%20(1/finance" }),
      t.app.inject({ method: 'PATCH', url: URL_, headers: { 'content-type': 'application/json' }, payload: '{"creditLimit": ' }),
      t.app.inject({ method: 'PATCH', url: URL_, headers: { 'content-type': 'text/plain' }, payload: 'hello' }),
      t.app.inject({ method: 'PATCH', url: URL_, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ creditLimit: 'x'.repeat(200_000) }) }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect({ status: res.statusCode, code: res.json<{ error: { code: string } }>().error.code }).toMatchObject({ status: 401, code: 'FB_AUTH_MISSING_TOKEN' });
    }
  });

  it('tolerates a small clock skew on exp', async () => {
    const token = await sign(keys.privateKey, userClaims(OID, [], { exp: Math.floor(Date.now() / 1000) - 10 }));
    const r = await call(token);
    expect(r.status).toBe(403); // passed verification, stopped at the role check
  });

  it('answers 403 FB_AUTH_FORBIDDEN naming the missing role', async () => {
    const r = await call(await sign(keys.privateKey, userClaims(OID, [])));
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('FB_AUTH_FORBIDDEN');
    expect(r.body.error.message).toMatch(/Finance\.Read or Finance\.Write/);
  });

  it('needs Finance.Write to PATCH even with Finance.Read', async () => {
    const r = await call(await sign(keys.privateKey, userClaims(OID, ['Finance.Read'])), 'PATCH');
    expect(r.status).toBe(403);
    expect(r.body.error.message).toMatch(/Finance\.Write/);
  });

  it('accepts a v1 token (sts.windows.net issuer, app ID URI audience) and reaches the handler', async () => {
    const token = await sign(keys.privateKey, userClaims(OID, ['Sync.Admin'], { iss: ISSUER_V1, aud: API_APP_ID_URI, ver: '1.0' }));
    const r = await call(token);
    // Sync.Admin alone cannot read finance: the role check, not the token, refuses.
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('FB_AUTH_FORBIDDEN');
  });

  it('never writes the token to the log', async () => {
    const token = await sign(keys.privateKey, userClaims(OID, []));
    await call(token);
    const all = t.logs.join('');
    expect(all).toContain('[Redacted]');
    expect(all).not.toContain(token);
    expect(all).not.toContain(token.split('.')[1]);
  });
});
