// Builds the bridge client from the resolved configuration: the token provider depends on the host.
import { BridgeClient } from './bridge-client';
import type { BridgeConfig } from './config';
import { MsalTokenProvider } from './token/msal-token-provider';
import { SandboxTokenProvider } from './token/sandbox-token-provider';
import type { TokenProvider } from './token/token-provider';

/** The demo users of the sandbox issuer all share this password; the issuer only listens on loopback. */
const SANDBOX_PASSWORD = 'demo';

export function createTokenProvider(config: BridgeConfig, userName: string): TokenProvider {
  if (config.sandboxIssuer) {
    return new SandboxTokenProvider({
      issuer: config.sandboxIssuer,
      clientId: config.clientId,
      username: userName,
      password: SANDBOX_PASSWORD,
      scope: config.scope,
    });
  }
  return new MsalTokenProvider({ clientId: config.clientId, authority: config.authority, scope: config.scope, loginHint: userName });
}

export function createBridgeClient(config: BridgeConfig, userName: string): BridgeClient {
  return new BridgeClient(config.bridgeUrl, createTokenProvider(config, userName));
}
