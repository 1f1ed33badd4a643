// Pure shaping of Entra-like access token claims. Entra decides the token version by the resource, not by
// the endpoint; the sandbox lets the caller choose (v2 default, v1 through the v1 endpoint or --v1).
import { BRIDGE_API, BRIDGE_CLIENT, CONTROLS_CLIENT_ID, TENANT_ID, type DemoUser, type ExtraBridgeClient } from './principals';

export type TokenVersion = '1.0' | '2.0';

export interface IssuerUrls {
  /** e.g. http://127.0.0.1:4003 */
  base: string;
  tenant: string;
}

export const issuerV2 = (u: IssuerUrls): string => `${u.base}/${u.tenant}/v2.0`;
export const issuerV1 = (u: IssuerUrls): string => `${u.base}/${u.tenant}/`;

/** Turns a requested resource (or scope without its suffix) into the `aud` Entra would write. */
export function audienceFor(resource: string, version: TokenVersion): string {
  const r = resource.replace(/\/$/, '');
  if (r === BRIDGE_API.appIdUri || r === BRIDGE_API.clientId) {
    return version === '2.0' ? BRIDGE_API.clientId : BRIDGE_API.appIdUri;
  }
  return r;
}

/** `api://x/.default` -> `api://x`; `api://x/user_impersonation` -> `api://x`. */
export function resourceFromScope(scope: string): string | undefined {
  const first = scope.split(' ').find((s) => s.includes('/') && !['openid', 'profile', 'offline_access'].includes(s));
  if (!first) return undefined;
  return first.replace(/\/[^/]+$/, '');
}

export interface ClaimInput {
  urls: IssuerUrls;
  version: TokenVersion;
  resource: string;
  nowSeconds: number;
  lifetimeSeconds: number;
  tokenId: string;
}

function timeClaims(i: ClaimInput) {
  return { iat: i.nowSeconds, nbf: i.nowSeconds, exp: i.nowSeconds + i.lifetimeSeconds, uti: i.tokenId };
}

/** The service principal of the bridge app registration (what client credentials returns). */
export const BRIDGE_APP_OID = 'b71d9e0c-4c1a-4f0e-9d55-0a7c3e2b1f90';

/** The bridge's application, or one of its extra app registrations (`extra`): its own client id and object id. */
export function appClaims(i: ClaimInput, extra?: ExtraBridgeClient): Record<string, unknown> {
  const oid = extra?.oid ?? BRIDGE_APP_OID;
  const clientId = extra?.clientId ?? BRIDGE_CLIENT.clientId;
  const common = {
    aud: audienceFor(i.resource, i.version), tid: TENANT_ID, oid, sub: oid,
    roles: [] as string[], idtyp: 'app', ver: i.version, ...timeClaims(i),
  };
  return i.version === '2.0'
    ? { ...common, iss: issuerV2(i.urls), azp: clientId, azpacr: '1' }
    : { ...common, iss: issuerV1(i.urls), appid: clientId, appidacr: '1' };
}

export function userClaims(i: ClaimInput, user: DemoUser, clientId = CONTROLS_CLIENT_ID): Record<string, unknown> {
  const common = {
    aud: audienceFor(i.resource, i.version), tid: TENANT_ID, oid: user.oid, sub: `sub-${user.oid}`,
    roles: [...user.roles], scp: 'user_impersonation', name: user.displayName, idtyp: 'user', ver: i.version,
    ...timeClaims(i),
  };
  return i.version === '2.0'
    ? { ...common, iss: issuerV2(i.urls), azp: clientId, azpacr: '0', preferred_username: user.upn }
    : { ...common, iss: issuerV1(i.urls), appid: clientId, appidacr: '0', upn: user.upn, unique_name: user.upn };
}
