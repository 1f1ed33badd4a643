// The issuer's device code flow over HTTP, as Entra's v2.0 endpoints answer it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import { startIssuer, type IssuerServer } from './issuer';
import { BRIDGE_API, BRIDGE_CLIENT, TENANT_ID } from './principals';

let issuer: IssuerServer;
beforeAll(async () => { issuer = await startIssuer({ deviceCodeIntervalSeconds: 1 }); });
afterAll(async () => { await issuer.close(); });

const form = async (path: string, body: Record<string, string>, accept = 'application/json') => {
  const res = await fetch(`${issuer.baseUrl}${path}`, { method: 'POST', headers: { accept }, body: new URLSearchParams(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const scope = `${BRIDGE_API.scope} offline_access openid profile`;
const deviceCode = () => form(`/${TENANT_ID}/oauth2/v2.0/devicecode`, { client_id: BRIDGE_API.clientId, scope });
const poll = (code: string) => form(`/${TENANT_ID}/oauth2/v2.0/token`, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: BRIDGE_API.clientId, device_code: code });

describe('device code flow (sandbox issuer)', () => {
  it('hands out codes, answers pending, and after approval a user token with refresh and id token', async () => {
    const dc = await deviceCode();
    expect(dc.status).toBe(200);
    expect(dc.body).toMatchObject({ verification_uri: issuer.deviceLoginUrl, expires_in: 900, interval: 1 });
    expect(dc.body.message).toBe(`To sign in, use a web browser to open the page ${issuer.deviceLoginUrl} and enter the code ${String(dc.body.user_code)} to authenticate.`);
    const pending = await poll(String(dc.body.device_code));
    expect(pending).toMatchObject({ status: 400, body: { error: 'authorization_pending', error_codes: [70016] } });
    const page = await fetch(`${issuer.deviceLoginUrl}?code=${String(dc.body.user_code)}`);
    expect(await page.text()).toContain(`value="${String(dc.body.user_code)}"`);
    const wrong = await form('/devicelogin', { user_code: String(dc.body.user_code), username: 'admin', password: 'nope', action: 'approve' });
    expect(wrong.status).toBe(401);
    const ok = await form('/devicelogin', { user_code: String(dc.body.user_code), username: 'admin', password: 'demo', action: 'approve' });
    expect(ok).toMatchObject({ status: 200, body: { ok: true } });
    await new Promise((r) => setTimeout(r, 1000));
    const t = await poll(String(dc.body.device_code));
    expect(t.status).toBe(200);
    expect(decodeJwt(String(t.body.access_token))).toMatchObject({ aud: BRIDGE_API.clientId, roles: ['Sync.Admin'], azp: BRIDGE_API.clientId, name: 'Alex Morgan' });
    expect(decodeJwt(String(t.body.id_token))).toMatchObject({ aud: BRIDGE_API.clientId, preferred_username: 'alex.morgan@contoso.example' });
    const refreshed = await form(`/${TENANT_ID}/oauth2/v2.0/token`, { grant_type: 'refresh_token', client_id: BRIDGE_API.clientId, refresh_token: String(t.body.refresh_token), scope });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(t.body.refresh_token);
    const reused = await form(`/${TENANT_ID}/oauth2/v2.0/token`, { grant_type: 'refresh_token', client_id: BRIDGE_API.clientId, refresh_token: String(t.body.refresh_token), scope });
    expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('answers authorization_declined, expired_token and bad_verification_code', async () => {
    const a = await deviceCode();
    await form('/devicelogin', { user_code: String(a.body.user_code), action: 'decline' });
    expect((await poll(String(a.body.device_code))).body.error).toBe('authorization_declined');
    const b = await deviceCode();
    issuer.expireDeviceCodes();
    expect((await poll(String(b.body.device_code))).body).toMatchObject({ error: 'expired_token', error_codes: [70019] });
    expect((await poll('not-a-code')).body.error).toBe('bad_verification_code');
  });

  it('refuses the device code flow to a confidential client and to unknown ones', async () => {
    const conf = await form(`/${TENANT_ID}/oauth2/v2.0/devicecode`, { client_id: BRIDGE_CLIENT.clientId, scope });
    expect(conf).toMatchObject({ status: 401, body: { error: 'invalid_client', error_codes: [7000218] } });
    const unknown = await form(`/${TENANT_ID}/oauth2/v2.0/devicecode`, { client_id: '00000000-0000-0000-0000-000000000000', scope });
    expect(unknown.body.error).toBe('unauthorized_client');
    const disc = (await (await fetch(`${issuer.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(disc.device_authorization_endpoint).toBe(`${issuer.baseUrl}/${TENANT_ID}/oauth2/v2.0/devicecode`);
  });
});
