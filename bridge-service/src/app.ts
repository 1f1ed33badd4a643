// Builds the app from plugins. server.ts runs it; tests call buildApp with their own deps and inject().
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { DestinationStream, Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { randomBytes, randomUUID } from 'node:crypto';
import { targetsLoopback, type BridgeConfig } from './config';
import { createClients, type Clients } from './clients/index';
import { openStore, type Store } from './db/connection';
import { createAuditRepo } from './db/repos/audit';
import { createIdempotencyRepo } from './db/repos/idempotency';
import { createLinksRepo } from './db/repos/links';
import { createTokenVerifier, type TokenVerifier } from './auth/verifier';
import authPlugin from './http/plugins/auth';
import errorHandler, { errorBody, toBridgeError } from './http/plugins/error-handler';
import hardening from './http/plugins/hardening';
import unreadBody from './http/plugins/unread-body';
import { presentedWebhookKey, secretMatches } from './auth/webhook-key';
import metricsPlugin, { createMetrics, registerStoreMetrics, type Metrics } from './http/plugins/metrics';
import api from './http/plugins/api';
import healthRoutes from './http/routes/health';
import { FinanceService } from './finance/service';
import { createLogger } from './logger';
import type { BridgeContext, BridgeExtension } from './extensions';
import { createRecordAccess } from './auth/record-access';
import { startHousekeeping, type Housekeeping } from './db/housekeeping';
import { createSyncExtension } from './sync/runtime/extension';
import { createDependencyMonitor } from './clients/dependency-monitor';
import { createNotifier, type Notifier } from './alerts/notifier';
import { adminLogRoutes } from './http/routes/admin-log';
import { createFiguresReader } from './db/repos/figures';
import adminConsole from './http/routes/admin-console';
import { consoleAssets, type ConsoleAssets } from './http/console/assets';

export interface AppDeps {
  store?: Store;
  clients?: Clients;
  verifier?: TokenVerifier;
  /** Where logs go (tests capture them); default stdout. */
  logStream?: DestinationStream;
  logger?: Logger;
  /** For tests: undici MockAgent for all outbound calls. */
  dispatcher?: Dispatcher;
  extensions?: BridgeExtension[];
  /** The admin console at /admin: its script (default: built, or bundled from source) and the demo's sign-in script. */
  adminConsole?: { assets?: ConsoleAssets; hostScript?: string };
}

/**
 * The configuration this app runs with: as given, except that a bridge whose F&O and Dataverse are both on this
 * machine (the local sandbox, which needs no operator) gets a webhook secret for this process when none is set.
 */
export function effectiveConfig(config: BridgeConfig): BridgeConfig {
  if (config.webhookSecret || !targetsLoopback(config)) return config;
  return { ...config, webhookSecret: randomBytes(24).toString('base64url') };
}

export async function buildApp(given: BridgeConfig, deps: AppDeps = {}): Promise<FastifyInstance> {
  const config = effectiveConfig(given);
  const store = deps.store ?? (await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  const metrics: Metrics = createMetrics();
  const clients = deps.clients ?? createClients(config, {
    dispatcher: deps.dispatcher,
    onAttempt: (a) => {
      metrics.outbound.inc({ service: a.service, method: a.method, status: String(a.status) });
      if (a.status === 429) metrics.throttled.inc({ service: a.service, map: a.map ?? 'none' });
    },
  });
  registerStoreMetrics(metrics, createFiguresReader(store.db, store.dialect));
  const verifier = deps.verifier ?? createTokenVerifier(config.auth);
  const repos = { links: createLinksRepo(store.db), audit: createAuditRepo(store.db, store.flush), idempotency: createIdempotencyRepo(store.db) };
  // What a user waits for goes before waiting sync work on the shared per-service budget.
  const forUsers = clients.interactive ?? clients;
  const access = createRecordAccess(forUsers.dataverse);
  const ctx: BridgeContext = { config, store, clients, repos, metrics, access };
  const extensions = deps.extensions ?? [createSyncExtension()];

  const app = Fastify({
    loggerInstance: deps.logger ?? createLogger(config.logLevel, deps.logStream),
    bodyLimit: config.bodyLimit,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
    },
    // Behind App Service or an ingress the client address comes from X-Forwarded-For, from trusted hops only.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    // Errors the router raises before any handler (bad percent-encoding, over-long ids) get the same body.
    frameworkErrors: (err, req, reply) => {
      const be = toBridgeError(err);
      void (reply as unknown as FastifyReply).status(be.statusCode).type('application/json').send(errorBody(be, req.id));
    },
  });
  app.addHook('onSend', async (req, reply) => {
    void reply.header('x-request-id', req.id);
  });

  await app.register(errorHandler);
  await app.register(unreadBody, {});
  await app.register(hardening, {
    corsOrigins: config.corsOrigins, rateLimit: config.rateLimit,
    trustedWebhook: (req) => secretMatches(presentedWebhookKey(req), config.webhookSecret),
  });
  await app.register(metricsPlugin, { metrics, token: config.metricsToken });
  await app.register(authPlugin, { verifier, rateLimit: config.rateLimit });
  await app.register(swagger, {
    openapi: {
      info: { title: 'FinOps Bridge API', version: '1.0.0', description: 'Finance data of F&O customers for Dataverse accounts, and permitted edits.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  app.get('/docs/json', { schema: { hide: true } }, async () => app.swagger());

  const dependencies = createDependencyMonitor([
    { name: 'fno', check: () => clients.fno.ping() },
    { name: 'dataverse', check: () => clients.dataverse.ping() },
  ], config.dependencyCheckMs, app.log);
  await app.register(healthRoutes, { store: { name: 'store', check: () => store.ping() }, dependencies: () => dependencies.states() });
  const notifier = createNotifier({ config, db: store.db, dialect: store.dialect, dependencies: () => dependencies.states(), log: app.log.child({ component: 'alerts' }) });

  // Each part builds what it needs from the context once, before any of its routes is registered.
  for (const e of extensions) e.init?.(ctx, app.log);

  const finance = new FinanceService({ fno: forUsers.fno, dataverse: forUsers.dataverse, access, links: repos.links, audit: repos.audit });
  await app.register(api, {
    prefix: '/api/v1',
    finance,
    idempotency: repos.idempotency,
    cacheMaxAgeSeconds: config.cacheMaxAgeSeconds,
    idempotencyTtlHours: config.idempotencyTtlHours,
    extraRoutes: [adminLogRoutes({ notifications: notifier.repo, audit: repos.audit }), ...extensions.flatMap((e) => (e.apiRoutes ? [e.apiRoutes(ctx)] : []))],
  });
  for (const e of extensions) if (e.routes) await app.register(e.routes(ctx));
  await app.register(adminConsole, { auth: config.auth, assets: deps.adminConsole?.assets ?? consoleAssets(), hostScript: deps.adminConsole?.hostScript });

  const housekeeping = startHousekeeping([
    { name: 'expired idempotency keys', run: () => repos.idempotency.purgeExpired() },
    ...extensions.flatMap((e) => e.housekeeping?.(ctx) ?? []),
  ], config.housekeepingMs, app.log);
  app.decorate('housekeeping', housekeeping);
  app.decorate('notifier', notifier);

  app.addHook('onReady', async () => {
    dependencies.start();
    for (const e of extensions) await e.start?.(ctx);
    notifier.start();
  });
  app.addHook('onClose', async () => {
    housekeeping.stop();
    dependencies.stop();
    await notifier.stop();
    for (const e of [...extensions].reverse()) await e.stop?.();
    await clients.close();
    await store.close();
  });
  app.decorate('bridge', ctx);
  return app as unknown as FastifyInstance;
}

/** Trust the first n hops in front of the bridge (Fastify's numeric trustProxy, typed as the function it means). */
function trustHops(n: number) {
  return (_address: string, hop: number) => hop < n;
}

declare module 'fastify' {
  interface FastifyInstance {
    bridge: BridgeContext;
    housekeeping: Housekeeping;
    notifier: Notifier;
  }
}
