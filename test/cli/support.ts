// The world the CLI tests run in: the sandbox and a bridge on ephemeral ports (the e2e harness), the
// bridge NOT registering its own webhooks, so `setup` is what registers them.
import fs from 'node:fs';
import path from 'node:path';
import { sandboxEnv, type Sandbox } from '@finops-bridge/sandbox';
import { memoryIo } from '../../bridge-service/src/cli/io';
import { runCli } from '../../bridge-service/src/cli/main';
import { buildSolutionZips, readPackageVersion } from '../../solution/src/build-packages';
import { WEBHOOK_SECRET, startBridge, startWorld, type Bridge } from '../e2e/support/harness';

export { WEBHOOK_SECRET, sandboxApi, eventually, json } from '../e2e/support/harness';

export interface CliWorld { sandbox: Sandbox; bridge: Bridge; env: Record<string, string>; close(): Promise<void> }

export async function startCliWorld(): Promise<CliWorld> {
  const sandbox = await startWorld();
  const bridge = await startBridge(sandbox, { settings: { registerWebhooks: 'false' } }).catch(async (e: unknown) => {
    await sandbox.close();
    throw e;
  });
  const env = {
    ...sandboxEnv(sandbox.urls), DATAVERSE_WEBHOOK_SECRET: WEBHOOK_SECRET, BRIDGE_PUBLIC_URL: bridge.url, BRIDGE_URL: bridge.url,
    SYNC_MAPS: 'customers-accounts', HTTP_RETRIES: '0', HTTP_TIMEOUT_MS: '5000',
  };
  return { sandbox, bridge, env, close: async () => { await bridge.close(); await sandbox.close(); } };
}

/** Runs a command in-process; returns its exit code and what it printed. */
export async function cli(argv: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(argv.includes('--json'));
  const code = await runCli(argv, env, io, { pollMs: 50 });
  return { code, out: io.lines.join('\n'), err: io.errors.join('\n') };
}

/** The unmanaged solution zip, built here by the solution's own builder from the real controls build when
 * one exists (`npm run build`), otherwise from the solution tests' recorded controls output: `npm test`
 * needs nothing built first. */
export function builtSolutionZip(bridgeUrl = 'https://bridge.contoso.example'): Buffer {
  const repo = path.resolve(import.meta.dirname, '../..');
  const built = path.join(repo, 'controls', 'out', 'controls');
  const controlsDir = fs.existsSync(path.join(built, 'FinancePanel', 'ControlManifest.xml')) ? built : path.join(repo, 'solution', 'test', 'fixtures', 'controls-out');
  const zips = buildSolutionZips({ controlsDir, outDir: '', packageVersion: readPackageVersion(path.join(repo, 'package.json')), bridgeUrl });
  return Buffer.from(zips.unmanaged);
}
