// The in-process worker: claims jobs under a lease, applies them with bounded concurrency, settles
// each by owner. Woken at once when a webhook commits, and polls for work of other instances. One job
// of a linked record runs at a time in this process, whichever side it came from.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { TableMap } from '../sync/maps/types';
import { backoffDelay } from '../sync/backoff';
import type { LinksRepo } from '../store/links-repo';
import type { ApplyOutcome } from './apply';
import { classify } from './errors';
import type { MapsRepo } from './maps-repo';
import type { Job, Queue } from './queue';

export interface WorkerOptions {
  queue: Queue;
  mapsRepo: MapsRepo;
  links: LinksRepo;
  maps: ReadonlyMap<string, TableMap>;
  apply: (map: TableMap, job: Job) => Promise<ApplyOutcome>;
  log: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
  concurrency: number;
  pollMs: number;
  leaseMs: number;
  /** Alert rule: this many failures within `alertWindowMs` pause the map. 0 disables it. */
  alertErrors: number;
  alertWindowMs: number;
  /** A missing related row is retried this many times before the job is parked. */
  lookupAttempts: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  owner?: string;
}

export interface Worker {
  readonly owner: string;
  /** Jobs this worker settled since it started (tests and metrics). */
  readonly stats: { processed: number; failed: number };
  start(): void;
  /** Wakes the loop now (a webhook committed new work). */
  wake(): void;
  /** Stops claiming; graceful waits (up to timeoutMs) for jobs in flight, then gives back their leases. */
  stop(opts?: { graceful?: boolean; timeoutMs?: number }): Promise<void>;
  /** Resolves when nothing is queued or running (tests). */
  idle(timeoutMs?: number): Promise<void>;
}

