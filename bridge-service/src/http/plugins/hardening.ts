// helmet, CORS limited to the configured (Dynamics) origins, rate limit per principal, connection
// draining on close.
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { bridgeError } from '../bridge-error';

/** `https://*.crm4.dynamics.com` -> a RegExp: `*` stands for one or more host labels, the suffix is fixed. */
export function originPattern(p: string): RegExp | string {
  if (p === '*') throw new Error('CORS_ORIGINS: a bare * is not allowed; list your Dynamics origins');
  if (!p.includes('*')) return p.replace(/\/+$/, '');
  const esc = p.replace(/\/+$/, '').replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[a-z0-9-]+(?:\\.[a-z0-9-]+)*');
  return new RegExp(`^${esc}$`, 'i');
}

export interface HardeningOptions {
  corsOrigins: string[];
  rateLimit: { addressMax: number; windowMs: number };
  /**
   * Whether a request to /webhooks/* presents the valid webhook key. Such deliveries are never rate limited
   * (Dataverse retries only 502/503/504, so a 429 would lose the change; F&O's load is bounded by F&O), and
   * webhook requests never share a bucket with anonymous traffic from the same address.
   */
  trustedWebhook?: (req: FastifyRequest) => boolean;
}

export default fp(
  async (app, opts: HardeningOptions) => {
    const origins = opts.corsOrigins.map(originPattern);
    // Graceful shutdown: answers finished while closing tell the client to drop the keep-alive
    // connection, so draining does not wait for idle sockets to time out.
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });
    app.addHook('onSend', async (_req, reply) => {
      if (closing) void reply.header('connection', 'close');
    });
    await app.register(helmet, { contentSecurityPolicy: false });
    await app.register(cors, {
      origin: origins,
      methods: ['GET', 'PATCH', 'POST', 'OPTIONS'],
      allowedHeaders: ['authorization', 'content-type', 'if-match', 'if-none-match', 'idempotency-key', 'x-request-id'],
      exposedHeaders: ['etag', 'retry-after', 'x-request-id'],
      maxAge: 600,
    });
    await app.register(rateLimit, {
      max: opts.rateLimit.addressMax,
      timeWindow: opts.rateLimit.windowMs,
      // Per client address (behind the configured proxy: TRUST_PROXY), before any token is looked at: a new token
      // string buys no new budget. Each verified user also has a budget of their own (auth/principal-limit.ts).
      keyGenerator: (req) => (req.url.startsWith('/webhooks/') ? `wh:${req.ip}` : `ip:${req.ip}`),
      allowList: (req) => req.url === '/health' || req.url === '/ready' || req.url === '/metrics'
        || (req.url.startsWith('/webhooks/') && opts.trustedWebhook?.(req) === true),
      errorResponseBuilder: (_req, ctx) => bridgeError('FB_RATE_LIMITED', `at most ${ctx.max} requests per ${ctx.after}`),
    });
  },
  { fastify: '5.x', name: 'bridge-hardening' },
);
