import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { startIssuer, type IssuerServer } from './issuer';
import { createVerifier } from './verify';
import { BRIDGE_API, BRIDGE_CLIENT, CONTROLS_CLIENT_ID, TENANT_ID } from './principals';
import { parseArgs, tokenRequest } from '../token-cli';

let issuer: IssuerServer;
beforeAll(async () => { issuer = await startIssuer({ port: 0 }); });
afterAll(async () => { await issuer.close(); });

async function post(path: string, form: Record<string, string>) {
  const res = await fetch(`${issuer.baseUrl}/${TENANT_ID}/${path}`, { method: 'POST', body: new URLSearchParams(form) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('sandbox issuer', () => {
  it('serves discovery and JWKS with the key id used in tokens', async () => {
    const disc = (await (await fetch(`${issuer.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(disc.issuer).toBe(`${issuer.baseUrl}/${TENANT_ID}/v2.0`);
    expect(disc.token_endpoint).toBe(issuer.tokenEndpoint);
    const jwks = (await (await fetch(disc.jwks_uri)).json()) as { keys: { kid: string; kty: string; d?: string }[] };
    const token = await issuer.issue('bridge', 'http://127.0.0.1:4001');
    expect(jwks.keys.map((k) => k.kid)).toContain(decodeProtectedHeader(token).kid);
    expect(jwks.keys[0].d).toBeUndefined();
  });

  it('issues a v2 client-credentials token with Entra claims', async () => {
    const { status, body } = await post('oauth2/v2.0/token', {
      grant_type: 'client_credentials', client_id: BRIDGE_CLIENT.clientId, client_secret: BRIDGE_CLIENT.clientSecret,
      scope: 'http://127.0.0.1:4001/.default',
    });
    expect(status).toBe(200);
    expect(body.token_type).toBe('Bearer');
    const c = decodeJwt(body.access_token as string);
    expect(c).toMatchObject({ iss: issuer.issuer, aud: 'http://127.0.0.1:4001', tid: TENANT_ID, azp: BRIDGE_CLIENT.clientId, ver: '2.0' });
    expect(c.scp).toBeUndefined();
    expect(typeof c.oid).toBe('string');
    const p = await createVerifier(issuer.issuer)(`Bearer ${body.access_token as string}`, 'http://127.0.0.1:4001');
    expect(p).toMatchObject({ isApp: true, appId: BRIDGE_CLIENT.clientId });
  });

  it('issues v1 tokens from the v1 endpoint that the same verifier accepts', async () => {
    const { body } = await post('oauth2/token', {
      grant_type: 'password', client_id: CONTROLS_CLIENT_ID, username: 'controller', password: 'demo', resource: BRIDGE_API.appIdUri,
    });
    const c = decodeJwt(body.access_token as string);
    expect(c).toMatchObject({ iss: `${issuer.baseUrl}/${TENANT_ID}/`, aud: BRIDGE_API.appIdUri, ver: '1.0', appid: CONTROLS_CLIENT_ID, upn: 'lars.oberg@contoso.example' });
    const p = await createVerifier(issuer.issuer)(`Bearer ${body.access_token as string}`, BRIDGE_API.clientId);
    expect(p).toMatchObject({ isApp: false, roles: ['Finance.Read', 'Finance.Write'], oid: '11111111-aaaa-4aaa-8aaa-000000000002' });
  });

  it('gives users their app roles and user_impersonation', async () => {
    const { body } = await post('oauth2/v2.0/token', {
      grant_type: 'password', client_id: CONTROLS_CLIENT_ID, username: 'sanne.devries@contoso.example', password: 'demo',
      scope: `${BRIDGE_API.scope}`,
    });
    const c = decodeJwt(body.access_token as string);
    expect(c).toMatchObject({ aud: BRIDGE_API.clientId, scp: 'user_impersonation', roles: ['Finance.Read'], name: 'Sanne de Vries', preferred_username: 'sanne.devries@contoso.example' });
  });

  it('answers a wrong secret with invalid_client and AADSTS7000215', async () => {
    const { status, body } = await post('oauth2/v2.0/token', {
      grant_type: 'client_credentials', client_id: BRIDGE_CLIENT.clientId, client_secret: 'nope', scope: 'http://x/.default',
    });
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
    expect(body.error_description).toMatch(/^AADSTS7000215: /);
    expect(body.error_codes).toEqual([7000215]);
  });

  it('refuses a wrong demo password and a scope without /.default for client credentials', async () => {
    expect((await post('oauth2/v2.0/token', { grant_type: 'password', client_id: CONTROLS_CLIENT_ID, username: 'sales', password: 'x', scope: BRIDGE_API.scope })).body.error).toBe('invalid_grant');
    expect((await post('oauth2/v2.0/token', { grant_type: 'client_credentials', client_id: BRIDGE_CLIENT.clientId, client_secret: BRIDGE_CLIENT.clientSecret, scope: 'http://x/read' })).status).toBe(400);
  });
});

describe('verifier', () => {
  it('rejects a missing header, a wrong audience and a foreign signature with reasons', async () => {
    const verify = createVerifier(issuer.issuer);
    await expect(verify(undefined, 'http://a')).rejects.toThrow(/No Authorization header/);
    const token = await issuer.issue('sales', 'http://127.0.0.1:4002');
    await expect(verify(`Bearer ${token}`, 'http://127.0.0.1:4001')).rejects.toThrow(/audience/);
    const other = await startIssuer({ port: 0 });
    try {
      const forged = await other.issue('sales', 'http://127.0.0.1:4002');
      await expect(verify(`Bearer ${forged}`, 'http://127.0.0.1:4002')).rejects.toThrow(/issuer|signature/);
    } finally {
      await other.close();
    }
  });
});

describe('token cli', () => {
  it('defaults the bridge to F&O with client credentials and users to the bridge API', () => {
    expect(parseArgs(['bridge'])).toEqual({ principal: 'bridge', resource: 'fno', v1: false });
    expect(parseArgs(['sales', '--resource', 'dataverse', '--v1'])).toEqual({ principal: 'sales', resource: 'dataverse', v1: true });
    expect(parseArgs(['nobody'])).toMatch(/Usage/);
    const r = tokenRequest('bridge', 'fno', false, {});
    expect(r.url).toBe(`http://127.0.0.1:4003/${TENANT_ID}/oauth2/v2.0/token`);
    expect(r.form.get('scope')).toBe('http://127.0.0.1:4001/.default');
    expect(tokenRequest('sales', 'bridge', true, {}).form.get('resource')).toBe(BRIDGE_API.appIdUri);
  });
});

describe('on-behalf-of', () => {
  it('trades a user token for the bridge API into a token of the same user for Dataverse', async () => {
    const userToken = await issuer.issue('controller', BRIDGE_API.appIdUri);
    const { status, body } = await post('oauth2/v2.0/token', {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', requested_token_use: 'on_behalf_of', assertion: userToken,
      client_id: BRIDGE_CLIENT.clientId, client_secret: BRIDGE_CLIENT.clientSecret, scope: 'http://127.0.0.1:4002/.default',
    });
    expect(status).toBe(200);
    expect(decodeJwt(body.access_token as string)).toMatchObject({ aud: 'http://127.0.0.1:4002', oid: '11111111-aaaa-4aaa-8aaa-000000000002', scp: 'user_impersonation', azp: BRIDGE_CLIENT.clientId });
    const bad = await post('oauth2/v2.0/token', {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', requested_token_use: 'on_behalf_of', assertion: await issuer.issue('bridge', 'http://x'),
      client_id: BRIDGE_CLIENT.clientId, client_secret: BRIDGE_CLIENT.clientSecret, scope: 'http://127.0.0.1:4002/.default',
    });
    expect(bad.body.error).toBe('invalid_grant');
  });
});