export function createWorker(o: WorkerOptions): Worker {
  const owner = o.owner ?? `worker-${randomUUID()}`;
  const inflight = new Set<Promise<void>>();
  const recordChains = new Map<string, Promise<void>>();
  const stats = { processed: 0, failed: 0 };
  let running = false;
  let loopDone: Promise<void> = Promise.resolve();
  let wakeUp: (() => void) | null = null;
  let woken = false;

  function wake() {
    woken = true;
    wakeUp?.();
  }

  function pause(ms: number): Promise<void> {
    if (woken) { woken = false; return Promise.resolve(); }
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() { clearTimeout(t); wakeUp = null; woken = false; resolve(); }
      wakeUp = done;
    });
  }

  /** The same linked record gets the same identity from either side, so its jobs run one at a time here. */
  async function identity(map: TableMap, job: Job): Promise<string> {
    const link = job.side === 'dataverse'
      ? await o.links.findByDataverse(map.name, map.dataverse.table, job.recordKey)
      : await o.links.findByFno(map.name, map.fno.entitySet, JSON.parse(job.recordKey) as Record<string, string>);
    return link ? `${map.name}|link|${link.id}` : `${map.name}|${job.side}|${job.recordKey}`;
  }

  async function process(job: Job): Promise<void> {
    const map = o.maps.get(job.mapName);
    if (!map) {
      await o.queue.park(job, owner, `The map ${job.mapName} is not configured in this bridge. Enable it, then retry, or dismiss.`);
      return;
    }
    try {
      const outcome = await o.apply(map, job);
      const settled = await o.queue.complete(job, owner);
      if (settled) stats.processed++;
      if (!settled) o.log.warn({ map: map.name, job: job.id }, 'lease lost before the job was settled; another worker owns it now');
      const written = outcome.kind === 'written' ? 1 : 0;
      const conflicts = outcome.kind === 'written' && outcome.conflicts.length > 0 ? 1 : 0;
      await o.mapsRepo.bump(map.name, { processed: 1, written, conflicts });
      o.log.debug({ map: map.name, side: job.side, record: job.recordKey, outcome: outcome.kind }, 'sync job done');
    } catch (err) {
      const f = classify(err);
      const attempt = job.attempts + 1;
      const park = f.class === 'permanent' || (f.lookup && attempt >= o.lookupAttempts);
      if (park) await o.queue.park(job, owner, f.message);
      else await o.queue.retry(job, owner, f.message, backoffDelay(attempt, { baseMs: o.backoffBaseMs, capMs: o.backoffCapMs }));
      stats.failed++;
      await o.mapsRepo.bump(map.name, { failed: 1 });
      o.log.warn({ map: map.name, side: job.side, record: job.recordKey, attempt, parked: park, err: f.message }, 'sync job failed');
      await checkAlert(map.name);
    }
  }

  async function checkAlert(mapName: string): Promise<void> {
    if (o.alertErrors <= 0) return;
    const n = await o.mapsRepo.errorsSince(mapName, new Date(Date.now() - o.alertWindowMs).toISOString());
    if (n < o.alertErrors) return;
    const row = await o.mapsRepo.get(mapName);
    if (!row || (row.state !== 'running' && row.state !== 'catching_up')) return;
    try {
      await o.mapsRepo.transition(mapName, 'pause');
    } catch {
      return; // someone else moved it first
    }
    const minutes = Math.round(o.alertWindowMs / 60_000);
    const message = `Map ${mapName} was paused: ${n} errors within ${minutes} minute(s). Its changes are kept. Look at GET /api/v1/admin/errors, fix the cause, then resume the map.`;
    await o.mapsRepo.notify(mapName, 'map_paused_by_alert', message);
    o.log.error({ map: mapName, errors: n }, message);
  }

  function run(job: Job) {
    const map = o.maps.get(job.mapName);
    const p = (async () => {
      const id = map ? await identity(map, job) : `${job.mapName}|${job.recordKey}`;
      const before = recordChains.get(id) ?? Promise.resolve();
      const mine = before.then(() => process(job));
      recordChains.set(id, mine);
      try {
        await mine;
      } finally {
        if (recordChains.get(id) === mine) recordChains.delete(id);
      }
    })().catch((err: unknown) => {
      o.log.error({ err, job: job.id }, 'sync job could not be settled; its lease will expire and it will run again');
    }).finally(() => {
      inflight.delete(p);
      wake();
    });
    inflight.add(p);
  }

  async function catchUp(): Promise<void> {
    for (const m of await o.mapsRepo.list()) {
      if (m.state === 'catching_up' && (await o.queue.pendingCount(m.name)) === 0) {
        try {
          await o.mapsRepo.transition(m.name, 'caught_up');
          o.log.info({ map: m.name }, 'map caught up: running');
        } catch { /* moved meanwhile */ }
      }
    }
  }

  async function loop(): Promise<void> {
    let failures = 0;
    while (running) {
      try {
        const free = o.concurrency - inflight.size;
        let claimed = 0;
        if (free > 0) {
          const jobs = await o.queue.claim(owner, free, o.leaseMs);
          claimed = jobs.length;
          jobs.forEach(run);
        }
        if (claimed === 0 && inflight.size === 0) await catchUp();
        failures = 0;
        if (claimed > 0 && claimed === free) continue;
        await pause(o.pollMs);
      } catch (err) {
        failures++;
        const wait = backoffDelay(failures, { baseMs: 200, capMs: 30_000 });
        o.log.error({ err, wait }, 'sync worker loop failed; backing off');
        await pause(wait);
      }
    }
  }

  return {
    owner,
    stats,
    start() {
      if (running) return;
      running = true;
      loopDone = loop();
    },
    wake,
    async stop(opts = {}) {
      running = false;
      wake();
      await loopDone;
      if (opts.graceful !== false && inflight.size > 0) {
        const timeout = new Promise<void>((r) => setTimeout(r, opts.timeoutMs ?? 30_000).unref());
        await Promise.race([Promise.allSettled([...inflight]).then(() => undefined), timeout]);
      }
      if (opts.graceful !== false) await o.queue.releaseAll(owner).catch(() => 0);
    },
    async idle(timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        if (inflight.size === 0 && (await o.queue.pendingCount()) === 0) return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`the sync queue did not drain within ${timeoutMs} ms`);
    },
  };
}
