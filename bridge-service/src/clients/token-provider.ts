// Client-credentials tokens for downstream resources (F&O, Dataverse): cached per resource, refreshed a
// margin before expiry, one request in flight per resource however many callers ask at once.
import { request as undiciRequest, type Dispatcher } from 'undici';

export interface TokenProviderOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Refresh this long before expiry. */
  marginSeconds?: number;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  now?: () => number;
}

export interface TokenProvider {
  /** A bearer token for `resource` (e.g. https://contoso.operations.dynamics.com). `fresh` skips the cache. */
  getToken(resource: string, fresh?: boolean): Promise<string>;
}

export class TokenError extends Error {
  constructor(readonly resource: string, message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

interface Cached { token: string; expiresAt: number }

export function createTokenProvider(opts: TokenProviderOptions): TokenProvider {
  const cache = new Map<string, Cached>();
  const inflight = new Map<string, Promise<string>>();
  const now = opts.now ?? Date.now;
  const margin = (opts.marginSeconds ?? 300) * 1000;

  async function fetchToken(resource: string): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: opts.clientId,
      client_secret: opts.clientSecret,
      scope: `${resource.replace(/\/+$/, '')}/.default`,
    });
    let res: Dispatcher.ResponseData;
    try {
      res = await undiciRequest(opts.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        dispatcher: opts.dispatcher,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
      });
    } catch (err) {
      throw new TokenError(resource, `token endpoint unreachable: ${(err as Error).message}`);
    }
    const text = await res.body.text();
    let body: { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      /* not JSON: reported below */
    }
    if (res.statusCode !== 200 || typeof body.access_token !== 'string') {
      // error_description never contains the secret; the request body is never logged.
      const why = typeof body.error_description === 'string' ? body.error_description : typeof body.error === 'string' ? body.error : `HTTP ${res.statusCode}`;
      throw new TokenError(resource, `token request failed: ${why.split('\n')[0]}`);
    }
    const expiresIn = Number(body.expires_in ?? 3599);
    cache.set(resource, { token: body.access_token, expiresAt: now() + (Number.isFinite(expiresIn) ? expiresIn : 3599) * 1000 });
    return body.access_token;
  }

  return {
    getToken(resource, fresh = false) {
      const hit = cache.get(resource);
      if (!fresh && hit && hit.expiresAt - margin > now()) return Promise.resolve(hit.token);
      const running = inflight.get(resource);
      if (running) return running;
      const p = fetchToken(resource).finally(() => inflight.delete(resource));
      inflight.set(resource, p);
      return p;
    },
  };
}
