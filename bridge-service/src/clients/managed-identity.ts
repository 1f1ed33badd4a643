// Tokens from an Azure managed identity, by the two REST protocols Microsoft documents:
// - App Service, Azure Functions and Container Apps: GET {IDENTITY_ENDPOINT}?resource=..&api-version=2019-08-01
//   with the header X-IDENTITY-HEADER: {IDENTITY_HEADER}; a user-assigned identity is chosen with client_id.
// - Azure VMs and scale sets (IMDS): GET http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01
//   &resource=.. with the header Metadata: true; client_id likewise. IMDS is never reached through a proxy.
// Both answer {access_token, expires_on (epoch seconds), ...}; IMDS adds expires_in. 404, 410, 429 and 5xx are
// retried with growing waits (IMDS's guidance); any other answer is final.
import { request as undiciRequest, type Dispatcher } from 'undici';

export const IMDS_HOST = 'http://169.254.169.254';
const IMDS_PATH = '/metadata/identity/oauth2/token';

export type ManagedIdentitySource =
  | { kind: 'app-service'; endpoint: string; header: string }
  | { kind: 'imds'; endpoint: string };

/** The source Azure's environment points at: IDENTITY_ENDPOINT + IDENTITY_HEADER, else IMDS (at `imdsHost`). */
export function managedIdentitySource(env: { IDENTITY_ENDPOINT?: string; IDENTITY_HEADER?: string; imdsHost?: string }): ManagedIdentitySource {
  if (env.IDENTITY_ENDPOINT && env.IDENTITY_HEADER) return { kind: 'app-service', endpoint: env.IDENTITY_ENDPOINT, header: env.IDENTITY_HEADER };
  return { kind: 'imds', endpoint: `${(env.imdsHost ?? IMDS_HOST).replace(/\/+$/, '')}${IMDS_PATH}` };
}

export function describeSource(s: ManagedIdentitySource): string {
  return s.kind === 'app-service' ? `the App Service / Container Apps identity endpoint ${s.endpoint}` : `the Azure instance metadata service (IMDS) at ${new URL(s.endpoint).origin}`;
}

export interface ManagedIdentityRequest {
  source: ManagedIdentitySource;
  resource: string;
  /** Client id of a user-assigned identity; unset: the system-assigned identity. */
  clientId?: string;
  dispatcher?: Dispatcher;
  timeoutMs?: number;
  /** Waits before each retry of a 404/410/429/5xx answer (default 1 s, 2 s, 4 s). */
  retryDelaysMs?: number[];
  now?: () => number;
}

export interface ManagedIdentityToken { token: string; expiresAt: number }

const RETRIED = (status: number) => status === 404 || status === 410 || status === 429 || status >= 500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Throws Error with a one-line reason; the caller wraps it as a TokenError. */
export async function fetchManagedIdentityToken(req: ManagedIdentityRequest): Promise<ManagedIdentityToken> {
  const { source } = req;
  const url = new URL(source.endpoint);
  url.searchParams.set('api-version', source.kind === 'app-service' ? '2019-08-01' : '2018-02-01');
  url.searchParams.set('resource', req.resource);
  if (req.clientId) url.searchParams.set('client_id', req.clientId);
  const headers: Record<string, string> = source.kind === 'app-service' ? { 'x-identity-header': source.header } : { metadata: 'true' };
  const delays = req.retryDelaysMs ?? [1000, 2000, 4000];
  const now = req.now ?? Date.now;
  for (let attempt = 0; ; attempt++) {
    let res: Dispatcher.ResponseData;
    try {
      res = await undiciRequest(url, {
        method: 'GET', headers: { ...headers, accept: 'application/json' }, dispatcher: req.dispatcher,
        signal: AbortSignal.timeout(req.timeoutMs ?? 15_000),
      });
    } catch (err) {
      throw new Error(`managed identity endpoint unreachable (${describeSource(source)}): ${(err as Error).message}. Is the bridge running on Azure with a managed identity turned on?`);
    }
    const text = await res.body.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      /* not JSON: reported below */
    }
    if (res.statusCode === 200 && typeof body.access_token === 'string') {
      const on = Number(body.expires_on);
      const inSeconds = Number(body.expires_in);
      const expiresAt = Number.isFinite(on) && on > 0 ? on * 1000 : now() + (Number.isFinite(inSeconds) ? inSeconds : 3599) * 1000;
      return { token: body.access_token, expiresAt };
    }
    if (RETRIED(res.statusCode) && attempt < delays.length) {
      await sleep(delays[attempt]);
      continue;
    }
    const why = [body.error_description, body.message, body.error].find((v): v is string => typeof v === 'string');
    throw new Error(`managed identity refused (${describeSource(source)}, HTTP ${res.statusCode}): ${(why ?? text.slice(0, 200)).split('\n')[0]}`);
  }
}
