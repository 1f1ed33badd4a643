// The in-process worker: claims jobs under a lease, applies them with bounded concurrency, settles
// each by owner. Woken at once when a webhook commits, and polls for work of other instances. Record
// locks (db/repos/locks.ts) keep one job per record running, whichever side it came from and whichever
// instance claimed it. A heartbeat renews the leases of jobs in flight, so a slow job keeps its claim
// and a dead instance's jobs come back after one lease.
import { appliesLiveChanges } from '../../contracts/states';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { TableMap } from '../core/maps/types';
import { backoffDelay } from '../../clients/backoff';
import type { ApplyOutcome } from './apply';
import { classify } from '../../clients/failure';
import type { MapsRepo } from '../../db/repos/maps';
import type { Job, Queue } from '../../db/repos/jobs';
import { RecordBusyError, type LockScope, type RecordLocks } from '../../db/repos/locks';

export interface WorkerOptions {
  queue: Queue;
  mapsRepo: MapsRepo;
  locks: RecordLocks;
  maps: ReadonlyMap<string, TableMap>;
  apply: (map: TableMap, job: Job, locks: LockScope) => Promise<ApplyOutcome>;
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
  readonly stats: { processed: number; failed: number; deferred: number };
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
  const stats = { processed: 0, failed: 0, deferred: 0 };
  let beat: NodeJS.Timeout | undefined;
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

  /** A settle that failed (the store is down) is tried again while this worker runs; the heartbeat keeps the lease meanwhile. */
  async function settle(what: () => Promise<boolean>): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await what();
      } catch (err) {
        if (!running || attempt >= 12) throw err;
        await new Promise((r) => setTimeout(r, backoffDelay(attempt, { baseMs: 100, capMs: 5_000 })));
      }
    }
  }

  async function process(job: Job): Promise<void> {
    const map = o.maps.get(job.mapName);
    if (!map) {
      await settle(() => o.queue.park(job, owner, {
        message: `The map ${job.mapName} is not configured in this bridge. Enable it, then retry, or dismiss.`,
        code: 'SYNC_MAP_NOT_CONFIGURED', params: { map: job.mapName },
      }));
      return;
    }
    const locks = o.locks.scope(owner, job.id, o.leaseMs);
    try {
      const outcome = await o.apply(map, job, locks);
      const settled = await settle(() => o.queue.complete(job, owner));
      if (settled) stats.processed++;
      if (!settled) o.log.warn({ map: map.name, job: job.id }, 'lease lost before the job was settled; another worker owns it now');
      const written = outcome.kind === 'written' || (outcome.kind === 'deleted' && outcome.action !== 'both_deleted' && outcome.action !== 'unlink') ? 1 : 0;
      const conflicts = outcome.kind === 'written' && outcome.conflicts.length > 0 ? 1 : 0;
      await o.mapsRepo.bump(map.name, { processed: 1, written, conflicts });
      o.log.debug({ map: map.name, side: job.side, record: job.recordKey, outcome: outcome.kind }, 'sync job done');
      if (outcome.kind === 'deleted') o.log.info({ map: map.name, side: job.side, record: job.recordKey, action: outcome.action }, outcome.record.message);
    } catch (err) {
      if (err instanceof RecordBusyError) {
        // The other side's job of this record is running: try again in a moment; not a failure.
        stats.deferred++;
        await settle(() => o.queue.defer(job, owner, 20 + Math.floor(Math.random() * 80)));
        return;
      }
      const f = classify(err);
      const attempt = job.attempts + 1;
      const park = f.class === 'permanent' || (f.lookup && attempt >= o.lookupAttempts);
      if (park) await settle(() => o.queue.park(job, owner, f));
      else await settle(() => o.queue.retry(job, owner, f, backoffDelay(attempt, { baseMs: o.backoffBaseMs, capMs: o.backoffCapMs }, f.retryAfterMs)));
      stats.failed++;
      await o.mapsRepo.bump(map.name, { failed: 1 });
      o.log.warn({ map: map.name, side: job.side, record: job.recordKey, attempt, parked: park, err: f.message }, 'sync job failed');
      await checkAlert(map.name);
    } finally {
      await locks.release().catch((err: unknown) => o.log.warn({ err, job: job.id }, 'record locks not released; they expire with the lease'));
    }
  }

  async function checkAlert(mapName: string): Promise<void> {
    if (o.alertErrors <= 0) return;
    const n = await o.mapsRepo.errorsSince(mapName, new Date(Date.now() - o.alertWindowMs).toISOString());
    if (n < o.alertErrors) return;
    const row = await o.mapsRepo.get(mapName);
    if (!row || !appliesLiveChanges(row.state)) return;
    try {
      await o.mapsRepo.transition(mapName, 'pause');
    } catch {
      return; // someone else moved it first
    }
    const minutes = Math.round(o.alertWindowMs / 60_000);
    const message = `Map ${mapName} was paused: ${n} errors of the services or the bridge within ${minutes} minute(s). Its changes are kept. Look at GET /api/v1/admin/errors, fix the cause, then resume the map.`;
    await o.mapsRepo.notify(mapName, 'map_paused_by_alert', message);
    o.log.error({ map: mapName, errors: n }, message);
  }

  function run(job: Job) {
    const p = process(job).catch((err: unknown) => {
      o.log.error({ err, job: job.id }, 'sync job could not be settled; its lease will expire and it will run again');
    }).finally(() => {
      inflight.delete(p);
      wake();
    });
    inflight.add(p);
  }

  /** Renews the leases of this worker's jobs and locks while any are in flight. */
  async function heartbeat(): Promise<void> {
    if (inflight.size === 0) return;
    try {
      await o.queue.renew(owner, o.leaseMs);
      await o.locks.renew(owner, o.leaseMs);
    } catch (err) {
      o.log.warn({ err }, 'could not renew the leases of running jobs; retrying at the next beat');
    }
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
      beat = setInterval(() => void heartbeat(), Math.max(1_000, Math.floor(o.leaseMs / 3)));
      beat.unref();
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
      clearInterval(beat);
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
