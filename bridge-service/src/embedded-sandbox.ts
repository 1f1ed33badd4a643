// `npm start` with no real F&O/Dataverse: start the sandbox in this process and point the bridge at it.
import { TENANT_ID, BRIDGE_API, BRIDGE_CLIENT } from '../../sandbox/src/identity/principals';

export interface SandboxHandle {
  urls: { fno: string; dataverse: string; issuer: string; tokenEndpoint: string };
  close(): Promise<void>;
}

/** Environment values that configure the bridge against a running sandbox. */
export function sandboxEnv(urls: SandboxHandle['urls']): Record<string, string> {
  const base = new URL(urls.issuer).origin;
  return {
    FNO_URL: new URL(urls.fno).origin,
    DATAVERSE_URL: new URL(urls.dataverse).origin,
    AUTH_ISSUERS: `${base}/${TENANT_ID}/v2.0,${base}/${TENANT_ID}/`,
    AUTH_TENANT_IDS: TENANT_ID,
    AUTH_AUDIENCES: `${BRIDGE_API.clientId},${BRIDGE_API.appIdUri}`,
    AUTH_DISCOVERY_URL: `${base}/${TENANT_ID}/v2.0/.well-known/openid-configuration`,
    CLIENT_ID: BRIDGE_CLIENT.clientId,
    CLIENT_SECRET: BRIDGE_CLIENT.clientSecret,
    TOKEN_URL: urls.tokenEndpoint,
  };
}

export async function startEmbeddedSandbox(opts: { quiet?: boolean } = {}): Promise<SandboxHandle> {
  // A variable specifier: the sandbox is an optional runtime companion, not a compile-time dependency.
  const spec = '@finops-bridge/sandbox';
  const mod = (await import(spec)) as { startSandbox: (o?: { quiet?: boolean }) => Promise<SandboxHandle> };
  return mod.startSandbox({ quiet: opts.quiet ?? true });
}
