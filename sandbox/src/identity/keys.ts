// The issuer's signing key: generated at start, so a token from an older run never verifies.
import { exportJWK, generateKeyPair, type JWK, type CryptoKey } from 'jose';
import { randomUUID } from 'node:crypto';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID().replace(/-/g, '').slice(0, 27);
  const jwk = await exportJWK(publicKey);
  return { kid, privateKey, publicKey, publicJwk: { ...jwk, kid, use: 'sig', alg: 'RS256', kty: 'RSA' } };
}
