// The device code flow (RFC 8628) against Entra's v2.0 endpoints, by hand rather than with @azure/msal-node:
// msal-node 7 refuses an http:// authority (so it cannot reach the sandbox's issuer without a network client that
// rewrites https to http in the product), and its device code poll treats `slow_down` as a failure, which RFC 8628
// says means "poll 5 seconds slower". The protocol is three form POSTs; README (cli section) argues it.
import { CliError } from './errors';
import { EXIT } from './io';

export interface LoginSettings {
  /** https://login.microsoftonline.com/<tenant> (http only on this machine: the sandbox's issuer). */
  authority: string;
  clientId: string;
  /** The bridge API's delegated scope; offline_access, openid and profile are added. */
  scope: string;
}

export interface DeviceCodeAnswer { device_code: string; user_code: string; verification_uri: string; expires_in: number; interval: number; message: string }
export interface TokenAnswer { access_token: string; refresh_token?: string; expires_in: number }

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const list = (v: string | undefined) => (v ?? '').split(',').map((x) => x.trim()).filter(Boolean);

/** CLI_LOGIN_* when set, otherwise what the bridge's own AUTH_* variables say about its issuer and API. */
export function loginSettings(env: NodeJS.ProcessEnv): LoginSettings {
  const fromIssuer = list(env.AUTH_ISSUERS).find((i) => /\/v2\.0\/?$/.test(i))?.replace(/\/v2\.0\/?$/, '');
  const authority = (env.CLI_LOGIN_AUTHORITY ?? fromIssuer)?.replace(/\/+$/, '');
  if (!authority) throw new CliError('No sign-in authority: set CLI_LOGIN_AUTHORITY to https://login.microsoftonline.com/<tenant id> (or AUTH_ISSUERS as the bridge has it).', EXIT.usage);
  let url: URL;
  try { url = new URL(authority); } catch { throw new CliError(`CLI_LOGIN_AUTHORITY is not a URL: ${authority}`, EXIT.usage); }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new CliError(`The sign-in authority must be https (plain http only to this machine): ${authority}`, EXIT.usage);
  }
  const audiences = list(env.AUTH_AUDIENCES);
  const clientId = env.CLI_LOGIN_CLIENT_ID ?? audiences.find((a) => GUID.test(a));
  if (!clientId) throw new CliError('No client id to sign in with: set CLI_LOGIN_CLIENT_ID to the bridge API\'s application (client) id (or AUTH_AUDIENCES as the bridge has it).', EXIT.usage);
  const appIdUri = audiences.find((a) => !GUID.test(a));
  const scope = env.CLI_LOGIN_SCOPE ?? `${appIdUri ?? `api://${clientId}`}/user_impersonation`;
  return { authority, clientId, scope };
}

async function post(url: string, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', body: new URLSearchParams(form), signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new CliError(`The sign-in service at ${new URL(url).origin} does not answer (${(err as Error).message}).`);
  }
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    throw new CliError(`The sign-in service answered ${res.status} without JSON at ${url}: check CLI_LOGIN_AUTHORITY.`);
  }
}

/** The first sentence of Entra's error description ("AADSTS70016: ..."), without its trace and correlation ids. */
export function describeIssuerError(body: Record<string, unknown>): string {
  const d = typeof body.error_description === 'string' ? body.error_description.split(/\r?\n| Trace ID:/)[0] : '';
  return `${typeof body.error === 'string' ? body.error : 'error'}${d ? `: ${d}` : ''}`;
}

export async function requestDeviceCode(s: LoginSettings): Promise<DeviceCodeAnswer> {
  const r = await post(`${s.authority}/oauth2/v2.0/devicecode`, { client_id: s.clientId, scope: `${s.scope} offline_access openid profile` });
  if (r.status !== 200 || typeof r.body.device_code !== 'string') {
    throw new CliError(`The sign-in service refused to start a sign-in: ${describeIssuerError(r.body)}. Check CLI_LOGIN_CLIENT_ID (the registration must allow public client flows) and CLI_LOGIN_SCOPE.`);
  }
  return r.body as unknown as DeviceCodeAnswer;
}

export interface PollOptions { sleep?: (ms: number) => Promise<void>; now?: () => number }

/** Polls the token endpoint until the user approved, declined, or the code expired. */
export async function pollForToken(s: LoginSettings, dc: DeviceCodeAnswer, o: PollOptions = {}): Promise<TokenAnswer> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = o.now ?? Date.now;
  const deadline = now() + dc.expires_in * 1000;
  let interval = Math.max(1, dc.interval || 5);
  const expired = () => new CliError(`The code ${dc.user_code} expired before anyone signed in with it (it was valid for ${Math.round(dc.expires_in / 60)} minutes): run \`finops-bridge login\` again and enter the new code.`);
  for (;;) {
    await sleep(interval * 1000);
    if (now() > deadline) throw expired();
    const r = await post(`${s.authority}/oauth2/v2.0/token`, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: s.clientId, device_code: dc.device_code });
    if (r.status === 200 && typeof r.body.access_token === 'string') return r.body as unknown as TokenAnswer;
    switch (r.body.error) {
      case 'authorization_pending': continue;
      case 'slow_down': interval += 5; continue;
      case 'authorization_declined':
      case 'access_denied':
        throw new CliError('The sign-in was declined at the verification page: nothing was stored. Run `finops-bridge login` again to sign in.');
      case 'expired_token': throw expired();
      default:
        throw new CliError(`The sign-in failed: ${describeIssuerError(r.body)}.`);
    }
  }
}

/** A new access token (and refresh token) for the same user, without asking them again. */
export async function refreshToken(tokenEndpoint: string, clientId: string, scope: string, refresh: string): Promise<TokenAnswer> {
  const r = await post(tokenEndpoint, { grant_type: 'refresh_token', client_id: clientId, refresh_token: refresh, scope: `${scope} offline_access openid profile` });
  if (r.status !== 200 || typeof r.body.access_token !== 'string') throw new CliError(`The sign-in has expired (${describeIssuerError(r.body)}): run \`finops-bridge login\` again.`);
  return r.body as unknown as TokenAnswer;
}

/** Who a token is for, read from its claims (not verified here: the bridge verifies every request). */
export function tokenUser(token: string): { name: string; roles: string[] } {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const str = (k: string) => (typeof claims[k] === 'string' ? claims[k] : undefined);
    const login = str('preferred_username') ?? str('upn');
    const name = str('name');
    return { name: name && login ? `${name} (${login})` : name ?? login ?? 'an unnamed user', roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [] };
  } catch {
    return { name: 'an unknown user', roles: [] };
  }
}
