// React hook: resolves the configuration (manifest, then environment variables) once per settings
// change and keeps one client, so the token cache survives re-renders.
import * as React from 'react';
import type { BridgeClient } from './bridge-client';
import { createBridgeClient } from './bridge-setup';
import type { LoadDependency } from './token/msal-token-provider';
import { readEnvironmentVariables, resolveConfig, type ConfigInput, type ConfigProblem } from './config';

export type BridgeState =
  | { status: 'configuring' }
  | { status: 'problem'; problem: ConfigProblem; detail?: string }
  | { status: 'ready'; client: BridgeClient };

export type ClientFactory = (config: Parameters<typeof createBridgeClient>[0], userName: string, loadDependency?: LoadDependency) => BridgeClient;

/** loadDependency: the host's context.utils.loadDependency, read when the first token is needed (it may change identity per render). */
export function useBridge(settings: ConfigInput, webAPI: ComponentFramework.WebApi, userName: string, factory: ClientFactory = createBridgeClient, loadDependency?: LoadDependency): BridgeState {
  const [state, setState] = React.useState<BridgeState>({ status: 'configuring' });
  const loader = React.useRef(loadDependency);
  loader.current = loadDependency;
  // One function for the client's lifetime, calling the host's latest loadDependency.
  const [loadLatest] = React.useState(() => (name: string): Promise<unknown> =>
    loader.current ? loader.current(name) : Promise.reject(new Error('this host cannot load control dependencies (context.utils.loadDependency)')));
  const key = JSON.stringify(settings);
  React.useEffect(() => {
    let cancelled = false;
    const input = JSON.parse(key) as ConfigInput;
    const finish = (env: Record<string, string | undefined>) => {
      if (cancelled) return;
      const result = resolveConfig(input, env);
      setState(result.ok ? { status: 'ready', client: factory(result.config, userName, loadLatest) } : { status: 'problem', problem: result.problem, detail: result.detail });
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
  }, [key, webAPI, userName, factory, loadLatest]);
  return state;
}
