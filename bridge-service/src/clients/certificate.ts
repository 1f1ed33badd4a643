// The bridge's certificate credential: a PEM file with the certificate registered on the app registration and its
// private key, and the client assertion signed with it (RFC 7523 as Microsoft's "certificate credentials" page
// describes it: PS256, header x5t#S256, claims aud = token endpoint, iss = sub = client id, jti, nbf, iat, exp).
import { createHash, createPrivateKey, randomUUID, sign, constants, X509Certificate, type KeyObject } from 'node:crypto';

export interface ClientCertificate {
  /** The private key (a KeyObject: serialises to {}, so a logged configuration never shows it). */
  privateKey: KeyObject;
  /** base64url SHA-1 and SHA-256 thumbprints of the DER certificate. */
  x5t: string;
  x5tS256: string;
  /** Upper-case hex SHA-1 thumbprint, as the Entra admin center shows it. */
  thumbprint: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

export class CertificateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CertificateError';
  }
}

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const KEY_BLOCK = /-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END \1?PRIVATE KEY-----/;

/**
 * Reads a PEM holding the certificate (and possibly its chain) and its private key. Throws CertificateError with
 * what is wrong and what to do: a PFX or DER file, no certificate, no key, an encrypted key without the password or
 * with a wrong one, a key that is not RSA, a key that belongs to none of the certificates.
 */
export function parseClientCertificate(content: string | Buffer, password?: string): ClientCertificate {
  const text = Buffer.isBuffer(content) ? content.toString('latin1') : content;
  if (!text.includes('-----BEGIN')) {
    throw new CertificateError('is not a PEM file (a PFX/PKCS#12 or DER file?): convert it with `openssl pkcs12 -in bridge.pfx -out bridge.pem -nodes` (or keep the key encrypted and set CLIENT_CERTIFICATE_PASSWORD)');
  }
  const certs = [...text.matchAll(CERT_BLOCK)].map((m) => {
    try {
      return new X509Certificate(m[0]);
    } catch (err) {
      throw new CertificateError(`holds a certificate that cannot be read (${(err as Error).message})`);
    }
  });
  if (certs.length === 0) throw new CertificateError('holds no certificate (-----BEGIN CERTIFICATE-----): put the certificate and its private key in one PEM file');
  const keyPem = KEY_BLOCK.exec(text)?.[0];
  if (!keyPem) throw new CertificateError('holds no private key (-----BEGIN PRIVATE KEY-----): put the certificate and its private key in one PEM file');
  const encrypted = keyPem.includes('ENCRYPTED') || /Proc-Type:\s*4,ENCRYPTED/.test(keyPem);
  if (encrypted && !password) throw new CertificateError('holds an encrypted private key: set CLIENT_CERTIFICATE_PASSWORD');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: keyPem, format: 'pem', passphrase: password });
  } catch (err) {
    throw new CertificateError(encrypted ? 'holds a private key that CLIENT_CERTIFICATE_PASSWORD does not decrypt' : `holds a private key that cannot be read (${(err as Error).message})`);
  }
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new CertificateError(`holds a ${privateKey.asymmetricKeyType ?? 'non-RSA'} key: use an RSA certificate (client assertions are signed with PS256)`);
  }
  const cert = certs.find((c) => c.checkPrivateKey(privateKey));
  if (!cert) throw new CertificateError('holds a private key that belongs to none of its certificates: the key and the certificate must be a pair');
  return {
    privateKey,
    x5t: createHash('sha1').update(cert.raw).digest('base64url'),
    x5tS256: createHash('sha256').update(cert.raw).digest('base64url'),
    thumbprint: createHash('sha1').update(cert.raw).digest('hex').toUpperCase(),
    subject: cert.subject.replace(/\n/g, ', '),
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
  };
}

const b64url = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Assertions live 10 minutes (Microsoft: keep exp 5 to 10 minutes after nbf). */
export const ASSERTION_LIFETIME_SECONDS = 600;

/**
 * A client assertion for `clientId` toward the token endpoint `audience`. The header carries x5t#S256 (what the
 * current Microsoft page asks for with PS256) and x5t (the SHA-1 form older Entra clouds look up the key by).
 */
export function clientAssertion(cert: ClientCertificate, clientId: string, audience: string, nowMs = Date.now()): string {
  const now = Math.floor(nowMs / 1000);
  const header = { alg: 'PS256', typ: 'JWT', 'x5t#S256': cert.x5tS256, x5t: cert.x5t };
  const claims = { aud: audience, iss: clientId, sub: clientId, jti: randomUUID(), nbf: now, iat: now, exp: now + ASSERTION_LIFETIME_SECONDS };
  const input = `${b64url(header)}.${b64url(claims)}`;
  const signature = sign('sha256', Buffer.from(input), {
    key: cert.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
  });
  return `${input}.${signature.toString('base64url')}`;
}
