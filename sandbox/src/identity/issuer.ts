// An Entra-like token issuer over real HTTP: discovery, JWKS, and the v2 (scope) and v1 (resource) token
// endpoints with client credentials and the resource-owner password grant for the demo users, and the device code
// flow (with its verification page and refresh tokens) for the command line. The bridge's application
// authenticates with its secret or with a client assertion signed by a registered certificate.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readBody } from '../http/read-body';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { createSigningKey, type SigningKey } from './keys';
import { appClaims, issuerV1, issuerV2, resourceFromScope, userClaims, type IssuerUrls, type TokenVersion } from './claims';
import { BRIDGE_API, BRIDGE_CLIENT, CONTROLS_CLIENT_ID, DEMO_USERS, EXTRA_BRIDGE_CLIENTS, TENANT_ID, type DemoUser } from './principals';
import { errors, type EntraError } from './entra-errors';
import { CLIENT_ASSERTION_TYPE, createAssertionChecker } from './client-assertion';
import { createDeviceCodes } from './device-code';
import { handleDeviceLogin } from './device-login';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** Public clients ("Allow public client flows" on in the stand-in): the controls' and the bridge API's registrations. */
const PUBLIC_CLIENTS: readonly string[] = [CONTROLS_CLIENT_ID, BRIDGE_API.clientId];

export type PrincipalName = 'bridge' | DemoUser['name'];

export interface IssuerOptions {
  port?: number;
  host?: string;
  tokenLifetimeSeconds?: number;
  /** Certificates (PEM) registered for the bridge's application: client assertions signed with them are accepted. */
  bridgeCertificates?: string[];
  /** The device code flow's polling interval (Entra: 5 s) and the user's time to sign in (Entra: 900 s). */
  deviceCodeIntervalSeconds?: number;
  deviceCodeLifetimeSeconds?: number;
}

