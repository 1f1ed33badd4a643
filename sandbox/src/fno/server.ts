// The F&O OData sandbox as a real HTTP server (node:http): bearer auth, service protection and faults,
// /data (entities, $metadata, $batch) and the sandbox-only control API under /_sandbox.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readBody } from '../http/read-body';
import type { AddressInfo } from 'node:net';
import { parseBatch, serializeBatchResponse, type BatchRequest, type BatchResponse, type BatchResponsePart } from '../odata/batch';
import { ODataSyntaxError } from '../odata/filter';
import type { FnoDataset } from '../demo-data/generate';
import { errorBody, FnoHttpError, badRequest, notFound, WRITE_EXCEPTION } from './errors';
import { EventHub } from './events';
import { handleOData, type ODataRequest, type ODataResponse } from './handlers';
import { buildMetadataXml } from './metadata-xml';
import { Protection, type Limits, type Faults } from '../http/service-protection';
import { loadFnoSchema } from './schema';
import { FnoStore } from './store';
import { handleControl } from './control';
import type { FnoContext } from './context';

import type { SandboxPrincipal, VerifyBearer } from '../identity/verify';

export type { SandboxPrincipal, VerifyBearer };

export interface FnoServerOptions {
  data: FnoDataset;
  verify: VerifyBearer;
  /** Expected token audience: the F&O base URL, e.g. http://127.0.0.1:4001. */
  audience: string;
  /** Base URL written into @odata.context, nextLink and Location (no trailing slash). Defaults to the listen address. */
  publicUrl?: string;
  port?: number;
  host?: string;
  /** The company a caller works in without cross-company=true; default 'usmf'. */
  defaultCompany?: (p: SandboxPrincipal) => string;
  limits?: Partial<Limits>;
  /** Backoff of event redelivery (ms), short in tests. */
  eventBackoffMs?: number;
  /** Where failed event deliveries are logged (default stderr). */
  log?: (line: string) => void;
}

export interface FnoServer {
  url: string;
  server: Server;
  store: FnoStore;
  events: EventHub;
  protection: Protection;
  reset(): void;
  close(): Promise<void>;
}


const MAX_BODY = 20 * 1024 * 1024;

/** The entity set a /data path names ('CustomersV3' of "CustomersV3(dataAreaId='usmf',...)"). */
const entitySetOf = (path: string): string => /^[A-Za-z_]\w*/.exec(path)?.[0] ?? '';

const readRequestBody = (req: IncomingMessage): Promise<string> => readBody(req, MAX_BODY, () => badRequest('The request body is larger than 20 MB.'));

function send(res: ServerResponse, r: ODataResponse): void {
  res.writeHead(r.status, r.headers);
  res.end(r.body);
}

const errorResponse = (e: FnoHttpError, extra: Record<string, string> = {}): ODataResponse =>
  ({ status: e.status, headers: { 'Content-Type': 'application/json; odata.metadata=minimal; charset=utf-8', 'OData-Version': '4.0', ...extra }, body: errorBody(e) });

function toError(e: unknown): FnoHttpError {
  if (e instanceof FnoHttpError) return e;
  if (e instanceof ODataSyntaxError) return badRequest(e.message);
  return new FnoHttpError(500, e instanceof Error ? e.message : String(e), 'System.Exception');
}

