// Delivers notifications to the configured webhooks: each notification to each webhook once, retried with the
// bridge's backoff while the failure is one that may pass (the one classifier decides), given up after the
// configured tries. The webhook's URL is a secret (a Teams webhook URL lets anyone post to the channel): it is
// used for the request and nowhere else; logs, the store and the admin API see only its label.
import type { FastifyBaseLogger } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { AlertSettings } from '../config';
import { backoffDelay } from '../clients/backoff';
import { classifyFailure, retryAfterMs } from '../clients/failure';
import type { NotificationsRepo, DeliveryOutcome } from '../db/repos/notifications';
import { payloadFor } from './payloads';

/** Notifications older than this when a webhook is first configured are not sent to it. */
const BACKLOG_MS = 24 * 3_600_000;
/** How long one instance holds a delivery while it sends (longer than the request's timeout). */
const CLAIM_MS = 60_000;
const TIMEOUT_MS = 15_000;

export interface DeliveryOptions {
  settings: Pick<AlertSettings, 'webhooks' | 'attempts'>;
  repo: NotificationsRepo;
  log: FastifyBaseLogger;
  /** Instance id (claims); default a random one. */
  owner?: string;
  backoff?: { baseMs: number; capMs: number };
  timeoutMs?: number;
}

export interface Delivery {
  /** Schedules new notifications, abandons dead claims and sends what is due. Returns how many were delivered. */
  run(): Promise<number>;
}

interface TryResult { ok: true }
interface TryFailure { ok: false; status?: number; code?: string; retryAfterMs?: number }

export function createDelivery(o: DeliveryOptions): Delivery {
  const owner = o.owner ?? `notifier-${randomUUID()}`;
  const backoff = o.backoff ?? { baseMs: 5_000, capMs: 15 * 60_000 };
  const byLabel = new Map(o.settings.webhooks.map((w) => [w.label, w]));

  async function post(url: string, body: unknown): Promise<TryResult | TryFailure> {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), redirect: 'error',
        signal: AbortSignal.timeout(o.timeoutMs ?? TIMEOUT_MS),
      });
    } catch (err) {
      // Only the error's code: its message may quote the URL.
      const e = err as { name?: string; cause?: { code?: unknown } };
      const code = typeof e.cause?.code === 'string' ? e.cause.code : e.name === 'TimeoutError' ? 'TimeoutError' : 'ECONNRESET';
      return { ok: false, code };
    }
    const text = await res.text().catch(() => '');
    // Teams' connector answers 200 with this text when it throttles (its documentation says so).
    if (res.ok && /HTTP error 429/.test(text)) return { ok: false, status: 429 };
    if (res.ok) return { ok: true };
    return { ok: false, status: res.status, retryAfterMs: retryAfterMs(res.headers.get('retry-after')) };
  }

  function outcome(r: TryFailure, attempt: number): Exclude<DeliveryOutcome, { state: 'delivered' }> {
    const words = classifyFailure(r.status !== undefined ? { status: r.status } : { code: r.code });
    const what = r.status !== undefined ? `HTTP ${r.status}` : `no answer (${r.code})`;
    if (words.class === 'permanent') return { state: 'failed', error: `the webhook refused it: ${what}` };
    if (attempt >= o.settings.attempts) return { state: 'failed', error: `${what}; gave up after ${attempt} tries` };
    const wait = backoffDelay(attempt, backoff, r.retryAfterMs);
    return { state: 'pending', nextAttemptAt: new Date(Date.now() + wait).toISOString(), error: `${what}; try ${attempt + 1} of ${o.settings.attempts} after ${Math.round(wait / 1000)} s` };
  }

  return {
    async run() {
      if (byLabel.size === 0) return 0;
      await o.repo.schedule([...byLabel.keys()], new Date(Date.now() - BACKLOG_MS).toISOString());
      const abandoned = await o.repo.abandonExpired();
      if (abandoned > 0) o.log.warn({ abandoned }, 'notification deliveries abandoned: the instance sending them stopped mid-send (not sent again)');
      let delivered = 0;
      for (const d of await o.repo.due(100)) {
        const hook = byLabel.get(d.target);
        if (!hook) continue; // a webhook configured before and removed since
        if (!(await o.repo.claim(d.notification_id, d.target, owner, CLAIM_MS))) continue; // another instance has it
        const n = await o.repo.get(d.notification_id);
        if (!n) {
          await o.repo.settle(d.notification_id, d.target, owner, { state: 'failed', error: 'the notification no longer exists' });
          continue;
        }
        const attempt = d.attempts + 1;
        const r = await post(hook.url, payloadFor(hook.format, { id: n.id, map: n.map_name, kind: n.kind, message: n.message, at: n.at }));
        if (r.ok) {
          await o.repo.settle(d.notification_id, d.target, owner, { state: 'delivered' });
          o.log.info({ notification: n.id, kind: n.kind, target: hook.label, attempt }, 'notification delivered');
          delivered++;
          continue;
        }
        const next = outcome(r, attempt);
        await o.repo.settle(d.notification_id, d.target, owner, next);
        const fields = { notification: n.id, kind: n.kind, target: hook.label, attempt, status: r.status, code: r.code };
        if (next.state === 'failed') o.log.error(fields, `notification not delivered: ${next.error}`);
        else o.log.warn(fields, `notification delivery failed; ${next.error}`);
      }
      return delivered;
    },
  };
}
