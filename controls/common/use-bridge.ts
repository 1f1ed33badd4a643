// React hook: resolves the configuration (manifest, then environment variables) once per settings
// change and keeps one client, so the token cache survives re-renders.
import * as React from 'react';
import type { BridgeClient } from './bridge-client';
import { createBridgeClient } from './bridge-setup';
import { readEnvironmentVariables, resolveConfig, type ConfigInput, type ConfigProblem } from './config';

export type BridgeState =
  | { status: 'configuring' }
  | { status: 'problem'; problem: ConfigProblem; detail?: string }
  | { status: 'ready'; client: BridgeClient };

export type ClientFactory = (config: Parameters<typeof createBridgeClient>[0], userName: string) => BridgeClient;

export function useBridge(settings: ConfigInput, webAPI: ComponentFramework.WebApi, userName: string, factory: ClientFactory = createBridgeClient): BridgeState {
  const [state, setState] = React.useState<BridgeState>({ status: 'configuring' });
  const key = JSON.stringify(settings);
  React.useEffect(() => {
    let cancelled = false;
    const input = JSON.parse(key) as ConfigInput;
    const finish = (env: Record<string, string | undefined>) => {
      if (cancelled) return;
      const result = resolveConfig(input, env);
      setState(result.ok ? { status: 'ready', client: factory(result.config, userName) } : { status: 'problem', problem: result.problem, detail: result.detail });
    };
    // Manifest values alone may be enough; only ask Dataverse when something is missing.
    const local = resolveConfig(input, {});
    if (local.ok) {
      finish({});
    } else {
      readEnvironmentVariables(webAPI).then(finish, (e: Error) => {
        if (!cancelled) setState({ status: 'problem', problem: 'lookup_failed', detail: e.message });
      });
    }
    return () => {
      cancelled = true;
    };
  }, [key, webAPI, userName, factory]);
  return state;
}
