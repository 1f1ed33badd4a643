// The admin console's page at /admin: its own strict Content-Security-Policy, the sign-in settings derived from
// AUTH_*, the script (built, or bundled from source when the bridge runs from a clone), and nothing else touched.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Fastify, { type FastifyInstance } from 'fastify';
import adminConsole, { consoleCsp } from '../src/http/routes/admin-console';
import { consoleAssets } from '../src/http/console/assets';
import { consoleSignIn, signInOrigins } from '../src/http/console/sign-in';
import { makeTestApp, type TestApp } from './support/app';
import { testConfig } from './support/config';
import { API_APP_ID_URI, API_CLIENT_ID, ISSUER_V1, ISSUER_V2, TENANT, makeKeys } from './support/tokens';

describe('the console sign-in settings', () => {
  it('come from the bridge API registration the bridge already trusts', () => {
    expect(consoleSignIn({ issuers: [ISSUER_V1, ISSUER_V2], tenantIds: [TENANT], audiences: [API_APP_ID_URI, API_CLIENT_ID] })).toEqual({
      clientId: API_CLIENT_ID, authority: `https://login.microsoftonline.com/${TENANT}`, scope: `${API_APP_ID_URI}/user_impersonation`,
    });
  });

  it('fall back to the tenant authority and the client id scope, and say when there is no client id', () => {
    expect(consoleSignIn({ issuers: [ISSUER_V1], tenantIds: [TENANT], audiences: [API_CLIENT_ID] }))
      .toEqual({ clientId: API_CLIENT_ID, authority: `https://login.microsoftonline.com/${TENANT}`, scope: `${API_CLIENT_ID}/.default` });
    expect(consoleSignIn({ issuers: [ISSUER_V2], tenantIds: [TENANT], audiences: ['api://only-a-uri'] }).clientId).toBeNull();
  });

  it('name the authority and the token issuer as the only other origins', () => {
    expect(signInOrigins({ issuers: [ISSUER_V2], tenantIds: [TENANT], audiences: [API_CLIENT_ID], discoveryUrl: 'http://127.0.0.1:4003/t/v2.0/.well-known/openid-configuration' }))
      .toEqual(['https://login.microsoftonline.com', 'http://127.0.0.1:4003']);
  });
});

describe('GET /admin', () => {
  let app: FastifyInstance;
  const config = testConfig();
  beforeAll(async () => {
    app = Fastify();
    await app.register(adminConsole, { auth: config.auth, assets: { script: async () => Buffer.from('/* console */') }, hostScript: '/host.js' });
  });
  afterAll(async () => app.close());

  it('serves a page with one external script and no inline script, under a policy that allows no inline script', async () => {
    const res = await app.inject('/admin/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body.match(/<script/g)).toHaveLength(1);
    expect(res.body).toContain('<script src="/admin/console.js"></script>');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toBe(consoleCsp(signInOrigins(config.auth)));
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self' https://login.microsoftonline.com");
    expect(csp).toContain("frame-ancestors 'none'");
    expect((await app.inject('/admin')).headers.location).toBe('/admin/');
  });

  it('serves the script and the sign-in settings under the same policy', async () => {
    const js = await app.inject('/admin/console.js');
    expect(js.body).toBe('/* console */');
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.headers['content-security-policy']).toBeDefined();
    expect(JSON.parse((await app.inject('/admin/config.json')).body)).toEqual({ signIn: consoleSignIn(config.auth), hostScript: '/host.js' });
  });
});

describe('the console in the app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(await makeKeys());
  });
  afterAll(async () => t.app.close());

  it('is served at /admin with its policy, and the other routes keep theirs', async () => {
    const page = await t.app.inject('/admin/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await t.app.inject('/health')).headers['content-security-policy']).toBeUndefined();
    expect(JSON.parse((await t.app.inject('/admin/config.json')).body).hostScript).toBeNull();
  });

  it('bundles the console from source when the bridge runs unbuilt (a fresh clone needs no build)', async () => {
    const script = (await consoleAssets().script()).toString('utf8');
    expect(script.length).toBeGreaterThan(100_000);
    expect(script).toContain('/admin/config.json');
    // The three languages' words are inside.
    expect(script).toContain('FinOps Bridge-beheerconsole');
    expect(script).toContain('FinOps Bridge administrationskonsol');
  }, 60_000);
});
