// Outbound HTTP for one downstream service: keep-alive pool with a connection cap (the services allow
// 52 concurrent requests per user; we stay well below) and an adaptive in-flight limit that halves on 429,
// timeouts, retries honouring Retry-After, and a bearer token per attempt. Knows nothing about URL shapes: the service clients do.
import diagnostics from 'node:diagnostics_channel';
import { Pool, type Dispatcher } from 'undici';
import { AdaptiveLimit } from './adaptive-limit';
import { backoffDelay } from './backoff';
import { isRetryableStatus, retryAfterMs } from './failure';
import { HttpTransportError } from './upstream-error';

export { HttpTransportError };

export interface HttpServiceOptions {
  /** Short name used in errors and metrics: 'fno' or 'dataverse'. */
  name: string;
  /** Origin plus base path, e.g. http://127.0.0.1:4001/data */
  baseUrl: string;
  concurrency: number;
  timeoutMs: number;
  retries: number;
  /** Returns a bearer token (cached by the token provider); `true` asks for a fresh one after a 401. */
  getToken?: (fresh: boolean) => Promise<string>;
  /** For tests (undici MockAgent) or a shared agent. Default: a Pool on the origin. */
  dispatcher?: Dispatcher;
  /** Longest wait we accept from a Retry-After before giving up instead. */
  maxRetryDelayMs?: number;
  /** Every attempt, with the map whose work sent it (a forMap view's requests) when one did. */
  onAttempt?: (info: { service: string; method: string; status: number | 'error'; durationMs: number; map?: string }) => void;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Relative to baseUrl (starting with '/'), or an absolute URL on the same origin (an @odata.nextLink). */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Whether a 502/504 or a network error may be retried. Default: GET/PUT/DELETE yes, POST/PATCH no. */
  idempotent?: boolean;
  /** A user is waiting for it (the finance panel): served before waiting sync work. Default: background. */
  interactive?: boolean;
  /** The map whose sync work sends it (metrics count 429s by map); set by a forMap view. */
  map?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export type HttpService = {
  readonly name: string;
  readonly baseUrl: string;
  request(req: HttpRequest): Promise<HttpResponse>;
  /** The same service (pool, budget, token) for requests a user waits for: they go before waiting background work. */
  interactive(): HttpService;
  /**
   * How busy this service's user is, for a pool of application users to choose the least busy one: requests in
   * flight and waiting against the adaptive limit now, and until when the service asked this user to wait (a
   * 429's Retry-After; 0 when it did not).
   */
  load?(): { inFlight: number; limit: number; throttledUntil: number };
  close(): Promise<void>;
};


/**
 * Idle keep-alive sockets are closed by servers after a few seconds (node:http: 5 s). Ours must give up
 * first, or a request sent as the server closes its end is reset. 4 s is below node's 5 s and IIS/Azure
 * front ends' longer defaults; server Keep-Alive hints may shorten it, never lengthen it.
 */
export const KEEP_ALIVE_MS = 4_000;

// Which failed requests had been sent on a socket that had already carried a request. Undici reports
// the socket only through diagnostics channels (a plain ECONNRESET carries none), so the errors of those
// requests are remembered here. WeakSets: nothing is kept once the error is gone.
const reusedRequests = new WeakSet<object>();
const reusedSocketErrors = new WeakSet<object>();
const socketUses = new WeakMap<object, number>();
diagnostics.subscribe('undici:client:sendHeaders', (msg) => {
  const { request, socket } = msg as { request: object; socket: object };
  const uses = (socketUses.get(socket) ?? 0) + 1;
  socketUses.set(socket, uses);
  if (uses > 1) reusedRequests.add(request);
});
diagnostics.subscribe('undici:request:error', (msg) => {
  const { request, error } = msg as { request: object; error: unknown };
  if (reusedRequests.has(request) && typeof error === 'object' && error !== null) reusedSocketErrors.add(error);
});

const STALE_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** A connection error before any answer, on a socket that had carried an earlier request. */
export function isStaleConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STALE_CODES.has(code) && reusedSocketErrors.has(err as object);
}



