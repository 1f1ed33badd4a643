// Checks F&O and Dataverse in the background, on a fixed interval, and keeps the last result for /ready and
// the logs. One check per interval whatever the traffic: readiness probes cost the downstreams nothing.
import type { FastifyBaseLogger } from 'fastify';
import { runCheck, type DependencyState, type ReadinessCheck } from '../http/routes/health';

export interface DependencyMonitor {
  states(): Record<string, DependencyState>;
  /** Checks every dependency now, in the background, then every intervalMs until stop(). */
  start(): void;
  stop(): void;
}

export function createDependencyMonitor(checks: ReadinessCheck[], intervalMs: number, log: FastifyBaseLogger, timeoutMs = 5000): DependencyMonitor {
  const states: Record<string, DependencyState> = Object.fromEntries(checks.map((c) => [c.name, { status: 'unknown', checkedAt: null }]));
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const round = async () => {
    await Promise.all(checks.map(async (c) => {
      const error = await runCheck(c, timeoutMs);
      const status = error ? 'failing' : 'ok';
      if (status !== states[c.name].status) {
        if (error) log.warn({ dependency: c.name, err: error }, `${c.name} does not answer`);
        else log.info({ dependency: c.name }, `${c.name} answers`);
      }
      states[c.name] = { status, checkedAt: new Date().toISOString() };
    }));
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => { void round().finally(schedule); }, intervalMs);
    timer.unref();
  };
  return {
    states: () => ({ ...states }),
    start: () => {
      void round().finally(schedule);
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
