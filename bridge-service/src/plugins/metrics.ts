// Prometheus metrics at /metrics: request durations by route and status, outbound attempts by service.
import fp from 'fastify-plugin';
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
  async (app, opts: { metrics: Metrics }) => {
    const duration = new Histogram({
      name: 'finops_bridge_http_request_duration_seconds', help: 'Inbound request duration',
      labelNames: ['method', 'route', 'status'] as const, registers: [opts.metrics.registry],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    });
    app.addHook('onResponse', async (req, reply) => {
      duration.observe({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });
    app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
      return reply.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics());
    });
  },
  { fastify: '5.x', name: 'bridge-metrics' },
);
