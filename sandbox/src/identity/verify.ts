// Bearer token verification shared by the sandbox services (F&O and Dataverse): signature against the
// issuer's JWKS, issuer (v1 or v2 of the same tenant), audience, lifetime. Failures say why.
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { BRIDGE_API } from './principals';

export interface SandboxPrincipal {
  oid: string;
  appId: string;
  name: string;
  roles: string[];
  /** True for an application (client credentials) token, false for a user's delegated token. */
  isApp: boolean;
  /** Delegated scopes (space separated in the token); empty for app tokens. */
  scopes?: string[];
  tenantId?: string;
}

export type VerifyBearer = (authorization: string | undefined, audience: string) => Promise<SandboxPrincipal>;

export class BearerError extends Error {
  override readonly name = 'BearerError';
}

/** `http://127.0.0.1:4003/{tenant}/v2.0` -> the v1 issuer and the JWKS of the same tenant. */
export function issuerEndpoints(issuerUrl: string): { v2: string; v1: string; jwks: string } {
  const tenantBase = issuerUrl.replace(/\/$/, '').replace(/\/v2\.0$/, '');
  return { v2: `${tenantBase}/v2.0`, v1: `${tenantBase}/`, jwks: `${tenantBase}/discovery/v2.0/keys` };
}

/** Both audience spellings Entra writes for the same resource. */
function acceptedAudiences(audience: string): string[] {
  const bare = audience.replace(/\/$/, '');
  const out = [bare, `${bare}/`];
  if (bare === BRIDGE_API.clientId || bare === BRIDGE_API.appIdUri) out.push(BRIDGE_API.clientId, BRIDGE_API.appIdUri);
  return out;
}

export function principalFromClaims(p: JWTPayload): SandboxPrincipal {
  const str = (k: string) => (typeof p[k] === 'string' ? (p[k]) : '');
  const scp = str('scp');
  const roles = Array.isArray(p.roles) ? p.roles.filter((r): r is string => typeof r === 'string') : [];
  return {
    oid: str('oid'),
    appId: str('azp') || str('appid'),
    name: str('name') || str('preferred_username') || str('upn') || str('azp') || str('appid'),
    roles,
    isApp: scp === '' && (p.idtyp === undefined || p.idtyp === 'app'),
    scopes: scp ? scp.split(' ') : [],
    tenantId: str('tid'),
  };
}

export function createVerifier(issuerUrl: string): VerifyBearer {
  const ends = issuerEndpoints(issuerUrl);
  const jwks = createRemoteJWKSet(new URL(ends.jwks), { cacheMaxAge: 10 * 60_000, cooldownDuration: 1_000 });
  return async (authorization, audience) => {
    if (!authorization) throw new BearerError('No Authorization header: send "Authorization: Bearer <token>" (npm run -s token -- <principal>).');
    const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!m) throw new BearerError('The Authorization header is not "Bearer <token>".');
    try {
      const { payload } = await jwtVerify(m[1], jwks, {
        issuer: [ends.v2, ends.v1],
        audience: acceptedAudiences(audience),
        algorithms: ['RS256'],
        clockTolerance: 60,
      });
      if (typeof payload.oid !== 'string') throw new BearerError('The token has no oid claim.');
      return principalFromClaims(payload);
    } catch (err) {
      throw new BearerError(describe(err, audience, ends.v2));
    }
  };
}

function describe(err: unknown, audience: string, issuer: string): string {
  if (err instanceof BearerError) return err.message;
  if (err instanceof joseErrors.JWTExpired) return 'The token has expired: get a new one.';
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return `The token's audience (aud) is not ${audience}: ask the issuer for a token for this resource.`;
    if (err.claim === 'iss') return `The token was not issued by ${issuer} (or its v1 form).`;
    return `The token's ${err.claim} claim is invalid: ${err.message}.`;
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JWKSNoMatchingKey) {
    return 'The token signature does not verify against the issuer keys (a token from an older sandbox run?): get a new one.';
  }
  if (err instanceof joseErrors.JWKSTimeout || (err instanceof Error && /fetch|ECONNREFUSED/i.test(err.message))) {
    return `The issuer's keys could not be fetched from ${issuer}: is the sandbox issuer running?`;
  }
  if (err instanceof joseErrors.JOSEError) return `The token is not a valid JWT: ${err.message}.`;
  return `The token could not be verified: ${err instanceof Error ? err.message : String(err)}.`;
}
