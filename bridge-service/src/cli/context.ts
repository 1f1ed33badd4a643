// What every command needs from the environment: the bridge configuration (the bridge's own loader, so the
// CLI and the server read the same variables), the bridge's public URL, the webhook secret and the maps this
// deployment runs.
import { loadConfig, loadEngineSettings, type BridgeConfig } from '../config';
import { SHIPPED_MAPS } from '../sync/core/maps/shipped/index';
import type { TableMap } from '../sync/core/maps/types';
import { mapsWithFile } from '../sync/runtime/maps-file';

export interface CliContext {
  config: BridgeConfig;
  /** Where Dataverse and F&O reach the bridge (BRIDGE_PUBLIC_URL, else BRIDGE_URL, else HOST:PORT). */
  bridgeUrl: string;
  webhookSecret?: string;
  maps: readonly TableMap[];
}

/** Throws ConfigError (from the bridge's loader) or Error with a message naming the variable. */
export function loadCliContext(env: NodeJS.ProcessEnv): CliContext {
  const config = loadConfig(env);
  const settings = loadEngineSettings(env);
  const all = mapsWithFile(settings.mapsFile);
  const maps = settings.maps === 'all' ? all : all.filter((m) => (settings.maps as string[]).includes(m.name));
  const unknown = settings.maps === 'all' ? [] : settings.maps.filter((n) => !SHIPPED_MAPS.some((m) => m.name === n));
  if (unknown.length) throw new Error(`SYNC_MAPS names unknown maps: ${unknown.join(', ')}. Known: ${SHIPPED_MAPS.map((m) => m.name).join(', ')}.`);
  const bridgeUrl = (settings.publicUrl ?? env.BRIDGE_URL ?? `http://${config.host}:${config.port}`).replace(/\/+$/, '');
  return { config, bridgeUrl, webhookSecret: config.webhookSecret, maps };
}
