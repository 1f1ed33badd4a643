// Client authentication by certificate at the sandbox issuer: a client assertion (RFC 7523) signed with a
// certificate registered for the application, checked as Entra documents it (header x5t#S256 or x5t naming the
// certificate, PS256 or RS256, aud = the token endpoint, iss = sub = client id, exp/nbf, jti) and answered with
// Entra's error codes. A jti is remembered until its assertion expires, so a replayed assertion is refused.
import { createHash, X509Certificate } from 'node:crypto';
import { compactVerify, decodeJwt, decodeProtectedHeader, type ProtectedHeaderParameters } from 'jose';
import { entraError, type EntraError } from './entra-errors';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Clock skew tolerated on exp and nbf (Entra allows five minutes). */
export const ASSERTION_SKEW_SECONDS = 300;

interface Registered { cert: X509Certificate; x5t: string; x5tS256: string }

const assertionError = {
  malformed: () => entraError(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.'),
  unknownKey: (id: string) => entraError(401, 'invalid_client', 700027,
    `Client assertion failed signature validation. Reason - The key was not found. Thumbprint of key used by client: '${id}'. Register the certificate for the application.`),
  badSignature: () => entraError(401, 'invalid_client', 700027, 'Client assertion contains an invalid signature.'),
  expiredKey: () => entraError(401, 'invalid_client', 700027, 'Client assertion contains an invalid signature. Reason - The key used is expired.'),
  badAlg: (alg: string) => entraError(401, 'invalid_client', 700027, `Client assertion is signed with '${alg}'; use PS256 or RS256.`),
  wrongApp: () => entraError(401, 'invalid_client', 700021, "Client assertion application identifier doesn't match 'client_id' parameter."),
  wrongAudience: (aud: string) => entraError(401, 'invalid_client', 700023, `Client assertion audience claim does not match Realm issuer. Audience '${aud}' is not the token endpoint.`),
  timeRange: (nowS: number, nbf: unknown, exp: unknown) => entraError(401, 'invalid_client', 700024,
    `Client assertion is not within its valid time range. Current time: ${new Date(nowS * 1000).toISOString()}, assertion valid from ${typeof nbf === 'number' ? new Date(nbf * 1000).toISOString() : 'unset'}, expiry time of assertion ${typeof exp === 'number' ? new Date(exp * 1000).toISOString() : 'unset'}.`),
  replayed: () => entraError(401, 'invalid_client', 50013, 'Assertion is invalid: its jti was already used. A client assertion may be sent once.'),
  noJti: () => entraError(401, 'invalid_client', 50013, 'Assertion is invalid: it has no jti claim.'),
};

export interface AssertionChecker {
  /** Registers a certificate (PEM) for the application; returns its x5t#S256. */
  register(certificatePem: string): string;
  /** undefined when the assertion authenticates `clientId`; otherwise Entra's error. */
  check(assertion: string, clientId: string, nowSeconds?: number): Promise<EntraError | undefined>;
}

export function createAssertionChecker(audiences: () => string[]): AssertionChecker {
  const certs: Registered[] = [];
  const seen = new Map<string, number>();

  return {
    register(pem) {
      const cert = new X509Certificate(pem);
      const entry = { cert, x5t: createHash('sha1').update(cert.raw).digest('base64url'), x5tS256: createHash('sha256').update(cert.raw).digest('base64url') };
      certs.push(entry);
      return entry.x5tS256;
    },
    async check(assertion, clientId, nowSeconds = Math.floor(Date.now() / 1000)) {
      let header: ProtectedHeaderParameters;
      let claims: ReturnType<typeof decodeJwt>;
      try {
        header = decodeProtectedHeader(assertion);
        claims = decodeJwt(assertion);
      } catch {
        return assertionError.malformed();
      }
      const s256 = header['x5t#S256'];
      const reg = certs.find((c) => (typeof s256 === 'string' && c.x5tS256 === s256) || (typeof header.x5t === 'string' && c.x5t === header.x5t));
      if (!reg) return assertionError.unknownKey(typeof s256 === 'string' ? s256 : header.x5t ?? 'none');
      if (header.alg !== 'PS256' && header.alg !== 'RS256') return assertionError.badAlg(String(header.alg));
      try {
        await compactVerify(assertion, reg.cert.publicKey, { algorithms: ['PS256', 'RS256'] });
      } catch {
        return assertionError.badSignature();
      }
      if (new Date(reg.cert.validTo).getTime() <= nowSeconds * 1000) return assertionError.expiredKey();
      if (claims.iss !== clientId || claims.sub !== clientId) return assertionError.wrongApp();
      const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      if (!aud.some((a) => typeof a === 'string' && audiences().includes(a))) return assertionError.wrongAudience(String(claims.aud));
      const { exp, nbf } = claims;
      if (typeof exp !== 'number' || exp + ASSERTION_SKEW_SECONDS <= nowSeconds || (typeof nbf === 'number' && nbf - ASSERTION_SKEW_SECONDS > nowSeconds)) {
        return assertionError.timeRange(nowSeconds, nbf, exp);
      }
      if (typeof claims.jti !== 'string' || !claims.jti) return assertionError.noJti();
      for (const [jti, until] of seen) if (until < nowSeconds) seen.delete(jti);
      const key = `${clientId}/${claims.jti}`;
      if (seen.has(key)) return assertionError.replayed();
      seen.set(key, exp + ASSERTION_SKEW_SECONDS);
      return undefined;
    },
  };
}
