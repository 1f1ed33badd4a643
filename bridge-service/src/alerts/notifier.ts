// The notifier of one bridge instance: every ALERT_CHECK_SECONDS it checks the notification rules against the
// store and the dependency monitor, then delivers what is due to the webhooks. Every instance runs one; the store
// makes sure each episode is notified once and each notification delivered once (db/repos/notifications.ts).
import type { FastifyBaseLogger } from 'fastify';
import type { BridgeConfig } from '../config';
import type { DependencyState } from '../http/routes/health';
import type { Db } from '../db/schema';
import { createMapsRepo } from '../db/repos/maps';
import { createQueue } from '../db/repos/jobs';
import { createNotificationsRepo, type NotificationsRepo } from '../db/repos/notifications';
import { createDelivery, type Delivery } from './delivery';
import { evaluate, knownExpiries, recordFirings } from './rules';

export interface Notifier {
  repo: NotificationsRepo;
  /** One round now: rules, then deliveries (tests call it; the timer calls it too). */
  tick(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

export function createNotifier(o: {
  config: Pick<BridgeConfig, 'alerts' | 'outbound'>;
  db: Db;
  dialect: 'sqlite' | 'postgres';
  dependencies: () => Record<string, DependencyState>;
  log: FastifyBaseLogger;
  backoff?: { baseMs: number; capMs: number };
}): Notifier {
  const s = o.config.alerts;
  const repo = createNotificationsRepo(o.db);
  const maps = createMapsRepo(o.db);
  const queue = createQueue(o.db, o.dialect);
  const delivery: Delivery = createDelivery({ settings: s, repo, log: o.log, backoff: o.backoff });
  const expiries = knownExpiries(o.config.outbound.credential, s.secretExpiresOn);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  async function checkRules(): Promise<void> {
    const now = Date.now();
    const [rows, stats, errors] = await Promise.all([
      maps.list(), queue.mapStats(), maps.errorCountsSince(new Date(now - s.errorsWindowMs).toISOString()),
    ]);
    const dependencies = o.dependencies();
    const firing = evaluate(s, {
      now, dependencies, expiries,
      maps: rows.map((r) => ({ name: r.name, state: r.state, errors: errors.get(r.name) ?? 0, oldestPendingAt: stats.get(r.name)?.oldestPendingAt ?? null })),
    });
    const undecided = Object.entries(dependencies).filter(([, d]) => d.status === 'unknown').map(([name]) => `unreachable:${name}`);
    const raised = await recordFirings(repo, firing, undecided);
    if (raised > 0) o.log.warn({ raised, kinds: firing.map((f) => f.kind) }, 'notification rules hold');
  }

  async function tick(): Promise<void> {
    try {
      await checkRules();
    } catch (err) {
      o.log.error({ err: err instanceof Error ? err.message : String(err) }, 'notification rules not checked this round');
    }
    try {
      await delivery.run();
    } catch (err) {
      o.log.error({ err: err instanceof Error ? err.message : String(err) }, 'notifications not delivered this round; next round retries');
    }
  }

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(() => { running = undefined; schedule(); });
    }, s.checkMs);
    timer.unref();
  };

  return {
    repo,
    tick,
    start: () => {
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
