// Inbound bearer token verification: jose against the JWKS named by the issuer's OpenID configuration.
// RS256 only; issuer and tenant allowlist; audience (v2 client id or v1 app ID URI); exp/nbf with skew.
import { isGuid } from '../contracts/guid';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { request } from 'undici';

export type AppRole = 'Finance.Read' | 'Finance.Write' | 'Sync.Admin';
export const APP_ROLES: readonly AppRole[] = ['Finance.Read', 'Finance.Write', 'Sync.Admin'];

export interface Principal {
  /** Entra object id of the user (or of the calling app for app-only tokens). */
  oid: string;
  tid: string;
  name: string | null;
  roles: AppRole[];
  /** Delegated scopes (scp), if any. */
  scopes: string[];
  tokenVersion: '1.0' | '2.0';
}

export interface VerifierOptions {
  issuers: string[];
  tenantIds: string[];
  audiences: string[];
  discoveryUrl: string;
  clockSkewSeconds: number;
  /** Tests: a local key set instead of discovery. */
  keys?: JWTVerifyGetKey;
}

/** Why a token was refused: shown to the caller in the 401 body (never the token itself). */
export class TokenRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TokenRejected';
  }
}

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

async function discoverJwksUri(discoveryUrl: string): Promise<string> {
  const res = await request(discoveryUrl, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.body.json()) as { jwks_uri?: unknown };
  if (res.statusCode !== 200 || typeof body.jwks_uri !== 'string') {
    throw new Error(`OpenID configuration at ${discoveryUrl} answered ${res.statusCode} without jwks_uri`);
  }
  return body.jwks_uri;
}

export function createTokenVerifier(opts: VerifierOptions): TokenVerifier {
  let keys: Promise<JWTVerifyGetKey> | undefined = opts.keys ? Promise.resolve(opts.keys) : undefined;
  const getKeys = () => {
    keys ??= discoverJwksUri(opts.discoveryUrl)
      .then((uri) => createRemoteJWKSet(new URL(uri), { cooldownDuration: 30_000, timeoutDuration: 10_000 }))
      .catch((e: unknown) => {
        keys = undefined; // try discovery again on the next request
        throw e;
      });
    return keys;
  };
  const issuers = new Set(opts.issuers.map((i) => i.replace(/\/+$/, '')));
  const tenants = new Set(opts.tenantIds.map((t) => t.toLowerCase()));

  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        const jwks = await getKeys();
        ({ payload } = await jwtVerify(token, jwks, {
          algorithms: ['RS256'],
          audience: opts.audiences,
          clockTolerance: opts.clockSkewSeconds,
          requiredClaims: ['exp', 'iss', 'aud'],
        }));
      } catch (e) {
        throw new TokenRejected(describe(e));
      }
      // v1 issuers end with a slash (https://sts.windows.net/<tid>/): compare without it.
      const iss = String(payload.iss).replace(/\/+$/, '');
      if (!issuers.has(iss)) throw new TokenRejected(`issuer (iss) ${JSON.stringify(payload.iss)} is not accepted`);
      const tid = typeof payload.tid === 'string' ? payload.tid.toLowerCase() : '';
      if (!tenants.has(tid)) throw new TokenRejected(`tenant (tid) ${JSON.stringify(payload.tid ?? null)} is not accepted`);
      // The object id of the user or application in Entra ID, which Dataverse knows it by. `sub` is no stand-in:
      // it is pairwise per application and names no Dataverse user.
      const oid = typeof payload.oid === 'string' && isGuid(payload.oid) ? payload.oid : '';
      if (!oid) throw new TokenRejected('the token has no object id (oid) of a user or application, which the bridge needs to find the Dataverse user');
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is AppRole => APP_ROLES.includes(r as AppRole)) : [];
      const name = typeof payload.name === 'string' ? payload.name : typeof payload.preferred_username === 'string' ? payload.preferred_username
        : typeof payload.upn === 'string' ? payload.upn : null;
      return {
        oid: oid.toLowerCase(), tid, name, roles, scopes: typeof payload.scp === 'string' ? payload.scp.split(' ') : [],
        tokenVersion: payload.ver === '1.0' ? '1.0' : '2.0',
      };
    },
  };
}

function describe(e: unknown): string {
  if (e instanceof errors.JWTExpired) return 'the token has expired (exp)';
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === 'aud') return 'the audience (aud) is not this API';
    if (e.claim === 'nbf') return 'the token is not valid yet (nbf)';
    if (e.claim === 'iat') return 'the token was issued in the future (iat)';
    return `claim ${e.claim} failed: ${e.reason}`;
  }
  if (e instanceof errors.JOSEAlgNotAllowed) return 'the signing algorithm is not allowed (RS256 only)';
  if (e instanceof errors.JWSSignatureVerificationFailed) return 'the signature is not valid';
  if (e instanceof errors.JWKSNoMatchingKey) return 'no signing key of the issuer matches the token (kid)';
  if (e instanceof errors.JWSInvalid || e instanceof errors.JWTInvalid) return 'the token is malformed';
  if (e instanceof errors.JOSENotSupported) return 'the token uses an unsupported algorithm (RS256 only)';
  if (e instanceof errors.JOSEError) return `the token could not be verified (${e.code})`;
  return 'the signing keys of the issuer could not be loaded';
}
