// Prometheus metrics at /metrics: request durations by route and status, outbound attempts and 429s by service,
// and the sync figures of the store (per map, initial sync, notification deliveries) read when scraped.
// Served only to a scraper holding METRICS_TOKEN: the figures describe the tenant's traffic, not for the internet.
import fp from 'fastify-plugin';
import { timingSafeEqual } from 'node:crypto';
import { bridgeError } from '../bridge-error';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { MAP_STATES } from '../../contracts/states';
import type { StoreFigures } from '../../db/repos/figures';

export interface Metrics {
  registry: Registry;
  outbound: Counter<'service' | 'method' | 'status'>;
  /** Answers 429 (service protection) from F&O and Dataverse, by service and the map the work served ('none': panel reads, checks). */
  throttled: Counter<'service' | 'map'>;
  /** Called at the start of every scrape (a new scrape reads the store afresh). */
  onScrape: (() => void)[];
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'finops_bridge_' });
  const outbound = new Counter({
    name: 'finops_bridge_outbound_requests_total', help: 'Requests to F&O and Dataverse by outcome',
    labelNames: ['service', 'method', 'status'] as const, registers: [registry],
  });
  const throttled = new Counter({
    name: 'finops_bridge_throttled_total', help: 'Answers 429 (service protection) from F&O and Dataverse, by service and map (none: not sync work)',
    labelNames: ['service', 'map'] as const, registers: [registry],
  });
  return { registry, outbound, throttled, onScrape: [] };
}


/**
 * The store's figures as metrics, read once per scrape. Counters of the maps are the store's own totals (shared by
 * every instance): rate() over them is the throughput. `finops_bridge_store_figures_up` is 0 when the read failed
 * (the rest of /metrics is still served).
 */
export function registerStoreMetrics(metrics: Metrics, read: () => Promise<StoreFigures>): void {
  const registers = [metrics.registry];
  // One read per scrape, shared by every store metric's collect.
  let cached: Promise<StoreFigures | undefined> | undefined;
  metrics.onScrape.push(() => { cached = undefined; });
  const figures = () => (cached ??= read().catch(() => undefined));
  new Gauge({
    name: 'finops_bridge_store_figures_up', help: '1 when the sync figures below were read from the store at this scrape', registers,
    async collect() { this.set((await figures()) ? 1 : 0); },
  });
  const perMap = (name: string, help: string, pick: (m: StoreFigures['maps'][number]) => number) => new Gauge({
    name, help, labelNames: ['map'] as const, registers,
    async collect() {
      const f = await figures();
      this.reset();
      for (const m of f?.maps ?? []) this.set({ map: m.name }, pick(m));
    },
  });
  perMap('finops_bridge_map_pending', 'Records of the map with changes waiting (queued, running or retrying)', (m) => m.pending);
  perMap('finops_bridge_map_parked', 'Records of the map parked with an error, waiting for an admin', (m) => m.parked);
  perMap('finops_bridge_map_lag_seconds', 'Age of the oldest change of the map not yet applied (0 when nothing waits)', (m) => m.lagSeconds);
  new Gauge({
    name: 'finops_bridge_map_state', help: 'The map\'s lifecycle state: 1 for the current state, 0 for the others', labelNames: ['map', 'state'] as const, registers,
    async collect() {
      const f = await figures();
      this.reset();
      for (const m of f?.maps ?? []) for (const s of MAP_STATES) this.set({ map: m.name, state: s }, m.state === s ? 1 : 0);
    },
  });
  const total = (name: string, help: string, pick: (m: StoreFigures['maps'][number]) => number) => new Counter({
    name, help, labelNames: ['map'] as const, registers,
    async collect() {
      const f = await figures();
      this.reset();
      for (const m of f?.maps ?? []) this.inc({ map: m.name }, pick(m));
    },
  });
  total('finops_bridge_map_processed_total', 'Jobs of the map processed (all instances)', (m) => m.processed);
  total('finops_bridge_map_written_total', 'Records of the map written to the other side (all instances)', (m) => m.written);
  total('finops_bridge_map_failed_total', 'Failed tries of the map (all instances)', (m) => m.failed);
  total('finops_bridge_map_conflicts_total', 'Conflicts of the map resolved by its policy (all instances)', (m) => m.conflicts);
  const initial = (name: string, help: string, pick: (r: StoreFigures['initialSyncs'][number]) => number) => new Gauge({
    name, help, labelNames: ['map'] as const, registers,
    async collect() {
      const f = await figures();
      this.reset();
      for (const r of f?.initialSyncs ?? []) this.set({ map: r.map }, pick(r));
    },
  });
  initial('finops_bridge_initial_sync_total', 'Records the last initial sync of the map found to sync', (r) => r.total);
  initial('finops_bridge_initial_sync_done', 'Records the last initial sync of the map has done', (r) => r.done);
  initial('finops_bridge_initial_sync_failed', 'Records the last initial sync of the map could not sync', (r) => r.failed);
  initial('finops_bridge_initial_sync_running', '1 while the initial sync of the map runs', (r) => (r.state === 'running' ? 1 : 0));
  new Gauge({
    name: 'finops_bridge_notification_deliveries', help: 'Notification deliveries by webhook label and state', labelNames: ['target', 'state'] as const, registers,
    async collect() {
      const f = await figures();
      this.reset();
      for (const d of f?.deliveries ?? []) this.set({ target: d.target, state: d.state }, d.n);
    },
  });
}

export default fp(
  async (app, opts: { metrics: Metrics; token?: string }) => {
    const duration = new Histogram({
      name: 'finops_bridge_http_request_duration_seconds', help: 'Inbound request duration',
      labelNames: ['method', 'route', 'status'] as const, registers: [opts.metrics.registry],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    });
    app.addHook('onResponse', async (req, reply) => {
      duration.observe({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });
    const token = opts.token;
    if (!token) return;
    const expected = Buffer.from(`Bearer ${token}`);
    app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
      const given = Buffer.from(req.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw bridgeError('FB_METRICS_TOKEN_INVALID', req.headers.authorization ? 'the token does not match' : 'no bearer token was sent', {
          headers: { 'www-authenticate': 'Bearer realm="metrics"' },
        });
      }
      for (const f of opts.metrics.onScrape) f();
      return reply.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics());
    });
  },
  { fastify: '5.x', name: 'bridge-metrics' },
);
