// What every command needs from the environment: the bridge configuration (the bridge's own loader; with
// neither FNO_URL nor DATAVERSE_URL set, the sandbox on its default addresses, as `npm start` uses it),
// the bridge's public URL, the webhook secret and the maps this deployment runs.
import { loadConfig, type BridgeConfig } from '../config';
import { sandboxEnv } from '../embedded-sandbox';
import { loadEngineSettings } from '../engine/config';
import { SHIPPED_MAPS } from '../sync/maps/shipped/index';
import type { TableMap } from '../sync/maps/types';
import { sandboxAddresses } from '../../../sandbox/src/config';
import { TENANT_ID } from '../../../sandbox/src/identity/principals';

export interface CliContext {
  config: BridgeConfig;
  /** True when the configuration names no F&O/Dataverse: the local sandbox is the target. */
  sandbox: boolean;
  /** Where Dataverse and F&O reach the bridge (BRIDGE_PUBLIC_URL, else BRIDGE_URL, else HOST:PORT). */
  bridgeUrl: string;
  webhookSecret?: string;
  maps: readonly TableMap[];
}

export function sandboxDefaults(env: NodeJS.ProcessEnv): Record<string, string> {
  const a = sandboxAddresses(env);
  const idp = `http://${a.host}:${a.identityPort}`;
  return sandboxEnv({
    fno: `http://${a.host}:${a.fnoPort}`, dataverse: `http://${a.host}:${a.dataversePort}`, issuer: `${idp}/${TENANT_ID}/v2.0`,
    tokenEndpoint: `${idp}/${TENANT_ID}/oauth2/v2.0/token`, dataverseApi: '', jwks: '',
  });
}

/** Throws ConfigError (from the bridge's loader) or Error with a message naming the variable. */
export function loadCliContext(env: NodeJS.ProcessEnv): CliContext {
  let config = loadConfig(env);
  const sandbox = config.embeddedSandbox;
  if (sandbox) config = loadConfig({ ...env, ...sandboxDefaults(env) });
  const settings = loadEngineSettings(env);
  const maps = settings.maps === 'all' ? SHIPPED_MAPS : SHIPPED_MAPS.filter((m) => (settings.maps as string[]).includes(m.name));
  const unknown = settings.maps === 'all' ? [] : settings.maps.filter((n) => !SHIPPED_MAPS.some((m) => m.name === n));
  if (unknown.length) throw new Error(`SYNC_MAPS names unknown maps: ${unknown.join(', ')}. Known: ${SHIPPED_MAPS.map((m) => m.name).join(', ')}.`);
  const bridgeUrl = (settings.publicUrl ?? env.BRIDGE_URL ?? `http://${config.host}:${config.port}`).replace(/\/+$/, '');
  return { config, sandbox, bridgeUrl, webhookSecret: config.webhookSecret, maps };
}
