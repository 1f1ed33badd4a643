// The slot where other parts (the sync engine in src/sync/) plug into the app: root routes (webhooks),
// API routes under /api/v1 (admin API, record sync status; zod compilers already set), and a worker
// started and stopped with the app.
import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify';
import type { BridgeConfig } from './config';
import type { Clients } from './clients/index';
import type { Store } from './db/connection';
import type { AuditRepo } from './db/repos/audit';
import type { IdempotencyRepo } from './db/repos/idempotency';
import type { LinksRepo } from './db/repos/links';
import type { Metrics } from './http/plugins/metrics';
import type { RecordAccess } from './auth/record-access';
import type { HousekeepingTask } from './db/housekeeping';

export interface BridgeContext {
  config: BridgeConfig;
  store: Store;
  clients: Clients;
  repos: { links: LinksRepo; audit: AuditRepo; idempotency: IdempotencyRepo };
  metrics: Metrics;
  /** Record-level access, asked of Dataverse: every route that names a record checks it. */
  access: RecordAccess;
}

export interface BridgeExtension {
  name: string;
  /** Builds the part from the context (once, before its routes are registered). */
  init?: (ctx: BridgeContext, log: FastifyBaseLogger) => void;
  /** Routes at the root, e.g. POST /webhooks/dataverse, POST /webhooks/fno. `app.authorize` is available. */
  routes?: (ctx: BridgeContext) => FastifyPluginAsync;
  /** Routes under /api/v1, e.g. /admin/..., /sync/records/:table/:id. */
  apiRoutes?: (ctx: BridgeContext) => FastifyPluginAsync;
  /** Called when the app is ready (after listen in server.ts, or app.ready() in tests). */
  start?: (ctx: BridgeContext) => Promise<void>;
  /** What this part keeps that must be removed in time (run by the app's housekeeping timer). */
  housekeeping?: (ctx: BridgeContext) => HousekeepingTask[];
  /** Called on close, before the store closes: finish work in flight. */
  stop?: () => Promise<void>;
}
