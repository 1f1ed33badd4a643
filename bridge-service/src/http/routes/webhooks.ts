// POST /webhooks/dataverse and /webhooks/fno: authenticate by shared secret (constant time), store the
// change durably, answer 202 only after the commit is on disk (store.flush), wake the worker. Redeliveries
// are acknowledged and ignored (dedupe key); tables no map uses are acknowledged and ignored.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, RequestPayload } from 'fastify';
import { bridgeError } from '../bridge-error';
import { WEBHOOK_HEADER, WEBHOOK_QUERY_KEY, presentedWebhookKey, secretMatches } from '../../auth/webhook-key';
import { isGuid } from '../../contracts/guid';
import { parseRemoteExecutionContext } from '../../sync/core/events/remote-execution-context';
import { parseBusinessEvents } from '../../sync/core/events/business-event';
import { dataverseEvents, fnoBusinessEvents, fnoDataEvents, isBusinessEventBody } from '../../sync/runtime/capture';
import type { SyncEngine } from '../../sync/runtime/engine';
import type { ChangeEvent } from '../../db/repos/jobs';
import { HELD_MAP_STATES } from '../../contracts/states';
import { withoutEchoes } from '../../sync/runtime/echo';

export { WEBHOOK_HEADER, WEBHOOK_QUERY_KEY, presentedWebhookKey, secretMatches } from '../../auth/webhook-key';
/** Dataverse sends up to 256 KB (more is cut and flagged); F&O batches of business events can be larger. */
const WEBHOOK_BODY_LIMIT = 2 * 1024 * 1024;

async function anyRunnable(engine: SyncEngine, events: ChangeEvent[]): Promise<boolean> {
  for (const name of new Set(events.map((e) => e.mapName))) {
    const row = await engine.mapsRepo.get(name);
    if (!row || !(HELD_MAP_STATES as readonly string[]).includes(row.state)) return true;
  }
  return false;
}

export function webhookRoutes(getEngine: () => SyncEngine): FastifyPluginAsync {
  return async (app) => {
    // Keep the raw text: dedupe falls back to its hash, and parsers accept strings.
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: WEBHOOK_BODY_LIMIT }, (_req, body, done) => {
      try {
        done(null, { text: body as string, json: JSON.parse(body as string) as unknown });
      } catch {
        done(bridgeError('FB_VALIDATION', 'the body is not JSON'), undefined);
      }
    });

    /**
     * Dataverse sends the key in a header (HttpHeader auth). F&O sends no custom header at all: its HTTPS
     * endpoint is a URL read from Key Vault, so F&O deliveries may carry the key as `?code=` instead. The
     * URL's query is scrubbed from every log line (logger.ts scrubUrl).
     */
    const authenticate = (req: FastifyRequest, urlKey: boolean) => {
      const engine = getEngine();
      const secret = engine.ctx.config.webhookSecret;
      if (!secret) {
        req.log.error('webhook refused: DATAVERSE_WEBHOOK_SECRET is not set, so no webhook can be authenticated');
        throw bridgeError('FB_WEBHOOK_KEY_INVALID', 'the bridge has no webhook secret configured (DATAVERSE_WEBHOOK_SECRET)');
      }
      if (!secretMatches(presentedWebhookKey(req), secret)) {
        const where = urlKey ? `the ?${WEBHOOK_QUERY_KEY}= key of the endpoint URL (or the ${WEBHOOK_HEADER} header)` : `the ${WEBHOOK_HEADER} header`;
        throw bridgeError('FB_WEBHOOK_KEY_INVALID', `${where} is missing or does not match the webhook secret`);
      }
      return engine;
    };
    /** The key is checked before the body is read: an unauthenticated caller costs no buffering or parsing. */
    const keyFirst = (urlKey: boolean) => async (req: FastifyRequest, _reply: FastifyReply, payload: RequestPayload) => {
      authenticate(req, urlKey);
      return payload;
    };

    const accept = async (engine: SyncEngine, all: ChangeEvent[], changed: Record<string, unknown> | null) => {
      let fresh: number;
      let events = all;
      try {
        events = await withoutEchoes({ links: engine.ctx.repos.links, queue: engine.queue }, engine.mapsByName, all, changed);
        fresh = await engine.queue.enqueue(events);
        // The 202 promises the change is kept: the sender will not send it again.
        if (fresh > 0) await engine.ctx.store.flush();
      } catch (err) {
        // Dataverse retries a webhook answered 502/503/504 (and F&O retries failed deliveries): a 503 keeps the change.
        throw bridgeError('FB_STORE_UNAVAILABLE', err instanceof Error ? err.message : String(err), { cause: err, headers: { 'retry-after': '5' } });
      }
      // Wake the worker only for maps whose jobs may run: during an initial sync every row written comes back as
      // a notification, and a claim per notification would walk the whole held backlog each time (the poll finds
      // the jobs once the map runs again).
      if (fresh > 0 && (await anyRunnable(engine, events))) engine.worker.wake();
      return { received: all.length, new: fresh, echoes: all.length - events.length };
    };

    app.post('/webhooks/dataverse', { bodyLimit: WEBHOOK_BODY_LIMIT, preParsing: keyFirst(false) }, async (req, reply) => {
      const engine = getEngine();
      const body = req.body as { text: string; json: unknown } | undefined;
      if (!body) throw bridgeError('FB_VALIDATION', 'the body is empty: expected a RemoteExecutionContext');
      const parsed = parseRemoteExecutionContext(body.json, { sizeExceededHeader: req.headers['x-ms-dynamics-msg-size-exceeded'] !== undefined });
      if (!parsed.ok) throw bridgeError('FB_VALIDATION', parsed.error);
      if (!isGuid(parsed.value.id)) throw bridgeError('FB_VALIDATION', `PrimaryEntityId ${JSON.stringify(parsed.value.id.slice(0, 60))} is not a GUID`);
      const events = dataverseEvents(engine.maps, parsed.value, body.text);
      if (events.length === 0) {
        req.log.debug({ table: parsed.value.table }, 'webhook for a table no map reads: acknowledged and ignored');
        return reply.code(200).send({ received: 0, new: 0, ignored: true });
      }
      return reply.code(202).send(await accept(engine, events, parsed.value.sizeExceeded ? null : parsed.value.changed));
    });

    app.post('/webhooks/fno', { bodyLimit: WEBHOOK_BODY_LIMIT, preParsing: keyFirst(true) }, async (req, reply) => {
      const engine = getEngine();
      const body = req.body as { text: string; json: unknown } | undefined;
      if (!body) throw bridgeError('FB_VALIDATION', 'the body is empty: expected an F&O data event or business event');
      let events: ChangeEvent[];
      let changed: Record<string, unknown> | null = null;
      if (isBusinessEventBody(body.json)) {
        const parsed = parseBusinessEvents(body.json);
        if (!parsed.ok) throw bridgeError('FB_VALIDATION', parsed.error);
        events = fnoBusinessEvents(engine.maps, parsed.value);
      } else {
        const parsed = parseRemoteExecutionContext(body.json);
        if (!parsed.ok) throw bridgeError('FB_VALIDATION', parsed.error);
        events = fnoDataEvents(engine.maps, parsed.value, body.json as Record<string, unknown>, body.text);
        changed = parsed.value.changed;
      }
      if (events.length === 0) {
        req.log.debug('F&O event for an entity no map reads: acknowledged and ignored');
        return reply.code(200).send({ received: 0, new: 0, ignored: true });
      }
      return reply.code(202).send(await accept(engine, events, changed));
    });
  };
}
