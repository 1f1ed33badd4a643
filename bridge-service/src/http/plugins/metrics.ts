// Prometheus metrics at /metrics: request durations by route and status, outbound attempts by service.
// Served only to a scraper holding METRICS_TOKEN: the figures describe the tenant's traffic, not for the internet.
import fp from 'fastify-plugin';
import { timingSafeEqual } from 'node:crypto';
import { bridgeError } from '../bridge-error';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  outbound: Counter<'service' | 'method' | 'status'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'finops_bridge_' });
  const outbound = new Counter({
    name: 'finops_bridge_outbound_requests_total', help: 'Requests to F&O and Dataverse by outcome',
    labelNames: ['service', 'method', 'status'] as const, registers: [registry],
  });
  return { registry, outbound };
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
      return reply.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics());
    });
  },
  { fastify: '5.x', name: 'bridge-metrics' },
);
