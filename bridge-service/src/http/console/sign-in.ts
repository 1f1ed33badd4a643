// How the admin console signs in, read from the bridge's own AUTH_* settings: the console signs in with the bridge
// API's registration (its client id is the audience that is a GUID), at the tenant's v2 authority, for the API's
// user_impersonation scope. Nothing new to configure; the registration needs the console's address as a
// single-page-application redirect URI (docs/admin-guide.md, section 9).
import type { BridgeConfig } from '../../config';

export interface ConsoleSignIn {
  clientId: string | null;
  /** e.g. https://login.microsoftonline.com/<tenant> */
  authority: string;
  scope: string | null;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Pure: the console's MSAL settings from the bridge's token settings. */
export function consoleSignIn(auth: Pick<BridgeConfig['auth'], 'issuers' | 'tenantIds' | 'audiences'>): ConsoleSignIn {
  const clientId = auth.audiences.find((a) => GUID.test(a)) ?? null;
  const v2 = auth.issuers.find((i) => /\/v2\.0\/?$/.test(i));
  const authority = v2 ? v2.replace(/\/v2\.0\/?$/, '') : `https://login.microsoftonline.com/${auth.tenantIds[0] ?? 'organizations'}`;
  const appIdUri = auth.audiences.find((a) => /^api:\/\//i.test(a));
  const scope = appIdUri ? `${appIdUri.replace(/\/+$/, '')}/user_impersonation` : clientId ? `${clientId}/.default` : null;
  return { clientId, authority, scope };
}

/** The origins the console page may call besides its own: the sign-in authority and the token issuer. */
export function signInOrigins(auth: Pick<BridgeConfig['auth'], 'issuers' | 'tenantIds' | 'audiences' | 'discoveryUrl'>): string[] {
  const origins = new Set<string>();
  for (const u of [consoleSignIn(auth).authority, auth.discoveryUrl]) {
    try {
      origins.add(new URL(u).origin);
    } catch { /* not a URL: nothing to allow */ }
  }
  return [...origins];
}