export async function createFnoServer(opts: FnoServerOptions): Promise<FnoServer> {
  const schema = loadFnoSchema();
  let base = opts.publicUrl?.replace(/\/$/, '') ?? '';
  const events = new EventHub((s) => schema.entities.get(s), opts.audience, opts.eventBackoffMs, undefined, opts.log);
  const store = new FnoStore(schema, (evs) => events.publish(evs));
  store.load(opts.data);
  const protection = new Protection(opts.limits);
  const metadata = buildMetadataXml(schema);
  const holds = new Set<NodeJS.Timeout>();
  const companyOf = opts.defaultCompany ?? (() => 'usmf');
  const ctx: FnoContext = {
    store, events, protection, data: opts.data, base: () => base,
    reset: () => { store.load(opts.data); events.reset(); protection.reset(opts.limits); },
  };

  const runOne = (r: BatchRequest, principal: SandboxPrincipal, ids: Map<string, string>): ODataResponse => {
    let url = r.url.replace(/^\$(\w+)/, (m, id: string) => ids.get(id) ?? m);
    const at = url.indexOf('/data/');
    if (at >= 0) url = url.slice(at + 6);
    const u = new URL(url, 'http://x/');
    const req: ODataRequest = { method: r.method, path: decodeURIComponent(u.pathname.slice(1)), search: u.searchParams, headers: r.headers,
      body: r.body, userOid: principal.oid, defaultCompany: companyOf(principal) };
    return handleOData(schema, store, req, base);
  };

  const batch = async (body: string, contentType: string | undefined, principal: SandboxPrincipal): Promise<ODataResponse> => {
    const parts = parseBatch(body, contentType);
    const out: BatchResponsePart[] = [];
    const asBatch = (r: ODataResponse, contentId?: string): BatchResponse => ({ status: r.status, headers: r.headers, body: r.body, contentId });
    for (const part of parts) {
      if (part.kind === 'request') {
        let r: ODataResponse;
        try { r = runOne(part.request, principal, new Map()); } catch (e) { r = errorResponse(toError(e)); }
        out.push({ kind: 'response', response: asBatch(r, part.request.contentId) });
        continue;
      }
      const ids = new Map<string, string>();
      const responses: BatchResponse[] = [];
      try {
        await store.atomic(async () => {
          for (const req of part.requests) {
            try {
              const r = runOne(req, principal, ids);
              if (req.contentId && r.headers.Location) ids.set(req.contentId, r.headers.Location);
              responses.push(asBatch(r, req.contentId));
            } catch (e) {
              // The whole changeset fails: F&O answers with the failing operation's response only.
              throw Object.assign(toError(e), { contentId: req.contentId });
            }
          }
        });
        out.push({ kind: 'changeset', responses });
      } catch (e) {
        // As the real capture shows: a write that fails in a changeset is answered 500 with F&O's batch stack.
        const err = toError(e);
        const r = err.type === WRITE_EXCEPTION ? { ...errorResponse(err), status: 500, body: errorBody(err, true) } : errorResponse(err);
        out.push({ kind: 'changeset', responses: [asBatch(r, (e as { contentId?: string }).contentId)] });
      }
    }
    const s = serializeBatchResponse(out);
    return { status: 200, headers: { 'Content-Type': s.contentType, 'OData-Version': '4.0' }, body: s.body };
  };

  const serveData = async (req: IncomingMessage, res: ServerResponse, u: URL): Promise<void> => {
    let principal: SandboxPrincipal;
    try {
      principal = await opts.verify(req.headers.authorization, opts.audience);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      send(res, errorResponse(new FnoHttpError(401, `Authentication failed: ${why}. Get a token for ${opts.audience} and send it as Authorization: Bearer <token>.`, 'System.UnauthorizedAccessException', 'Unauthorized.'),
        { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${why.replace(/"/g, "'")}"` }));
      return;
    }
    const admit = protection.admit(principal.oid);
    const started = Date.now();
    if (!admit.ok) {
      send(res, errorResponse(new FnoHttpError(429, `Service protection limit reached (${admit.reason}). Retry after ${admit.retryAfter} seconds.`, 'Microsoft.Dynamics.Platform.Integration.Services.OData.ThrottlingException', 'Too many requests.'),
        { 'Retry-After': String(admit.retryAfter) }));
      return;
    }
    try {
      const fault = protection.draw();
      if (protection.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, protection.faults.latencyMs));
      if (fault.kind === 'timeout') {
        await new Promise<void>((resolve) => { const t = setTimeout(() => { holds.delete(t); resolve(); }, fault.seconds * 1000); holds.add(t); res.on('close', () => { clearTimeout(t); holds.delete(t); resolve(); }); });
        res.destroy();
        return;
      }
      if (fault.kind === 'status') {
        send(res, errorResponse(new FnoHttpError(fault.status, `Injected fault ${fault.status} (sandbox fault knobs).`, 'Sandbox.InjectedFault', 'Injected fault.'), fault.status === 429 ? { 'Retry-After': '1' } : {}));
        return;
      }
      const body = await readRequestBody(req);
      const path = u.pathname.slice('/data'.length).replace(/^\//, '');
      const absent = (entitySet: string) => protection.faults.missingEntitySets?.includes(entitySet) ?? false;
      let r: ODataResponse;
      if (path === '$metadata') r = { status: 200, headers: { 'Content-Type': 'application/xml', 'OData-Version': '4.0' }, body: metadata };
      else if (path === '') r = { status: 200, headers: { 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0' },
        body: JSON.stringify({ '@odata.context': `${base}/data/$metadata`, value: [...schema.entities.values()].filter((e) => !absent(e.entitySet)).map((e) => ({ name: e.entitySet, kind: 'EntitySet', url: e.entitySet })) }) };
      else if (absent(entitySetOf(path))) throw notFound(`The entity set '${entitySetOf(path)}' does not exist: see $metadata for the served entity sets.`);
      else if (path === '$batch' && req.method === 'POST') r = await batch(body, req.headers['content-type'], principal);
      else {
        let decoded: string;
        try { decoded = decodeURIComponent(path); } catch { throw badRequest('The URL holds malformed percent-encoding.'); }
        r = handleOData(schema, store, { method: req.method ?? 'GET', path: decoded, search: u.searchParams,
          headers: req.headers as Record<string, string | undefined>, body, userOid: principal.oid, defaultCompany: companyOf(principal) }, base);
      }
      send(res, r);
    } catch (e) {
      send(res, errorResponse(toError(e)));
    } finally {
      protection.release(principal.oid, Date.now() - started);
    }
  };

  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://sandbox');
    const route = u.pathname === '/data' || u.pathname.startsWith('/data/') ? serveData(req, res, u)
      : u.pathname.startsWith('/_sandbox/') ? handleControl(ctx, req, res, u, readRequestBody)
        : Promise.resolve(send(res, errorResponse(new FnoHttpError(404, `Nothing is served at ${u.pathname}: the OData service is at /data.`, 'Sandbox.NotFound', 'Not found.'))));
    route.catch((e: unknown) => { if (!res.headersSent) send(res, errorResponse(toError(e))); else res.destroy(); });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const addr = server.address() as AddressInfo;
  if (!base) base = `http://${opts.host ?? '127.0.0.1'}:${addr.port}`;
  return {
    url: base, server, store, events, protection, reset: () => ctx.reset(),
    close: async () => {
      for (const t of holds) clearTimeout(t);
      events.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type { Limits, Faults };
