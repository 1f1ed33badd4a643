// /health: the process is alive. /ready: the store and each downstream answer.
import type { FastifyPluginAsync } from 'fastify';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface HealthOptions { checks: ReadinessCheck[]; timeoutMs?: number }

const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, opts) => {
  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/ready', { schema: { hide: true } }, async (_req, reply) => {
    type Result = { status: 'ok' | 'failing'; ms: number; error?: string };
    const results: [string, Result][] = await Promise.all(
      opts.checks.map(async (c) => {
        const started = Date.now();
        try {
          await Promise.race([
            c.check(),
            new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`no answer within ${opts.timeoutMs ?? 5000} ms`)), opts.timeoutMs ?? 5000).unref()),
          ]);
          return [c.name, { status: 'ok', ms: Date.now() - started }] as [string, Result];
        } catch (e) {
          return [c.name, { status: 'failing', ms: Date.now() - started, error: (e as Error).message.split('\n')[0] }] as [string, Result];
        }
      }),
    );
    const ready = results.every(([, r]) => r.status === 'ok');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', dependencies: Object.fromEntries(results) as Record<string, Result> });
  });
};

export default healthRoutes;
