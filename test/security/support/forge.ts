// Token forgeries, built by hand where jose (rightly) refuses to build them.
import { createHmac } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type JWK, type JWTPayload } from 'jose';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const parse = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

export function decode(token: string): { header: Record<string, unknown>; payload: Record<string, unknown>; signature: string } {
  const [h, p, s] = token.split('.');
  return { header: parse(h), payload: parse(p), signature: s };
}

/** alg "none", no signature: the classic. */
export function algNone(token: string): string {
  const { payload } = decode(token);
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
}

/** Same header and payload, signature removed (keeping the trailing dot) or dropped entirely. */
export function stripped(token: string, keepDot = true): string {
  const [h, p] = token.split('.');
  return keepDot ? `${h}.${p}.` : `${h}.${p}`;
}

/** One bit of the signature flipped. */
export function alteredSignature(token: string): string {
  const [h, p, s] = token.split('.');
  const sig = Buffer.from(s, 'base64url');
  sig[sig.length >> 1] ^= 0x01;
  return `${h}.${p}.${sig.toString('base64url')}`;
}

/** The real header and signature, with claims changed (more roles, another tenant, ...). */
export function alteredClaims(token: string, change: Record<string, unknown>): string {
  const [h, p, s] = token.split('.');
  return `${h}.${b64({ ...parse(p), ...change })}.${s}`;
}

/** HS256 over the token with the issuer's PUBLIC key as HMAC secret (the RS/HS confusion attack). */
export function hs256WithPublicKey(token: string, publicKeyMaterial: string): string {
  const { header, payload } = decode(token);
  const h = b64({ ...header, alg: 'HS256' });
  const p = b64(payload);
  const sig = createHmac('sha256', publicKeyMaterial).update(`${h}.${p}`).digest('base64url');
  return `${h}.${p}.${sig}`;
}

/** A key of the attacker's, signing with the kid of the issuer's real key. */
export async function foreignKeyWithKid(claims: JWTPayload, kid: string, opts: { embedJwk?: boolean } = {}): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid };
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid, ...(opts.embedJwk ? { jwk } : {}) }).sign(privateKey);
}
