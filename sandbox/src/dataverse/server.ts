// The Dataverse Web API stand-in over real HTTP at /api/data/v9.2: bearer auth as the token's systemuser,
// CallerObjectId impersonation, service protection (429 + Retry-After), $batch, and the /_sandbox knobs.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { DEFAULT_LIMITS, Protection, type Limits } from '../http/service-protection';
import { readBody } from '../http/read-body';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { parseBatch, serializeBatchResponse, ODataSyntaxError, type BatchRequest, type BatchResponse, type BatchResponsePart } from '../odata';
import type { VerifyBearer } from '../identity/verify';
import { resolveCaller } from './caller';
import { DataverseError, dvErrors } from './errors';
import type { OpContext } from './operations';
import { route, type DvResponse, type RouteEnv } from './routes';
import { DataverseStore, type Row } from './store';
import { tablesWithoutCoreSolutions } from './seed';
import { TABLE_BY_NAME } from './tables';
import { WebhookDispatcher } from './webhook-dispatch';

export const API_PATH = '/api/data/v9.2';
export const ORGANIZATION_ID = '0a9e6b1c-2d3f-4e5a-8b7c-9d0e1f2a3b4c';

export type SeedTables = Record<string, Row[]>;

export interface DataverseFaults {
  /** Answer the next N API requests with 429 and this Retry-After; with `oid`, only those of that caller (an Entra object id). */
  throttleNext?: { count: number; retryAfterSeconds?: number; oid?: string };
  /** Answer the next N API requests with this status and error. */
  failNext?: { count: number; status: number; code?: string; message?: string };
  latencyMs?: number;
  /** Overrides the service protection limits until the next reset. */
  serviceProtection?: Partial<Limits>;
  /** The application user has no prvActOnBehalfOfAnotherUser (no Delegate role): CallerObjectId is refused. */
  noDelegate?: boolean;
  /** Tables this environment lacks (the solution that brings them is not installed): 404 for their entity set and definition. */
  missingTables?: string[];
}

export interface DataverseServerOptions {
  port?: number;
  host?: string;
  verify: VerifyBearer;
  seed: () => SeedTables;
  /** Service protection per caller: requests per window (default 6000 per 300 s). */
  serviceProtection?: Partial<Limits>;
  webhookRetryDelaysMs?: number[];
  webhookTimeoutMs?: number;
  /** Column max lengths this environment customised (`account.description`: up to 1,048,576 for a multiline column). */
  customMaxLengths?: Record<string, number>;
}

export interface DataverseServer {
  /** http://host:port (the Dataverse resource / token audience). */
  url: string;
  apiUrl: string;
  store: DataverseStore;
  webhooks: WebhookDispatcher;
  reset(): void;
  close(): Promise<void>;
}

/** Whether a Prefer header asks a $batch to go on after a failed request. */
function continueOnError(prefer: string | undefined): boolean {
  return (prefer ?? '').split(',').some((p) => p.trim().toLowerCase() === 'odata.continue-on-error');
}

