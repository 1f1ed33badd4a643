// The bridge's own identity toward F&O and Dataverse: one of three credentials, chosen in the configuration.
import type { ClientCertificate } from './certificate';
import { describeSource, type ManagedIdentitySource } from './managed-identity';

export type CredentialKind = 'secret' | 'certificate' | 'managed-identity';

export type OutboundCredential =
  | { kind: 'secret'; clientId: string; tokenUrl: string; clientSecret: string }
  | { kind: 'certificate'; clientId: string; tokenUrl: string; certificate: ClientCertificate; certificatePath?: string }
  /** clientId: a user-assigned identity; unset: the system-assigned identity. */
  | { kind: 'managed-identity'; clientId?: string; source: ManagedIdentitySource };

/** One line for `doctor` and logs; never the secret or the key. */
export function describeCredential(c: OutboundCredential): string {
  switch (c.kind) {
    case 'secret':
      return `client secret of app ${c.clientId}`;
    case 'certificate':
      return `certificate ${c.certificate.subject} (thumbprint ${c.certificate.thumbprint}, valid until ${c.certificate.notAfter.toISOString().slice(0, 10)}) of app ${c.clientId}`;
    case 'managed-identity':
      return `${c.clientId ? `user-assigned managed identity ${c.clientId}` : 'system-assigned managed identity'} through ${describeSource(c.source)}`;
  }
}
