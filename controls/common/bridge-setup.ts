// Builds the bridge client from the resolved configuration: MSAL on a Dynamics org, the hosting page's
// tokens on the local preview (see token/host-token-provider.ts).
import { BridgeClient } from './bridge-client';
import type { BridgeConfig } from './config';
import { HostTokenProvider, hostTokenSource } from './token/host-token-provider';
import { MsalTokenProvider } from './token/msal-token-provider';
import type { TokenProvider } from './token/token-provider';

export function createTokenProvider(config: BridgeConfig, userName: string): TokenProvider {
  const host = hostTokenSource();
  if (host) return new HostTokenProvider(host, config.scope, userName);
  return new MsalTokenProvider({ clientId: config.clientId, authority: config.authority, scope: config.scope, loginHint: userName });
}

export function createBridgeClient(config: BridgeConfig, userName: string): BridgeClient {
  return new BridgeClient(config.bridgeUrl, createTokenProvider(config, userName));
}
