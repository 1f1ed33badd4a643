// Sandbox-only control API (no auth; never part of the real F&O surface):
//   POST /_sandbox/reset                      restore the demo data, clear stats, faults, limits, subscriptions
//   POST /_sandbox/faults  {latencyMs, errorRates:{"429":0.1,"500":..,"503":..}, timeoutRate, timeoutSeconds}
//   POST /_sandbox/limits  {windowSeconds, maxRequests, maxConcurrent, maxExecutionSeconds}
//   GET  /_sandbox/stats                      reads/creates/updates/deletes per entity set, event counters, requests per caller
//   GET|POST /_sandbox/events/subscriptions   list / register {kind:'data'|'business', url, entitySets?, legalEntities?} (URL only, as F&O)
//   DELETE /_sandbox/events/subscriptions/{id}
//   POST /_sandbox/records/{EntitySet}[?as=<Entra object id>]  upsert a row as if changed inside F&O by that user
//                                             (default: a sandbox user); emits events like any write
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FnoContext } from './context';
import { loadFnoSchema } from './schema';
import { validateBody } from './validate';
import { FnoHttpError } from './errors';
import { isDerived } from './derived';

const SANDBOX_USER = '00000000-0000-0000-0000-00000000f0f0';

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

export async function handleControl(ctx: FnoContext, req: IncomingMessage, res: ServerResponse, u: URL, readBody: (r: IncomingMessage) => Promise<string>): Promise<void> {
  const path = u.pathname.slice('/_sandbox/'.length);
  const raw = await readBody(req);
  let body: Record<string, unknown> = {};
  try { body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {}; } catch { reply(res, 400, { error: { code: 'BadJson', message: 'The body is not valid JSON.' } }); return; }
  try {
    if (req.method === 'POST' && path === 'reset') { ctx.reset(); reply(res, 204, undefined); return; }
    if (req.method === 'POST' && path === 'faults') {
      const f = ctx.protection.faults;
      ctx.protection.faults = { ...f, ...body, errorRates: { ...((body.errorRates as Record<string, number> | undefined) ?? f.errorRates) } };
      reply(res, 200, ctx.protection.faults); return;
    }
    if (req.method === 'POST' && path === 'limits') { ctx.protection.limits = { ...ctx.protection.limits, ...body }; reply(res, 200, ctx.protection.limits); return; }
    if (req.method === 'GET' && path === 'stats') { reply(res, 200, { entities: Object.fromEntries(ctx.store.stats), events: ctx.events.stats, callers: Object.fromEntries(ctx.protection.perCaller) }); return; }
    if (path === 'events/subscriptions') {
      if (req.method === 'GET') { reply(res, 200, { value: ctx.events.list() }); return; }
      if (req.method === 'POST') {
        try {
          reply(res, 201, ctx.events.subscribe(body as never));
        } catch (e) {
          reply(res, 400, { error: { code: 'InvalidEndpoint', message: (e as Error).message } });
        }
        return;
      }
    }
    const sub = /^events\/subscriptions\/(.+)$/.exec(path);
    if (sub && req.method === 'DELETE') { reply(res, ctx.events.unsubscribe(sub[1]) ? 204 : 404, undefined); return; }
    const rec = /^records\/(\w+)$/.exec(path);
    if (rec && req.method === 'POST') {
      const schema = loadFnoSchema();
      const entity = schema.entities.get(rec[1]);
      if (!entity) { reply(res, 404, { error: { code: 'NoEntitySet', message: `Unknown entity set ${rec[1]}.` } }); return; }
      const derived = isDerived(entity.entitySet);
      if (derived) { reply(res, 400, { error: { code: 'DerivedEntitySet', message: `${entity.entitySet} is computed from ${derived.from}: change a ${derived.from} record instead.` } }); return; }
      const data = validateBody(schema, entity, body);
      const existing = ctx.store.get(entity, data);
      const user = u.searchParams.get('as') ?? SANDBOX_USER;
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(user)) { reply(res, 400, { error: { code: 'BadRequest', message: `as=${user} is not an Entra object id (a GUID).` } }); return; }
      const row = existing ? ctx.store.update(entity, existing, data, user) : ctx.store.insert(entity, data, user);
      reply(res, existing ? 200 : 201, { ...row.data, '@odata.etag': ctx.store.etag(row) }); return;
    }
    reply(res, 404, { error: { code: 'NoRoute', message: `No control route ${req.method} /_sandbox/${path}.` } });
  } catch (e) {
    const message = e instanceof FnoHttpError ? e.infolog : e instanceof Error ? e.message : String(e);
    reply(res, 400, { error: { code: 'BadRequest', message } });
  }
}