const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export function createHttpService(opts: HttpServiceOptions): HttpService {
  const base = new URL(opts.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const ownsDispatcher = opts.dispatcher === undefined;
  const dispatcher =
    opts.dispatcher ??
    new Pool(base.origin, {
      connections: opts.concurrency,
      keepAliveTimeout: KEEP_ALIVE_MS,
      keepAliveMaxTimeout: KEEP_ALIVE_MS,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
    });
  const maxDelay = opts.maxRetryDelayMs ?? 60_000;
  // Adaptive: a 429 halves what is sent at once (the slot is not held while a retry waits its Retry-After).
  const inFlight = new AdaptiveLimit(opts.concurrency);
  let throttledUntil = 0;

  function target(p: string): string {
    if (/^https?:\/\//i.test(p)) {
      const u = new URL(p);
      // Never send our token to another origin, whatever a nextLink says.
      if (u.origin !== base.origin) throw new HttpTransportError(opts.name, `refusing to follow a link to another origin (${u.origin})`, false, undefined, false, true);
      return u.pathname + u.search;
    }
    return basePath + p;
  }

  async function once(req: HttpRequest, fresh: boolean): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    if (opts.getToken) headers.authorization = `Bearer ${await opts.getToken(fresh)}`;
    await inFlight.acquire(req.interactive === true);
    try {
      const res = await send(req, headers);
      if (res.status === 429) {
        inFlight.throttled();
        throttledUntil = Math.max(throttledUntil, Date.now() + (retryAfterMs(res.headers['retry-after']) ?? 1000));
      }
      else if (res.status < 400) inFlight.succeeded();
      return res;
    } finally {
      inFlight.release();
    }
  }

  async function send(req: HttpRequest, headers: Record<string, string>): Promise<HttpResponse> {
    const started = Date.now();
    let answered = false;
    try {
      const res = await dispatcher.request({
        origin: base.origin,
        path: target(req.path),
        method: req.method,
        headers,
        body: req.body,
        signal: AbortSignal.timeout(opts.timeoutMs),
        headersTimeout: opts.timeoutMs,
        bodyTimeout: opts.timeoutMs,
      });
      answered = true;
      const text = await res.body.text();
      opts.onAttempt?.({ service: opts.name, method: req.method, status: res.statusCode, durationMs: Date.now() - started, map: req.map });
      return { status: res.statusCode, headers: flattenHeaders(res.headers), text };
    } catch (err) {
      opts.onAttempt?.({ service: opts.name, method: req.method, status: 'error', durationMs: Date.now() - started, map: req.map });
      if (err instanceof HttpTransportError) throw err;
      const e = err as { name?: string; code?: string; message?: string };
      const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError' || /Timeout/i.test(e.code ?? '');
      const stale = !answered && !timedOut && isStaleConnectionError(err);
      throw new HttpTransportError(opts.name, timedOut ? `no answer within ${opts.timeoutMs} ms` : `network error: ${e.code ?? e.message ?? 'unknown'}`, timedOut, err, stale);
    }
  }

  async function request(req: HttpRequest): Promise<HttpResponse> {
    const idempotent = req.idempotent ?? (req.method === 'GET' || req.method === 'PUT' || req.method === 'DELETE');
    let refreshedToken = false;
    let staleRetried = false;
    for (let attempt = 0; ; attempt++) {
      let res: HttpResponse;
      try {
        res = await once(req, refreshedToken);
      } catch (err) {
        if (err instanceof HttpTransportError && err.staleConnection && !staleRetried) {
          // A reused connection broken before any answer is, almost always, one the server closed while
          // idle as our request went out: nothing ran, so even a POST is sent again, once. Not counted
          // as a retry. (Callers that cannot risk a double write make their writes conditional.)
          staleRetried = true;
          attempt--;
          continue;
        }
        if (idempotent && attempt < opts.retries && err instanceof HttpTransportError && !err.refused) {
          await sleep(clientBackoff(attempt));
          continue;
        }
        throw err;
      }
      if (res.status === 401 && opts.getToken && !refreshedToken) {
        // A token revoked or expired early: get a new one once.
        refreshedToken = true;
        continue;
      }
      if (attempt < opts.retries && isRetryableStatus(res.status, idempotent)) {
        const wait = retryAfterMs(res.headers['retry-after']) ?? clientBackoff(attempt);
        if (wait <= maxDelay) {
          await sleep(wait);
          continue;
        }
      }
      return res;
    }
  }

  const service: HttpService = {
    name: opts.name,
    baseUrl: opts.baseUrl.replace(/\/+$/, ''),
    request,
    interactive: () => ({ ...service, request: (req) => request({ ...req, interactive: true }), interactive: () => service.interactive() }),
    load: () => ({ inFlight: inFlight.load, limit: inFlight.current, throttledUntil }),
    async close() {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
  return service;
}

/**
 * The same service (pool, budget, token) for one map's sync work: its requests carry the map, so metrics count its
 * 429s by map. (An explicit view, not async context: on Node 20 an AsyncLocalStorage in use makes every promise of
 * the process several times dearer, measured at 2.4x on an await loop.)
 */
export function forMap(service: HttpService, map: string): HttpService {
  return { ...service, request: (req) => service.request({ ...req, map: req.map ?? map }), interactive: () => forMap(service.interactive(), map) };
}

/** The client's own short retries: 125-250 ms, doubling, at most 8 s (attempt counts from 0). */
const clientBackoff = (attempt: number) => backoffDelay(attempt + 1, { baseMs: 250, capMs: 8000 });
