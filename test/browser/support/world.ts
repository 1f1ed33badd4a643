// Sandbox + bridge (with the preview page and the sync engine) in this process, on ephemeral ports. The e2e
// harness does not register the preview, and the sandbox must know the bridge's address before it starts
// (it seeds fob_BridgeUrl, which the controls read), so the bridge port is reserved first.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { ADMIN_SIGN_IN_SCRIPT, previewRoutes, sandboxEnv, startSandbox, type Sandbox } from '@finops-bridge/sandbox';
import { buildApp } from '../../../bridge-service/src/app';
import { loadConfig } from '../../../bridge-service/src/config';
import { createSyncExtension } from '../../../bridge-service/src/sync/runtime/extension';
import { freePort } from '../../support/ports';

export const CONTROLS_DIR = fileURLToPath(new URL('../../../controls/', import.meta.url));
export const CONTROLS_OUT = path.join(CONTROLS_DIR, 'out', 'controls');

export interface PreviewWorld {
  sandbox: Sandbox;
  app: FastifyInstance;
  /** The bridge's base URL, e.g. http://127.0.0.1:41234 (the preview is at `${bridgeUrl}/preview/`). */
  bridgeUrl: string;
  close(): Promise<void>;
}


export async function startPreviewWorld(): Promise<PreviewWorld> {
  const port = await freePort();
  const bridgeUrl = `http://127.0.0.1:${port}`;
  const sandbox = await startSandbox({ customers: 30, quiet: true, fastRetries: true, bridgeUrl });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-browser-'));
  try {
    const config = loadConfig({
      ...sandboxEnv(sandbox.urls),
      PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: process.env.BROWSER_LOG ?? 'silent',
      DATAVERSE_WEBHOOK_SECRET: 'browser-webhook-secret-0123456789abcdef', RATE_LIMIT_MAX: '100000', RATE_LIMIT_ADDRESS_MAX: '1000000',
    });
    const sync = createSyncExtension({
      env: {},
      // The initial sync links the accounts to their customers, as on a tenant: finance edits go only through a link.
      settings: { maps: ['customers-accounts'], pollMs: 50, sweepMs: 0, backoffBaseMs: 50, backoffCapMs: 1000, registerWebhooks: 'true', initialSyncOnStart: true },
    });
    // The admin console signs the demo users in as `npm start` does: through the preview's host script.
    const app = await buildApp(config, { extensions: [sync], adminConsole: { hostScript: ADMIN_SIGN_IN_SCRIPT } });
    await app.register(previewRoutes, {
      controlsOutDir: CONTROLS_OUT,
      hostDir: path.join(CONTROLS_DIR, 'preview-host'),
      dataverseUrl: sandbox.urls.dataverse,
      identityUrl: new URL(sandbox.urls.issuer).origin,
    });
    await app.listen({ port, host: '127.0.0.1' });
    // Until the start's initial sync is done (it starts on listen).
    for (const until = Date.now() + 60_000; (await sync.initialSync().progress('customers-accounts')).state !== 'done';) {
      if (Date.now() > until) throw new Error('the initial sync of customers-accounts did not finish within 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    return {
      sandbox, app, bridgeUrl,
      async close() {
        await app.close();
        await sandbox.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await sandbox.close();
    throw e;
  }
}
