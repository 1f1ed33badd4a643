// The sync engine as a bridge extension (the slot in app.ts): webhook routes at the root, admin API
// and record status under /api/v1, worker + sweep + interrupted initial syncs started with the app
// and stopped (gracefully) before the store closes. In sandbox mode it also registers its webhooks.
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { BridgeContext, BridgeExtension } from '../../extensions';
import type { TableMap } from '../core/maps/types';
import { adminRoutes } from '../../http/routes/admin';
import { loadEngineSettings, targetsLoopback, type EngineSettings } from '../../config';
import { createSyncEngine, type SyncEngine } from './engine';
import { createInitialSync, type InitialSync } from '../initial-sync/initial-sync';
import { registerWebhooks } from './registration';
import { webhookRoutes } from '../../http/routes/webhooks';
import { listenForWork, type Wakeup } from '../../db/pg-wakeup';
import { backoffDelay } from '../../clients/backoff';
import { executionOrder } from '../core/maps/order';
import { mapsWithFile } from './maps-file';

export interface SyncExtensionOptions {
  settings?: Partial<EngineSettings>;
  env?: NodeJS.ProcessEnv;
  /** Map definitions (default: the shipped maps). */
  maps?: readonly TableMap[];
}

export interface SyncExtension extends BridgeExtension {
  /** The engine of this app (after the app was built). */
  engine(): SyncEngine;
  initialSync(): InitialSync;
}

export function isSandboxTarget(ctx: BridgeContext): boolean {
  return targetsLoopback(ctx.config);
}

export function createSyncExtension(opts: SyncExtensionOptions = {}): SyncExtension {
  const settings = loadEngineSettings(opts.env ?? process.env, opts.settings);
  let engine: SyncEngine | undefined;
  let initial: InitialSync | undefined;
  let wakeup: Wakeup | undefined;
  let stopping = false;
  let registrationRetry: NodeJS.Timeout | undefined;

  const getEngine = () => {
    if (!engine) throw new Error('the sync engine is not built yet');
    return engine;
  };
  const getInitial = () => {
    if (!initial) throw new Error('the sync engine is not built yet');
    return initial;
  };

  return {
    name: 'sync-engine',
    engine: getEngine,
    initialSync: getInitial,

    init(ctx, log) {
      engine = createSyncEngine(ctx, settings, log.child({ component: 'sync' }) as unknown as Logger, opts.maps ?? mapsWithFile(settings.mapsFile));
      initial = createInitialSync(engine);
    },

    routes: (ctx) => async (app) => {
      await app.register(webhookRoutes(getEngine));
      const register = settings.registerWebhooks === 'true' || (settings.registerWebhooks === 'auto' && isSandboxTarget(ctx));
      if (register) {
        app.addHook('onListen', async () => {
          const e = getEngine();
          const addr = app.server.address() as AddressInfo | null;
          const url = settings.publicUrl ?? (addr ? `http://${addr.address.includes(':') ? `[${addr.address}]` : addr.address}:${addr.port}` : undefined);
          if (!url || !ctx.config.webhookSecret) {
            e.log.warn('webhooks not registered: the bridge URL (BRIDGE_PUBLIC_URL) or DATAVERSE_WEBHOOK_SECRET is unknown');
            return;
          }
          const secret = ctx.config.webhookSecret;
          // A service that is down at start must not leave the bridge deaf: retry with backoff until it works.
          const attempt = async (n: number): Promise<void> => {
            if (stopping) return;
            try {
              const r = await registerWebhooks(ctx.clients, e.maps, url, secret);
              e.log.info({ url, created: r.created.length, updated: r.updated.length, deleted: r.deleted.length, fno: r.fnoSubscription }, 'webhooks registered');
            } catch (err) {
              const wait = backoffDelay(n, { baseMs: 1_000, capMs: 60_000 });
              e.log.error({ err: err instanceof Error ? err.message : String(err), retryInMs: wait }, 'webhook registration failed; retrying (until then changes are only found by the reconciliation sweep)');
              registrationRetry = setTimeout(() => void attempt(n + 1), wait);
              registrationRetry.unref();
            }
          };
          await attempt(1);
        });
      }
    },

    apiRoutes: (ctx) => async (app) => {
      await app.register(adminRoutes(getEngine, getInitial, ctx.access));
    },

    housekeeping: () => [{
      name: 'old change events',
      run: () => getEngine().queue.purgeEvents(new Date(Date.now() - settings.eventRetentionMs).toISOString()),
    }],

    async start() {
      const e = getEngine();
      await e.mapsRepo.ensure(e.maps.map((m) => m.name), settings.initialMapState);
      if (settings.worker) {
        e.worker.start();
        if (e.ctx.config.databaseUrl) wakeup = listenForWork(e.ctx.config.databaseUrl, () => e.worker.wake(), e.log);
        e.sweeper.start(settings.sweepMs);
        await getInitial().resumeInterrupted();
        if (settings.initialSyncOnStart) void initialSyncOfNewMaps(e, getInitial());
      }
    },

    async stop() {
      stopping = true;
      clearTimeout(registrationRetry);
      if (!engine) return;
      await initial?.stop();
      engine.sweeper.stop();
      await wakeup?.stop();
      await engine.worker.stop({ graceful: true, timeoutMs: 15_000 });
    },
  };
}

/** First start (the embedded sandbox's demo): links every existing row, map after map in dependency order. */
async function initialSyncOfNewMaps(engine: SyncEngine, initial: InitialSync): Promise<void> {
  for (const map of executionOrder(engine.maps)) {
    if (map.direction === 'dataverse_to_fno') continue;
    try {
      if ((await initial.progress(map.name)).state !== 'never') continue;
      await initial.start(map.name, {});
      await initial.wait(map.name);
    } catch (err) {
      engine.log.warn({ map: map.name, err: err instanceof Error ? err.message : String(err) }, 'initial sync on start skipped');
    }
  }
  engine.log.info('initial sync on start finished');
}
