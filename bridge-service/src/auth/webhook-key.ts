// The webhook secret as Dataverse and F&O present it, and its constant-time check: used by the webhook
// routes to authenticate and by the rate limiter to let valid deliveries through.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

export const WEBHOOK_HEADER = 'x-bridge-webhook-key';
/** The query key that carries the secret in an F&O endpoint URL: https://bridge/webhooks/fno?code=<secret>. */
export const WEBHOOK_QUERY_KEY = 'code';

/** Constant-time comparison that does not leak the secret's length either (both sides hashed first). */
export function secretMatches(given: string | string[] | undefined, secret: string | undefined): boolean {
  if (!secret || typeof given !== 'string' || given.length === 0) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b);
}

/**
 * The webhook key a request presents: the header (Dataverse), or on the F&O route the `?code=` of the
 * endpoint URL (F&O sends no custom header). One rule, used by authentication and by the rate limiter.
 */
export function presentedWebhookKey(req: Pick<FastifyRequest, 'headers' | 'query' | 'url'>): string | undefined {
  const urlKey = req.url.startsWith('/webhooks/fno');
  const inUrl = urlKey ? (req.query as Record<string, unknown> | undefined)?.[WEBHOOK_QUERY_KEY] : undefined;
  if (typeof inUrl === 'string') return inUrl;
  const h = req.headers[WEBHOOK_HEADER];
  return typeof h === 'string' ? h : undefined;
}
