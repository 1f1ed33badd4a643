// `npm start` with no real F&O/Dataverse: start the sandbox in this process and point the bridge at it.
import type { Sandbox } from '@finops-bridge/sandbox';
import { TENANT_ID, BRIDGE_API, BRIDGE_CLIENT } from '../../sandbox/src/identity/principals';
import { sandboxAddresses } from '../../sandbox/src/config';

export type SandboxHandle = Pick<Sandbox, 'urls' | 'close'>;

/** Environment values that configure the bridge against a running sandbox. */
export function sandboxEnv(urls: SandboxHandle['urls']): Record<string, string> {
  const base = new URL(urls.issuer).origin;
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
  };
}

/** Starts the sandbox on its default ports (4001-4003, or SANDBOX_*_PORT). Loaded only when needed. */
export async function startEmbeddedSandbox(env: NodeJS.ProcessEnv = process.env): Promise<Sandbox> {
  const a = sandboxAddresses(env);
  const { startSandbox } = await import('@finops-bridge/sandbox');
  // The controls read the bridge's address from the fob_BridgeUrl environment variable: seed it with ours.
  const bridgeUrl = `http://${env.HOST ?? a.host}:${env.PORT ?? 4000}`;
  return startSandbox({ host: a.host, ports: { fno: a.fnoPort, dataverse: a.dataversePort, identity: a.identityPort }, quiet: true, bridgeUrl });
}
