// Locally generated signing keys and tokens for auth tests (no issuer needed).
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, type JWK, type JWTPayload, type JWTVerifyGetKey } from 'jose';

type CryptoKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export const TENANT = '8d3c1f2e-5b7a-4c19-9e3f-1a2b3c4d5e6f';
export const ISSUER_V2 = `https://login.microsoftonline.com/${TENANT}/v2.0`;
export const ISSUER_V1 = `https://sts.windows.net/${TENANT}/`;
export const API_CLIENT_ID = '3f6b2a1e-9c4d-4e8f-a7b2-5d1c0e9f8a71';
export const API_APP_ID_URI = 'api://finops-bridge';

export interface TestKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  otherPrivateKey: CryptoKey;
  jwks: JWTVerifyGetKey;
  publicJwk: JWK;
}

export async function makeKeys(): Promise<TestKeys> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const other = await generateKeyPair('RS256');
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  return { privateKey, publicKey, otherPrivateKey: other.privateKey, publicJwk, jwks: createLocalJWKSet({ keys: [publicJwk] }) };
}

export function userClaims(oid: string, roles: string[], extra: JWTPayload = {}): JWTPayload {
  return { iss: ISSUER_V2, aud: API_CLIENT_ID, tid: TENANT, oid, sub: `sub-${oid}`, roles, name: 'Test User', ver: '2.0', scp: 'user_impersonation', ...extra };
}

export async function sign(key: CryptoKey, claims: JWTPayload, opts: { expiresIn?: string | number; kid?: string; alg?: string } = {}): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: opts.alg ?? 'RS256', kid: opts.kid ?? 'k1', typ: 'JWT' }).setIssuedAt();
  if (claims.exp === undefined) jwt.setExpirationTime(opts.expiresIn ?? '1h');
  return jwt.sign(key);
}

/** An unsigned token (alg none), built by hand since jose refuses to make one. */
export function unsignedToken(claims: JWTPayload): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iat: now, exp: now + 3600, ...claims })}.`;
}
