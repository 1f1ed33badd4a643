// The bridge process: read the configuration (environment variables; a .env file through Node's
// --env-file), build the app, listen, and drain gracefully on SIGTERM/SIGINT. Nothing else.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { ConfigError, loadConfig, type BridgeConfig } from './config';

export interface ServeOptions {
  /** Runs after the app closed (requests drained, store closed), before the process exits. */
  afterClose?: () => Promise<void>;
  /** Milliseconds the drain may take before the process exits anyway. */
  forceAfterMs?: number;
}

/** Listens on the configured address and exits the process cleanly on SIGTERM/SIGINT. Returns the address. */
export async function serve(app: FastifyInstance, config: Pick<BridgeConfig, 'port' | 'host'>, opts: ServeOptions = {}): Promise<string> {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: draining requests in flight');
    const force = setTimeout(() => process.exit(1), opts.forceAfterMs ?? 15_000).unref();
    // app.close() stops accepting, waits for requests in flight, then closes the store (onClose hooks).
    app.close()
      .then(() => opts.afterClose?.())
      .then(() => {
        clearTimeout(force);
        process.exit(0);
      })
      .catch((err: unknown) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  return app.listen({ port: config.port, host: config.host });
}

/** Human-readable lines naming every address of a running bridge. */
export function addressLines(address: string, config: BridgeConfig): string[] {
  return [
    `FinOps Bridge listening on ${address}`,
    `  API        ${address}/api/v1/accounts/<accountId>/finance`,
    `  OpenAPI    ${address}/docs/json`,
    `  health     ${address}/health , ${address}/ready${config.metricsToken ? ` , ${address}/metrics (bearer METRICS_TOKEN)` : ''}`,
    `  F&O        ${config.fnoUrl}/data`,
    `  Dataverse  ${config.dataverseUrl}/api/data/v9.2`,
    `  issuer     ${config.auth.issuers.join(' , ')}`,
  ];
}

export function describeStartFailure(err: unknown): string {
  if (err instanceof ConfigError) return err.message;
  const msg = err instanceof Error ? err.message : String(err);
  return /EADDRINUSE/.test(msg)
    ? `The bridge could not start: ${msg}. Another process uses that port: stop it, or set PORT.`
    : `The bridge could not start: ${msg}`;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await buildApp(config);
  const address = await serve(app, config);
  console.log(addressLines(address, config).join('\n'));
}

/** True when this file is the process's entry (node server.js, tsx server.ts), not an import. */
function isEntry(): boolean {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntry()) {
  main().catch((err: unknown) => {
    console.error(describeStartFailure(err));
    process.exit(1);
  });
}
