// The bridge's configuration for a running sandbox: the same environment variables a real installation sets
// (FNO_URL, DATAVERSE_URL, issuer, client id and secret), with the sandbox's values. The sandbox composes the
// product this way; the product knows nothing of the sandbox.
import { TENANT_ID, BRIDGE_API, BRIDGE_CLIENT, EXTRA_BRIDGE_CLIENTS } from '../identity/principals';
import { sandboxAddresses } from '../config';

export interface SandboxUrls { fno: string; dataverse: string; issuer: string; tokenEndpoint: string }

/**
 * Environment values that configure the bridge against a running sandbox. `extraUsers`: how many of the sandbox's
 * extra application users (EXTRA_BRIDGE_CLIENTS) the bridge spreads its bulk writes over besides its own (default none).
 */
export function sandboxEnv(urls: SandboxUrls, o: { extraUsers?: number } = {}): Record<string, string> {
  const base = new URL(urls.issuer).origin;
  const extra = EXTRA_BRIDGE_CLIENTS.slice(0, o.extraUsers ?? 0);
  return {
    FNO_URL: new URL(urls.fno).origin,
    DATAVERSE_URL: new URL(urls.dataverse).origin,
    // v2 and v1 issuers of the sandbox tenant (v1 ends with a slash, as Entra's sts.windows.net does).
    AUTH_ISSUERS: `${base}/${TENANT_ID}/v2.0,${base}/${TENANT_ID}/`,
    AUTH_TENANT_IDS: TENANT_ID,
    AUTH_AUDIENCES: `${BRIDGE_API.clientId},${BRIDGE_API.appIdUri}`,
    AUTH_DISCOVERY_URL: `${base}/${TENANT_ID}/v2.0/.well-known/openid-configuration`,
    CLIENT_ID: BRIDGE_CLIENT.clientId,
    CLIENT_SECRET: BRIDGE_CLIENT.clientSecret,
    TOKEN_URL: urls.tokenEndpoint,
    ...(extra.length ? { EXTRA_CLIENT_IDS: extra.map((c) => c.clientId).join(','), EXTRA_CLIENT_SECRETS: extra.map((c) => c.clientSecret).join(',') } : {}),
  };
}

/** The sandbox's URLs on its configured addresses (SANDBOX_HOST, SANDBOX_*_PORT), whether or not it runs. */
export function sandboxUrlsFor(env: NodeJS.ProcessEnv = process.env): SandboxUrls {
  const a = sandboxAddresses(env);
  const idp = `http://${a.host}:${a.identityPort}`;
  return {
    fno: `http://${a.host}:${a.fnoPort}`, dataverse: `http://${a.host}:${a.dataversePort}`,
    issuer: `${idp}/${TENANT_ID}/v2.0`, tokenEndpoint: `${idp}/${TENANT_ID}/oauth2/v2.0/token`,
  };
}