export interface TokenResult {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export interface IssuerServer {
  /** http://host:port */
  baseUrl: string;
  /** The v2 issuer (iss of v2 tokens). */
  issuer: string;
  issuerV1: string;
  tokenEndpoint: string;
  jwksUri: string;
  /** Registers a certificate (PEM) for the bridge's application, as uploading it to the app registration does. */
  registerBridgeCertificate(certificatePem: string): void;
  /** The device code flow's verification page (Entra's https://microsoft.com/devicelogin). */
  deviceLoginUrl: string;
  /** Test control: every pending device code expires now. */
  expireDeviceCodes(): void;
  /** Mints a token in-process, exactly as the token endpoint would. */
  issue(principal: PrincipalName, resource: string, version?: TokenVersion): Promise<string>;
  close(): Promise<void>;
}

export function findDemoUser(username: string): DemoUser | undefined {
  const u = username.toLowerCase();
  return DEMO_USERS.find((d) => d.name === u || d.upn.toLowerCase() === u);
}

export async function startIssuer(opts: IssuerOptions = {}): Promise<IssuerServer> {
  const key = await createSigningKey();
  const lifetime = opts.tokenLifetimeSeconds ?? 3600;
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { error: 'server_error', error_description: String(err) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const urls: IssuerUrls = { base: `http://${opts.host ?? '127.0.0.1'}:${addr.port}`, tenant: TENANT_ID };
  const assertions = createAssertionChecker(() => [`${urls.base}/${TENANT_ID}/oauth2/v2.0/token`, `${urls.base}/${TENANT_ID}/oauth2/token`]);
  for (const pem of opts.bridgeCertificates ?? []) assertions.register(pem);
  const deviceCodes = createDeviceCodes({ intervalSeconds: opts.deviceCodeIntervalSeconds, lifetimeSeconds: opts.deviceCodeLifetimeSeconds });
  /** Refresh tokens handed out with offline_access: opaque, in memory, rotated on use, valid 24 hours here. */
  const refreshTokens = new Map<string, { user: DemoUser; clientId: string; scope: string; expiresAt: number }>();

  /** The bridge's application proves itself with its secret or a client assertion; undefined when it did. */
  async function bridgeClientAuth(form: URLSearchParams): Promise<EntraError | undefined> {
    const assertion = form.get('client_assertion');
    if (assertion !== null || form.get('client_assertion_type') !== null) {
      if (form.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE) return errors.missingParam('client_assertion_type');
      if (!assertion) return errors.missingParam('client_assertion');
      return assertions.check(assertion, BRIDGE_CLIENT.clientId);
    }
    return form.get('client_secret') === BRIDGE_CLIENT.clientSecret ? undefined : errors.badSecret(BRIDGE_CLIENT.clientId);
  }

  async function sign(claims: Record<string, unknown>): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid }).sign(key.privateKey);
  }

  function claimsFor(principal: PrincipalName | DemoUser, resource: string, version: TokenVersion, clientId?: string) {
    const input = { urls, version, resource, nowSeconds: Math.floor(Date.now() / 1000), lifetimeSeconds: lifetime, tokenId: randomUUID() };
    if (principal === 'bridge') return appClaims(input);
    const user = typeof principal === 'string' ? findDemoUser(principal) : principal;
    if (!user) throw new Error('Unknown principal: use bridge, sales, controller, admin or guest.');
    return userClaims(input, user, clientId);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', urls.base);
    // The preview page asks for tokens from a browser page on another origin.
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'content-type');
    if (req.method === 'OPTIONS') return void send(res, 204, undefined);
    if (url.pathname === '/devicelogin') return handleDeviceLogin(req, res, url, { codes: deviceCodes, findUser: findDemoUser, readBody });
    const m = /^\/([^/]+)\/(.*)$/.exec(url.pathname);
    if (!m) return void send(res, 404, { error: 'not_found', error_description: `No endpoint at ${url.pathname}. Discovery: ${issuerV2(urls)}/.well-known/openid-configuration` });
    const [, tenant, rest] = m;
    if (tenant !== TENANT_ID) return void sendError(res, errors.unknownTenant(tenant));
    if (req.method === 'GET' && rest === 'v2.0/.well-known/openid-configuration') return void send(res, 200, discovery('2.0'));
    if (req.method === 'GET' && rest === '.well-known/openid-configuration') return void send(res, 200, discovery('1.0'));
    if (req.method === 'GET' && (rest === 'discovery/v2.0/keys' || rest === 'discovery/keys')) return void send(res, 200, jwks(key));
    if (req.method === 'POST' && rest === 'oauth2/v2.0/devicecode') {
      const out = deviceAuthorization(new URLSearchParams(await readBody(req)));
      return void ('error' in out ? sendError(res, out.error) : send(res, 200, out.ok));
    }
    if (req.method === 'POST' && (rest === 'oauth2/v2.0/token' || rest === 'oauth2/token')) {
      const form = new URLSearchParams(await readBody(req));
      const out = await token(form, rest === 'oauth2/token' ? '1.0' : '2.0');
      return void ('error' in out ? sendError(res, out.error) : send(res, 200, out.ok));
    }
    send(res, 404, { error: 'not_found', error_description: `No endpoint ${req.method} ${url.pathname}.` });
  }

  function discovery(version: TokenVersion) {
    const v = version === '2.0' ? '/v2.0' : '';
    return {
      issuer: version === '2.0' ? issuerV2(urls) : issuerV1(urls),
      token_endpoint: `${urls.base}/${TENANT_ID}/oauth2${v}/token`,
      authorization_endpoint: `${urls.base}/${TENANT_ID}/oauth2${v}/authorize`,
      jwks_uri: `${urls.base}/${TENANT_ID}/discovery${v}/keys`,
      response_types_supported: ['code', 'id_token', 'token id_token', 'token'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'private_key_jwt'],
      grant_types_supported: ['client_credentials', 'password', 'urn:ietf:params:oauth:grant-type:jwt-bearer', DEVICE_CODE_GRANT, 'refresh_token'],
      ...(version === '2.0' ? { device_authorization_endpoint: `${urls.base}/${TENANT_ID}/oauth2/v2.0/devicecode` } : {}),
      tenant_region_scope: 'EU',
    };
  }

  async function token(form: URLSearchParams, version: TokenVersion): Promise<{ ok: Record<string, unknown> } | { error: EntraError }> {
    const grant = form.get('grant_type');
    if (!grant) return { error: errors.missingParam('grant_type') };
    const clientId = form.get('client_id');
    if (!clientId) return { error: errors.missingParam('client_id') };
    if (version === '2.0' && (grant === DEVICE_CODE_GRANT || grant === 'refresh_token')) return userGrant(grant, form, clientId);
    let resource: string | undefined;
    if (version === '1.0') {
      resource = form.get('resource') ?? undefined;
      if (!resource) return { error: errors.missingParam('resource') };
    } else {
      const scope = form.get('scope');
      if (!scope) return { error: errors.missingParam('scope') };
      resource = resourceFromScope(scope);
      if (!resource || (grant === 'client_credentials' && !scope.trim().endsWith('/.default'))) return { error: errors.badScope(scope) };
    }
    let claims: Record<string, unknown>;
    const extra = EXTRA_BRIDGE_CLIENTS.find((c) => c.clientId === clientId);
    if (grant === 'client_credentials' && extra) {
      // The bridge's extra app registrations: client secret only (no certificate registered for them here).
      if (form.get('client_secret') !== extra.clientSecret) return { error: errors.badSecret(extra.clientId) };
      claims = appClaims({ urls, version, resource, nowSeconds: Math.floor(Date.now() / 1000), lifetimeSeconds: lifetime, tokenId: randomUUID() }, extra);
    } else if (grant === 'client_credentials') {
      if (clientId !== BRIDGE_CLIENT.clientId) return { error: errors.unknownClient(clientId) };
      const refused = await bridgeClientAuth(form);
      if (refused) return { error: refused };
      claims = claimsFor('bridge', resource, version);
    } else if (grant === 'password') {
      if (clientId !== CONTROLS_CLIENT_ID && clientId !== BRIDGE_CLIENT.clientId) return { error: errors.unknownClient(clientId) };
      const refused = clientId === BRIDGE_CLIENT.clientId ? await bridgeClientAuth(form) : undefined;
      if (refused) return { error: refused };
      const username = form.get('username');
      if (!username) return { error: errors.missingParam('username') };
      const user = findDemoUser(username);
      if (!user) return { error: errors.unknownUser(username) };
      if (form.get('password') !== 'demo') return { error: errors.badPassword() };
      claims = claimsFor(user, resource, version, clientId);
    } else if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer' && form.get('requested_token_use') === 'on_behalf_of') {
      // On-behalf-of: the bridge trades a user's token for its API for a token of that user for F&O or Dataverse.
      if (clientId !== BRIDGE_CLIENT.clientId) return { error: errors.unknownClient(clientId) };
      const refused = await bridgeClientAuth(form);
      if (refused) return { error: refused };
      const user = await oboUser(form.get('assertion'));
      if (!user) return { error: errors.badAssertion() };
      claims = claimsFor(user, resource, version, clientId);
    } else {
      return { error: errors.badGrant(grant) };
    }
    const accessToken = await sign(claims);
    const body: Record<string, unknown> = { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken };
    if (version === '1.0') Object.assign(body, { expires_on: String(claims.exp), not_before: String(claims.nbf), resource });
    return { ok: body };
  }

  /** POST /{tenant}/oauth2/v2.0/devicecode: client_id and scope in, the codes and the text for the user out. */
  function deviceAuthorization(form: URLSearchParams): { ok: Record<string, unknown> } | { error: EntraError } {
    const clientId = form.get('client_id');
    if (!clientId) return { error: errors.missingParam('client_id') };
    if (clientId === BRIDGE_CLIENT.clientId) return { error: errors.notPublicClient() };
    if (!PUBLIC_CLIENTS.includes(clientId)) return { error: errors.unknownClient(clientId) };
    const scope = form.get('scope');
    if (!scope) return { error: errors.missingParam('scope') };
    if (!resourceFromScope(scope)) return { error: errors.badScope(scope) };
    const s = deviceCodes.start(clientId, scope);
    const verificationUri = `${urls.base}/devicelogin`;
    return {
      ok: {
        user_code: s.userCode, device_code: s.deviceCode, verification_uri: verificationUri, expires_in: deviceCodes.lifetimeSeconds, interval: s.interval,
        message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${s.userCode} to authenticate.`,
      },
    };
  }

  /** The device code grant and the refresh token grant: a user's token for a public client, v2 only. */
  async function userGrant(grant: string, form: URLSearchParams, clientId: string): Promise<{ ok: Record<string, unknown> } | { error: EntraError }> {
    let user: DemoUser;
    let scope: string;
    if (grant === DEVICE_CODE_GRANT) {
      const deviceCode = form.get('device_code');
      if (!deviceCode) return { error: errors.missingParam('device_code') };
      const r = deviceCodes.poll(deviceCode, clientId);
      switch (r.kind) {
        case 'approved': user = r.user; scope = r.signIn.scope; break;
        case 'authorization_pending': return { error: errors.authorizationPending() };
        case 'slow_down': return { error: errors.slowDown(r.interval) };
        case 'authorization_declined': return { error: errors.authorizationDeclined() };
        case 'expired_token': return { error: errors.expiredToken() };
        default: return { error: errors.badVerificationCode() };
      }
    } else {
      const given = form.get('refresh_token');
      if (!given) return { error: errors.missingParam('refresh_token') };
      const held = refreshTokens.get(given);
      refreshTokens.delete(given);
      if (!held || held.clientId !== clientId || held.expiresAt < Date.now()) return { error: errors.badRefreshToken() };
      user = held.user;
      scope = form.get('scope') ?? held.scope;
    }
    const resource = resourceFromScope(scope);
    if (!resource) return { error: errors.badScope(scope) };
    const claims = claimsFor(user, resource, '2.0', clientId);
    const scopes = scope.split(' ');
    const body: Record<string, unknown> = {
      token_type: 'Bearer', scope: scopes.filter((x) => x.includes('/')).join(' '), expires_in: lifetime, ext_expires_in: lifetime, access_token: await sign(claims),
    };
    if (scopes.includes('offline_access')) {
      const refresh = randomBytes(48).toString('base64url');
      refreshTokens.set(refresh, { user, clientId, scope, expiresAt: Date.now() + 24 * 3600_000 });
      body.refresh_token = refresh;
    }
    if (scopes.includes('openid')) {
      body.id_token = await sign({
        aud: clientId, iss: issuerV2(urls), iat: claims.iat, nbf: claims.nbf, exp: claims.exp, oid: user.oid, sub: `sub-${user.oid}`, tid: TENANT_ID, ver: '2.0',
        ...(scopes.includes('profile') ? { name: user.displayName, preferred_username: user.upn } : {}),
      });
    }
    return { ok: body };
  }

  async function oboUser(assertion: string | null): Promise<DemoUser | undefined> {
    if (!assertion) return undefined;
    try {
      const { payload } = await jwtVerify(assertion, key.publicKey, {
        issuer: [issuerV2(urls), issuerV1(urls)], audience: [BRIDGE_API.clientId, BRIDGE_API.appIdUri],
      });
      return DEMO_USERS.find((u) => u.oid === payload.oid);
    } catch {
      return undefined;
    }
  }

  return {
    baseUrl: urls.base,
    issuer: issuerV2(urls),
    issuerV1: issuerV1(urls),
    tokenEndpoint: `${urls.base}/${TENANT_ID}/oauth2/v2.0/token`,
    jwksUri: `${urls.base}/${TENANT_ID}/discovery/v2.0/keys`,
    registerBridgeCertificate: (pem) => { assertions.register(pem); },
    deviceLoginUrl: `${urls.base}/devicelogin`,
    expireDeviceCodes: () => { deviceCodes.expireAll(); },
    issue: async (principal, resource, version = '2.0') => sign(claimsFor(principal, resource, version)),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function jwks(key: SigningKey) {
  return { keys: [{ ...key.publicJwk, x5t: key.kid }] };
}

function sendError(res: ServerResponse, e: EntraError): void {
  send(res, e.status, e.body);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

