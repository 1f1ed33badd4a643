// Self-signed X.509 certificates for the sandbox and the tests: an RSA key and a certificate (DER written by hand,
// since Node can read certificates but not make them), so no private key is ever committed and no openssl is
// needed. The same shape an admin uploads to the app registration: PEM with the certificate and its private key.
import { createHash, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';

export interface TestCertificate {
  /** PEM: the certificate only (what is uploaded to the app registration, or registered with the sandbox issuer). */
  certificatePem: string;
  /** PEM: the PKCS#8 private key (unencrypted, or encrypted with `password`). */
  privateKeyPem: string;
  /** Certificate and key in one PEM file, as CLIENT_CERTIFICATE_PATH expects. */
  pem: string;
  /** base64url SHA-1 and SHA-256 of the DER certificate (the x5t and x5t#S256 of an assertion signed with it). */
  x5t: string;
  x5tS256: string;
}

export interface CertificateOptions {
  commonName?: string;
  notBefore?: Date;
  notAfter?: Date;
  /** Encrypts the private key PEM (AES-256-CBC) with this password. */
  password?: string;
  /** An existing key (default: a new 2048-bit RSA key). */
  keyPair?: { privateKey: KeyObject; publicKey: KeyObject };
}

const tlv = (tag: number, content: Buffer): Buffer => {
  const n = content.length;
  const len = n < 0x80 ? Buffer.from([n]) : (() => {
    const bytes: number[] = [];
    for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
    return Buffer.from([0x80 | bytes.length, ...bytes]);
  })();
  return Buffer.concat([Buffer.from([tag]), len, content]);
};
const seq = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));
const hex = (h: string): Buffer => Buffer.from(h.replace(/\s/g, ''), 'hex');

/** AlgorithmIdentifier sha256WithRSAEncryption (1.2.840.113549.1.1.11) with NULL parameters. */
const SHA256_WITH_RSA = seq(hex('06 09 2a 86 48 86 f7 0d 01 01 0b'), hex('05 00'));

function name(cn: string): Buffer {
  // Name ::= SEQUENCE OF SET OF AttributeTypeAndValue; commonName is 2.5.4.3.
  return seq(tlv(0x31, seq(hex('06 03 55 04 03'), tlv(0x0c, Buffer.from(cn, 'utf8')))));
}

function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  // UTCTime (YYMMDDHHMMSSZ) up to 2049, GeneralizedTime after, as RFC 5280 requires.
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}

export function createTestCertificate(opts: CertificateOptions = {}): TestCertificate {
  const { privateKey, publicKey } = opts.keyPair ?? generateKeyPairSync('rsa', { modulusLength: 2048 });
  const notBefore = opts.notBefore ?? new Date(Date.now() - 60_000);
  const notAfter = opts.notAfter ?? new Date(Date.now() + 365 * 86_400_000);
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x40; // positive, and no leading zero byte (DER wants the shortest form)
  const subject = name(opts.commonName ?? 'FinOps Bridge sandbox');
  const tbs = seq(
    hex('a0 03 02 01 02'), // [0] EXPLICIT version v3
    tlv(0x02, serial),
    SHA256_WITH_RSA,
    subject,
    seq(time(notBefore), time(notAfter)),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, SHA256_WITH_RSA, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const certificatePem = new X509Certificate(der).toString();
  const privateKeyPem = (opts.password
    ? privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: opts.password })
    : privateKey.export({ type: 'pkcs8', format: 'pem' })) as string;
  return {
    certificatePem, privateKeyPem, pem: `${certificatePem.trim()}\n${privateKeyPem.trim()}\n`,
    x5t: createHash('sha1').update(der).digest('base64url'),
    x5tS256: createHash('sha256').update(der).digest('base64url'),
  };
}
