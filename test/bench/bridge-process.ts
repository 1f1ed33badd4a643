// Child process of the benchmark when bridge-service/src/server.ts does not load the sync engine yet:
// the same app (buildApp) with the engine extension, configured by the same environment variables
// (bridge config + SYNC_*), listening where PORT says. Prints the same "listening on" line as server.ts.
import { buildApp } from '../../bridge-service/src/app';
import { loadConfig } from '../../bridge-service/src/config';
import { createSyncExtension } from '../../bridge-service/src/sync/runtime/extension';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await buildApp(config, { extensions: [createSyncExtension()] });
  const stop = () => { app.close().then(() => process.exit(0), () => process.exit(1)); };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const address = await app.listen({ port: config.port, host: config.host });
  console.log(`FinOps Bridge listening on ${address}`);
}

main().catch((e: unknown) => {
  console.error(`The bridge could not start: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
});
