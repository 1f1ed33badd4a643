// /health: the process is alive. /ready: the store answers (the only thing this instance needs to take
// work); F&O and Dataverse are checked in the background and their last known state reported beside it, so
// an anonymous caller can never make the bridge call them, and a downstream outage does not take every
// instance out of a load balancer while changes still queue safely.
import type { FastifyPluginAsync } from 'fastify';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export type DependencyState = { status: 'ok' | 'failing' | 'unknown'; checkedAt: string | null };

export interface HealthOptions {
  store: ReadinessCheck;
  /** Last known state of each downstream (see dependency-monitor.ts). */
  dependencies: () => Record<string, DependencyState>;
  timeoutMs?: number;
}

/** Runs a check with a time limit; resolves to the error message, or undefined when it passed. */
export async function runCheck(c: ReadinessCheck, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      c.check(),
      new Promise<never>((_, rej) => { timer = setTimeout(() => rej(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs); }),
    ]);
    return undefined;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  } finally {
    clearTimeout(timer);
  }
}

const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, opts) => {
  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/ready', { schema: { hide: true } }, async (req, reply) => {
    const error = await runCheck(opts.store, opts.timeoutMs ?? 5000);
    // The store's error text stays in the log: it can name hosts and users.
    if (error) req.log.warn({ err: error }, 'readiness: the store does not answer');
    return reply.code(error ? 503 : 200).send({
      status: error ? 'not_ready' : 'ready',
      store: { status: error ? 'failing' : 'ok' },
      dependencies: opts.dependencies(),
    });
  });
};

export default healthRoutes;
