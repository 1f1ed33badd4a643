// A bridge in its own process, for tests that kill it abruptly (SIGKILL). Reads the sandbox addresses
// from SANDBOX_URLS (JSON) and its store from DATA_DIR or DATABASE_URL; prints {"url": ...} when listening.
import type { Sandbox } from '@finops-bridge/sandbox';
import { startBridge } from '../../e2e/support/harness';

const urls = JSON.parse(process.env.SANDBOX_URLS ?? '{}') as Sandbox['urls'];
const bridge = await startBridge({ urls } as Sandbox, {
  dataDir: process.env.DATA_DIR,
  databaseUrl: process.env.DATABASE_URL,
  settings: { initialMapState: 'not_running' },
});
process.stdout.write(`${JSON.stringify({ url: bridge.url })}\n`);
process.on('SIGTERM', () => void bridge.close().then(() => process.exit(0)));
