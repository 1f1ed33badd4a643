// Builds the bridge client from the resolved configuration: MSAL on a Dynamics org (loaded on demand from the
// MsalLibrary control, see token/msal-token-provider.ts), the hosting page's tokens on the local preview
// (see token/host-token-provider.ts).
import { BridgeClient } from './bridge-client';
import type { BridgeConfig } from './config';
import { HostTokenProvider, hostTokenSource } from './token/host-token-provider';
import { MsalTokenProvider, loadMsalLibrary, type LoadDependency } from './token/msal-token-provider';
import type { TokenProvider } from './token/token-provider';

/** loadDependency: the host's context.utils.loadDependency (absent on hosts without dependent libraries). */
export function createTokenProvider(config: BridgeConfig, userName: string, loadDependency?: LoadDependency): TokenProvider {
  const host = hostTokenSource();
  if (host) return new HostTokenProvider(host, config.scope, userName);
  return new MsalTokenProvider(
    { clientId: config.clientId, authority: config.authority, scope: config.scope, loginHint: userName },
    () => loadMsalLibrary(loadDependency),
  );
}

export function createBridgeClient(config: BridgeConfig, userName: string, loadDependency?: LoadDependency): BridgeClient {
  return new BridgeClient(config.bridgeUrl, createTokenProvider(config, userName, loadDependency));
}
