// Tokens for downstream resources (F&O, Dataverse) from the bridge's credential: a client secret or a certificate
// (client credentials at the Entra token endpoint) or a managed identity (the Azure host's identity endpoint).
// Cached per resource, refreshed a margin before expiry, one request in flight per resource however many callers
// ask at once.
import { request as undiciRequest, type Dispatcher } from 'undici';
import { clientAssertion } from './certificate';
import { describeCredential, type OutboundCredential } from './credentials';
import { fetchManagedIdentityToken } from './managed-identity';

export type { OutboundCredential } from './credentials';

interface CommonOptions {
  /** Refresh this long before expiry. */
  marginSeconds?: number;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  now?: () => number;
  /** Managed identity only: waits before retrying a 404/410/429/5xx answer. */
  retryDelaysMs?: number[];
}

export type TokenProviderOptions = CommonOptions & (
  | { credential: OutboundCredential }
  /** The client-secret form, as before the credential choice existed. */
  | { tokenUrl: string; clientId: string; clientSecret: string }
);

export interface TokenProvider {
  /** A bearer token for `resource` (e.g. https://contoso.operations.dynamics.com). `fresh` skips the cache. */
  getToken(resource: string, fresh?: boolean): Promise<string>;
  /** Which credential the tokens come from (no secret in it). */
  readonly description: string;
}

export class TokenError extends Error {
  constructor(readonly resource: string, message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

interface Cached { token: string; expiresAt: number }

const credentialOf = (o: TokenProviderOptions): OutboundCredential =>
  'credential' in o ? o.credential : { kind: 'secret', clientId: o.clientId, tokenUrl: o.tokenUrl, clientSecret: o.clientSecret };

export function createTokenProvider(opts: TokenProviderOptions): TokenProvider {
  const credential = credentialOf(opts);
  const cache = new Map<string, Cached>();
  const inflight = new Map<string, Promise<string>>();
  const now = opts.now ?? Date.now;
  const margin = (opts.marginSeconds ?? 300) * 1000;

  /** Client credentials at the token endpoint, authenticated by the secret or by a certificate-signed assertion. */
  async function fromTokenEndpoint(c: Exclude<OutboundCredential, { kind: 'managed-identity' }>, resource: string): Promise<Cached> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: c.clientId, scope: `${resource.replace(/\/+$/, '')}/.default` });
    if (c.kind === 'secret') {
      form.set('client_secret', c.clientSecret);
    } else {
      form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      form.set('client_assertion', clientAssertion(c.certificate, c.clientId, c.tokenUrl, now()));
    }
    let res: Dispatcher.ResponseData;
    try {
      res = await undiciRequest(c.tokenUrl, {
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
      // error_description never contains the secret or the assertion; the request body is never logged.
      const why = typeof body.error_description === 'string' ? body.error_description : typeof body.error === 'string' ? body.error : `HTTP ${res.statusCode}`;
      throw new TokenError(resource, `token request failed: ${why.split('\n')[0]}`);
    }
    const expiresIn = Number(body.expires_in ?? 3599);
    return { token: body.access_token, expiresAt: now() + (Number.isFinite(expiresIn) ? expiresIn : 3599) * 1000 };
  }

  async function fetchToken(resource: string): Promise<string> {
    let got: Cached;
    if (credential.kind === 'managed-identity') {
      try {
        got = await fetchManagedIdentityToken({
          source: credential.source, resource, clientId: credential.clientId, dispatcher: opts.dispatcher,
          timeoutMs: opts.timeoutMs, retryDelaysMs: opts.retryDelaysMs, now,
        });
      } catch (err) {
        throw new TokenError(resource, (err as Error).message);
      }
    } else {
      got = await fromTokenEndpoint(credential, resource);
    }
    cache.set(resource, got);
    return got.token;
  }

  return {
    description: describeCredential(credential),
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
