// Housekeeping: what the store would otherwise keep forever (expired idempotency keys, old change events),
// removed on a timer by whichever instance runs it (the deletes are idempotent, so several instances may).
import type { FastifyBaseLogger } from 'fastify';

export interface HousekeepingTask {
  name: string;
  /** Removes what is due; returns how many rows it removed. */
  run(): Promise<number>;
}

export interface Housekeeping {
  /** Runs every task once now (also what the timer does). */
  runOnce(): Promise<Record<string, number>>;
  stop(): void;
}

export function startHousekeeping(tasks: HousekeepingTask[], everyMs: number, log: FastifyBaseLogger): Housekeeping {
  let running: Promise<Record<string, number>> | undefined;
  const runOnce = (): Promise<Record<string, number>> => {
    running ??= (async () => {
      const removed: Record<string, number> = {};
      for (const t of tasks) {
        try {
          removed[t.name] = await t.run();
          if (removed[t.name] > 0) log.info({ task: t.name, removed: removed[t.name] }, 'housekeeping');
        } catch (err) {
          log.warn({ task: t.name, err: err instanceof Error ? err.message : String(err) }, 'housekeeping failed; trying again next time');
        }
      }
      return removed;
    })().finally(() => { running = undefined; });
    return running;
  };
  const timer = setInterval(() => void runOnce(), everyMs);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