export async function startDataverse(opts: DataverseServerOptions): Promise<DataverseServer> {
  const store = new DataverseStore(opts.customMaxLengths);
  const host = opts.host ?? '127.0.0.1';
  let faults: DataverseFaults = {};
  const protection = new Protection(opts.serviceProtection);
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => send(res, 500, { error: { code: '0x80040216', message: `An unexpected error occurred: ${String(e)}` } }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  const env: RouteEnv = {
    apiUrl: `${url}${API_PATH}`, organizationId: ORGANIZATION_ID,
    missingTables: () => new Set([...(faults.missingTables ?? []), ...tablesWithoutCoreSolutions(store.all('solution').map((r) => String(r.uniquename)))]),
  };
  const webhooks = new WebhookDispatcher(store, {
    organizationId: ORGANIZATION_ID, organizationName: 'sandbox', organizationHost: new URL(url).host,
    asyncRetryDelaysMs: opts.webhookRetryDelaysMs, timeoutMs: opts.webhookTimeoutMs,
  });
  const reset = () => {
    store.clear();
    faults = {};
    protection.reset(opts.serviceProtection);
    for (const [table, rows] of Object.entries(opts.seed())) store.seed(table, rows, TABLE_BY_NAME.get(table)?.primaryKey ?? `${table}id`);
  };
  reset();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', url);
    const body = await readBody(req);
    if (u.pathname.startsWith('/_sandbox/')) return sandboxRoute(req.method ?? 'GET', u.pathname, body, res);
    if (!u.pathname.startsWith(API_PATH)) {
      return send(res, 404, { error: { code: '0x80060888', message: `No resource at ${u.pathname}: the Web API is at ${env.apiUrl}.` } });
    }
    let admitted: string | undefined;
    const started = Date.now();
    try {
      const principal = await opts.verify(req.headers.authorization, url).catch((e: unknown) => {
        throw dvErrors.unauthorized(e instanceof Error ? e.message : String(e));
      });
      const caller = resolveCaller(store, principal, header(req, 'callerobjectid'), { delegate: !faults.noDelegate });
      const self = resolveCaller(store, principal, undefined);
      applyProtection(principal.oid);
      admitted = principal.oid;
      if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
      const ctx: OpContext = {
        store, hooks: webhooks, caller, initiatingUserId: self.systemUserId,
        correlationId: header(req, 'x-ms-correlation-request-id') ?? randomUUID(), pendingAsync: [],
      };
      const path = decodeURIComponent(u.pathname.slice(API_PATH.length).replace(/^\//, ''));
      let out: DvResponse | { batch: { status: number; headers: Record<string, string>; contentType: string; body: string } };
      if (path === '$batch' && req.method === 'POST') out = { batch: await runBatch(ctx, req.headers['content-type'], body, continueOnError(header(req, 'prefer'))) };
      else out = await route(env, ctx, { method: req.method ?? 'GET', path, search: u.searchParams, headers: lowerHeaders(req), body });
      for (const ev of ctx.pendingAsync) webhooks.enqueueAsync(ev);
      if ('batch' in out) {
        res.writeHead(out.batch.status, { 'content-type': out.batch.contentType, 'odata-version': '4.0', ...out.batch.headers });
        return void res.end(out.batch.body);
      }
      return send(res, out.status, out.body, out.headers);
    } catch (e) {
      const err = e instanceof DataverseError ? e : e instanceof ODataSyntaxError ? dvErrors.badQuery(e.message) : new DataverseError(500, '0x80040216', String(e));
      return send(res, err.status, err.toBody(), err.headers);
    } finally {
      if (admitted) protection.release(admitted, Date.now() - started);
    }
  }

  function applyProtection(oid: string): void {
    const t = faults.throttleNext;
    if (t && t.count > 0 && (!t.oid || t.oid.toLowerCase() === oid.toLowerCase())) {
      t.count--;
      protection.count(oid, false);
      throw dvErrors.throttled('requests', protection.limits, t.retryAfterSeconds ?? 1);
    }
    if (faults.failNext && faults.failNext.count > 0) {
      faults.failNext.count--;
      throw new DataverseError(faults.failNext.status, faults.failNext.code ?? '0x80040216', faults.failNext.message ?? 'Injected fault (POST /_sandbox/faults).');
    }
    const admit = protection.admit(oid);
    if (!admit.ok) throw dvErrors.throttled(admit.limit, protection.limits, admit.retryAfter);
  }

  /**
   * As Microsoft documents it: without `Prefer: odata.continue-on-error` the batch stops at the first
   * failing request (or changeset) and answers 400 with the responses so far, the failure last; with it,
   * every request is tried and the batch answers 200.
   */
  async function runBatch(ctx: OpContext, contentType: string | undefined, body: string, goOn: boolean): Promise<{ status: number; headers: Record<string, string>; contentType: string; body: string }> {
    const parts = parseBatch(body, contentType);
    const out: BatchResponsePart[] = [];
    const failedAt = (p: BatchResponsePart | undefined) => p?.kind === 'response' && p.response.status >= 400;
    for (const part of parts) {
      if (out.length && !goOn && failedAt(out[out.length - 1])) break;
      if (part.kind === 'request') {
        out.push({ kind: 'response', response: await runOne(ctx, part.request, new Map()) });
        continue;
      }
      const ids = new Map<string, string>();
      const responses: BatchResponse[] = [];
      ctx.store.begin();
      const pending = ctx.pendingAsync.length;
      let failed: BatchResponse | undefined;
      for (const r of part.requests) {
        const resp = await runOne(ctx, r, ids);
        if (resp.status >= 400) { failed = resp; break; }
        responses.push(resp);
      }
      if (failed) {
        ctx.store.rollback();
        ctx.pendingAsync.length = pending;
        out.push({ kind: 'response', response: failed });
      } else {
        ctx.store.commit();
        out.push({ kind: 'changeset', responses });
      }
    }
    const stopped = !goOn && failedAt(out[out.length - 1]);
    return { status: stopped ? 400 : 200, headers: goOn ? { 'preference-applied': 'odata.continue-on-error' } : {}, ...serializeBatchResponse(out) };
  }

  async function runOne(ctx: OpContext, r: BatchRequest, ids: Map<string, string>): Promise<BatchResponse> {
    let target = r.url.replace(/^https?:\/\/[^/]+/, '').replace(new RegExp(`^${API_PATH.replace(/\./g, '\\.')}/?`), '').replace(/^\//, '');
    const ref = /^\$(\w+)(.*)$/.exec(target);
    if (ref && ids.has(ref[1])) target = ids.get(ref[1])!.slice(env.apiUrl.length + 1) + ref[2];
    const q = target.indexOf('?');
    const path = decodeURIComponent(q >= 0 ? target.slice(0, q) : target);
    const lower = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v]));
    try {
      const resp = await route(env, ctx, { method: r.method, path, search: new URLSearchParams(q >= 0 ? target.slice(q + 1) : ''), headers: lower, body: r.body });
      if (r.contentId && resp.headers['OData-EntityId']) ids.set(r.contentId, resp.headers['OData-EntityId']);
      return { status: resp.status, headers: { ...resp.headers, ...(resp.body === undefined ? {} : { 'Content-Type': 'application/json; odata.metadata=minimal' }) }, body: resp.body === undefined ? undefined : JSON.stringify(resp.body), contentId: r.contentId };
    } catch (e) {
      const err = e instanceof DataverseError ? e : new DataverseError(500, '0x80040216', String(e));
      return { status: err.status, headers: { 'Content-Type': 'application/json; odata.metadata=minimal' }, body: JSON.stringify(err.toBody()), contentId: r.contentId };
    }
  }

  function sandboxRoute(method: string, path: string, body: string, res: ServerResponse): void {
    if (method === 'POST' && path === '/_sandbox/reset') { reset(); return send(res, 200, { reset: true }); }
    if (method === 'POST' && path === '/_sandbox/faults') {
      try {
        faults = JSON.parse(body || '{}') as DataverseFaults;
        protection.limits = { ...DEFAULT_LIMITS, ...opts.serviceProtection, ...faults.serviceProtection };
      } catch {
        return send(res, 400, { error: { code: 'BadFaults', message: 'The body must be JSON such as {"throttleNext":{"count":2,"retryAfterSeconds":1}}.' } });
      }
      return send(res, 200, { faults });
    }
    if (method === 'GET' && path === '/_sandbox/stats') {
      // Per caller (Entra object id): requests admitted and refused with 429 since the last reset.
      const callers = Object.fromEntries(protection.perCaller);
      return send(res, 200, { tables: store.stats(), webhookDeliveries: webhooks.deliveries.length, faults, callers });
    }
    send(res, 404, { error: { code: 'NotFound', message: 'Sandbox routes: POST /_sandbox/reset, POST /_sandbox/faults, GET /_sandbox/stats.' } });
  }

  return {
    url, apiUrl: env.apiUrl, store, webhooks, reset,
    close: async () => {
      webhooks.close();
      await new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function lowerHeaders(req: IncomingMessage): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : v]));
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'odata-version': '4.0',
    ...(body === undefined ? {} : { 'content-type': 'application/json; odata.metadata=minimal; charset=utf-8' }),
    ...headers,
  });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

