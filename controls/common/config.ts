// Where the bridge is and how to get a token for it: manifest properties first, then Dataverse
// environment variables. A wrong configuration becomes a problem to show, never an exception.
import { ENVIRONMENT_VARIABLES } from './manifest-properties';

export interface ConfigInput {
  bridgeUrl?: string | null;
  bridgeAppId?: string | null;
  bridgeScope?: string | null;
  clientAppId?: string | null;
  tenantId?: string | null;
}

export interface BridgeConfig {
  bridgeUrl: string;
  scope: string;
  /** MSAL: the public client that asks for the token, and the tenant (or "organizations"). */
  clientId: string;
  authority: string;
}

export type ConfigProblem = 'missing_url' | 'invalid_url' | 'missing_app' | 'lookup_failed';
export type ConfigResult = { ok: true; config: BridgeConfig } | { ok: false; problem: ConfigProblem; detail?: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function clean(v: string | null | undefined): string {
  return (v ?? '').trim();
}

export function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

/** Pure: merges manifest values over environment variable values and checks them. */
export function resolveConfig(props: ConfigInput, env: Record<string, string | undefined>): ConfigResult {
  const rawUrl = clean(props.bridgeUrl) || clean(env[ENVIRONMENT_VARIABLES.bridgeUrl]);
  if (!rawUrl) return { ok: false, problem: 'missing_url' };
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, problem: 'invalid_url', detail: rawUrl };
  }
  // Tokens go to this address: plain http only on the developer's own machine.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) {
    return { ok: false, problem: 'invalid_url', detail: rawUrl };
  }
  const appId = clean(props.bridgeAppId) || clean(env[ENVIRONMENT_VARIABLES.bridgeAppId]);
  const scope = clean(props.bridgeScope) || clean(env[ENVIRONMENT_VARIABLES.bridgeScope]) || (appId ? `api://${appId}/user_impersonation` : '');
  if (!scope) return { ok: false, problem: 'missing_app' };
  const clientId = clean(props.clientAppId) || appId;
  if (!GUID.test(clientId)) return { ok: false, problem: 'missing_app', detail: clientId };

  const tenant = clean(props.tenantId) || 'organizations';
  return {
    ok: true,
    config: {
      bridgeUrl: rawUrl.replace(/\/+$/, ''),
      scope,
      clientId,
      authority: `https://login.microsoftonline.com/${tenant}`,
    },
  };
}

interface EnvVarDefinitionRow {
  schemaname?: string;
  defaultvalue?: string | null;
  environmentvariabledefinition_environmentvariablevalue?: { value?: string | null }[];
}

/** Pure: the current value of an environment variable row (its value row wins over the default). */
export function envVarValue(row: EnvVarDefinitionRow): string | undefined {
  const current = row.environmentvariabledefinition_environmentvariablevalue?.find((v) => clean(v.value) !== '');
  return clean(current?.value) || clean(row.defaultvalue) || undefined;
}

/** Reads fob_BridgeUrl, fob_BridgeAppId and fob_BridgeScope from Dataverse, one query each. */
export async function readEnvironmentVariables(webAPI: ComponentFramework.WebApi): Promise<Record<string, string | undefined>> {
  const names = Object.values(ENVIRONMENT_VARIABLES);
  const values = await Promise.all(
    names.map(async (name) => {
      const result = await webAPI.retrieveMultipleRecords(
        'environmentvariabledefinition',
        `?$filter=schemaname eq '${name}'&$select=defaultvalue&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)`,
      );
      const row = result.entities[0] as EnvVarDefinitionRow | undefined;
      return [name, row ? envVarValue(row) : undefined] as const;
    }),
  );
  return Object.fromEntries(values);
}
