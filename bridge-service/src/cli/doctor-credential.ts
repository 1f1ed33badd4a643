// `doctor` on the bridge's own credential: which one is in use, how long a certificate still has, and what to do
// when no token can be had with it.
import { decodeJwt } from 'jose';
import type { OutboundCredential } from '../clients/credentials';
import { describeCredential } from '../clients/credentials';
import { isCredentialRefusal, type Check } from './doctor-checks';

const DAY = 86_400_000;
/** A certificate this close to its end is reported as a warning: uploading and rolling out a new one takes time. */
export const CERTIFICATE_WARN_DAYS = 30;

export function credentialCheck(c: OutboundCredential, now = Date.now()): Check {
  const detail = describeCredential(c);
  if (c.kind === 'certificate') {
    const days = Math.floor((c.certificate.notAfter.getTime() - now) / DAY);
    if (days < CERTIFICATE_WARN_DAYS) {
      return { name: 'credential', status: 'warn', detail: `${detail}: expires in ${days} days`,
        fix: 'upload a new certificate to the app registration (Certificates & secrets > Certificates), point CLIENT_CERTIFICATE_PATH at it and restart the bridge, then remove the old one' };
    }
  }
  return { name: 'credential', status: 'ok', detail };
}

/** The app id (appid in v1, azp in v2) of an access token, read without verifying it: for messages only. */
export function tokenAppId(token: string | undefined): string | undefined {
  if (!token) return undefined;
  try {
    const c = decodeJwt(token);
    const id = c.appid ?? c.azp;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** How fix messages name the bridge's principal: its client id, else the app id its token carries. */
export function principalName(c: OutboundCredential, token: string | undefined): string {
  return c.clientId ?? tokenAppId(token) ?? 'of the system-assigned managed identity (its application id: Entra admin center > Enterprise applications, type Managed identities)';
}

export function tokenFix(c: OutboundCredential, message: string): string {
  if (c.kind === 'managed-identity') {
    if (/unreachable/.test(message)) {
      return c.source.kind === 'imds'
        ? 'no managed identity answers here: on an Azure VM turn on its identity (Identity > System assigned, or add a user-assigned one); on App Service or Container Apps turn on the identity there, which sets IDENTITY_ENDPOINT and IDENTITY_HEADER. Outside Azure use a certificate instead (CLIENT_CERTIFICATE_PATH)'
        : 'the identity endpoint does not answer: restart the app (App Service and Container Apps set IDENTITY_ENDPOINT and IDENTITY_HEADER at start) and check that its identity is on';
    }
    return c.clientId
      ? `no identity with client id ${c.clientId} is assigned to this resource: assign that user-assigned identity (Identity > User assigned) or correct CLIENT_ID (leave it unset for the system-assigned identity)`
      : 'the system-assigned identity is off or not yet ready: turn it on (Identity > System assigned > On), or set CLIENT_ID to the client id of the user-assigned identity to use';
  }
  if (/unreachable/.test(message)) return `make ${new URL(c.tokenUrl).origin} reachable from this machine, or correct TOKEN_URL`;
  if (c.kind === 'certificate') {
    if (/AADSTS700024|valid time range/i.test(message)) return 'Entra finds the assertion outside its time range: set this machine\'s clock right (NTP)';
    if (/AADSTS700027|AADSTS700021|AADSTS700023|signature|assertion|certificate|invalid_client/i.test(message)) {
      return `the certificate ${c.certificate.thumbprint} is not registered on app ${c.clientId}: upload its public part (the certificate without the key) under Entra admin center > App registrations > the bridge's app > Certificates & secrets > Certificates, and check that the thumbprint shown there is ${c.certificate.thumbprint}; check also CLIENT_ID and the tenant id in TOKEN_URL`;
    }
    return 'check CLIENT_ID, CLIENT_CERTIFICATE_PATH and TOKEN_URL (the tenant id in it) against the app registration';
  }
  return isCredentialRefusal(message)
    ? 'CLIENT_SECRET is wrong or expired: create a new secret (Entra admin center > App registrations > the bridge\'s service principal > Certificates & secrets) and set CLIENT_SECRET'
    : 'check CLIENT_ID, CLIENT_SECRET and TOKEN_URL (the tenant id in it) against the app registration';
}
