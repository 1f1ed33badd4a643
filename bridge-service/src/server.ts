// Runs the bridge process: configuration, optional embedded sandbox, listen, graceful shutdown.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';
import { sandboxEnv, startEmbeddedSandbox, type SandboxHandle } from './embedded-sandbox';
import { TENANT_ID } from '../../sandbox/src/identity/principals';

async function main(): Promise<void> {
  let config = loadConfig();
  let sandbox: SandboxHandle | undefined;
  if (config.embeddedSandbox) {
    sandbox = await startEmbeddedSandbox();
    config = loadConfig({ ...process.env, ...sandboxEnv(sandbox.urls) });
    // The demo's rows exist on both sides already: link them by an initial sync on the first start.
    process.env.SYNC_INITIAL_SYNC_ON_START ??= 'true';
  }
  const controlsDir = fileURLToPath(new URL('../../controls/', import.meta.url));
  const preview = sandbox
    ? {
        controlsOutDir: path.join(controlsDir, 'out', 'controls'),
        hostDir: path.join(controlsDir, 'preview-host'),
        dataverseUrl: sandbox.urls.dataverse,
        identityUrl: new URL(sandbox.urls.issuer).origin,
      }
    : undefined;
  const app = await buildApp(config, { preview });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: draining requests in flight');
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    // app.close() stops accepting, waits for requests in flight, then closes the store (onClose hooks).
    app.close()
      .then(() => sandbox?.close())
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

  const address = await app.listen({ port: config.port, host: config.host });
  const lines = [
    `FinOps Bridge listening on ${address}`,
    `  API        ${address}/api/v1/accounts/<accountId>/finance`,
    `  OpenAPI    ${address}/docs/json`,
    ...(preview ? [`  preview    ${address}/preview/  (a CE-like account form with the controls; run npm run build once)`] : []),
    `  health     ${address}/health , ${address}/ready , ${address}/metrics`,
    `  F&O        ${config.fnoUrl}/data`,
    `  Dataverse  ${config.dataverseUrl}/api/data/v9.2`,
    `  issuer     ${config.auth.issuers.join(' , ')}`,
  ];
  if (sandbox) {
    const example = await app.bridge.clients.dataverse
      .list('accounts', { select: ['accountid', 'accountnumber'], filter: 'accountnumber ne null', top: 1, limit: 1 })
      .then((rows) => (rows[0] ? `${String(rows[0].accountid)}` : '<accountId>'))
      .catch(() => '<accountId>');
    lines.push(
      `  (embedded sandbox, tenant ${TENANT_ID})`,
      `  get a token:  npm run -s token -- sales   (users: sales, controller, admin, guest)`,
      `  then:         curl -H "Authorization: Bearer $(npm run -s token -- sales | tail -1)" ${address}/api/v1/accounts/${example}/finance`,
    );
  }
  console.log(lines.join('\n'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
  } else {
    console.error('The bridge could not start:', err instanceof Error ? err.message : err);
  }
  process.exit(1);
});
