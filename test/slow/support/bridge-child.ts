// A bridge in its own process, for trials that kill it abruptly (SIGKILL). Reads the sandbox addresses
// from SANDBOX_URLS (JSON), its store from DATA_DIR or DATABASE_URL, the port from PORT (0 = any: a
// restarted bridge takes its old port, so the webhooks F&O and Dataverse hold still reach it) and engine
// settings from ENGINE_SETTINGS (JSON). Logs (pino, LOG_LEVEL) go to stdout; the line {"url": ...}
// says it is listening.
import { sandboxEnv, type Sandbox } from '@finops-bridge/sandbox';
import { buildApp } from '../../../bridge-service/src/app';
import { loadConfig, type EngineSettings } from '../../../bridge-service/src/config';
import { createSyncExtension } from '../../../bridge-service/src/sync/runtime/extension';
import { WEBHOOK_SECRET } from '../../e2e/support/harness';

const urls = JSON.parse(process.env.SANDBOX_URLS ?? '{}') as Sandbox['urls'];
const settings = JSON.parse(process.env.ENGINE_SETTINGS ?? '{}') as Partial<EngineSettings>;
const config = loadConfig({
  ...sandboxEnv(urls), PORT: '0', HOST: '127.0.0.1', DATA_DIR: process.env.DATA_DIR ?? '', DATAVERSE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', RATE_LIMIT_MAX: '100000', RATE_LIMIT_ADDRESS_MAX: '1000000', ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
});
const sync = createSyncExtension({
  env: {},
  settings: { maps: ['customers-accounts'], pollMs: 50, sweepMs: 0, backoffBaseMs: 50, backoffCapMs: 1000, registerWebhooks: 'true', ...settings },
});
const app = await buildApp(config, { extensions: [sync] });
const url = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
