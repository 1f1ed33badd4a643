// `npm start`. With FNO_URL or DATAVERSE_URL set: the bridge alone, exactly as a real installation runs it.
// Without: the demo. It starts the sandbox (F&O, Dataverse, issuer), then the bridge through its public
// buildApp, configured by the same variables a real installation sets, plus the preview page. The product
// knows nothing of this: the arrow points from the sandbox to the product.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addressLines, blockedPortReason, buildApp, describeStartFailure, loadConfig, serve } from '@finops-bridge/bridge-service';
import { DATAVERSE_ANCHORS, startSandbox } from '../index';
import { sandboxAddresses } from '../config';
import { TENANT_ID } from '../identity/principals';
import { sandboxEnv } from './bridge-env';
import previewRoutes, { ADMIN_SIGN_IN_SCRIPT } from './preview-routes';
import { writeRunning } from './running';

const controlsDir = fileURLToPath(new URL('../../../controls/', import.meta.url));

async function bridgeOnly(): Promise<void> {
  const config = loadConfig();
  const app = await buildApp(config);
  console.log(addressLines(await serve(app, config), config).join('\n'));
}

/** The ports the demo listens on, each checked before anything starts. */
function demoPorts(env: NodeJS.ProcessEnv) {
  const a = sandboxAddresses(env);
  const bridgePort = Number(env.PORT ?? 4000);
  const named: Array<[string, number]> = [['PORT', bridgePort], ['SANDBOX_FNO_PORT', a.fnoPort], ['SANDBOX_DATAVERSE_PORT', a.dataversePort], ['SANDBOX_IDENTITY_PORT', a.identityPort]];
  for (const [name, port] of named) {
    const reason = blockedPortReason(port);
    if (reason) throw new Error(`${name}=${port} cannot be used: ${reason}`);
  }
  return { ...a, bridgePort };
}

async function demo(env: NodeJS.ProcessEnv): Promise<void> {
  if (env.DATABASE_URL) {
    throw new Error('DATABASE_URL is set, but FNO_URL and DATAVERSE_URL are not. The demo keeps its store in DATA_DIR and starts it afresh with the sandbox; unset DATABASE_URL, or point FNO_URL and DATAVERSE_URL at the services that store belongs to.');
  }
  const ports = demoPorts(env);
  const host = env.HOST ?? ports.host;
  const dataDir = path.resolve(env.DATA_DIR ?? './data', 'demo');
  // The sandbox keeps its data in memory and starts from the same seed each time. The bridge's store must
  // start with it: links and snapshots of a previous run describe rows that no longer exist, and the first
  // edit would then be taken for a conflict.
  for (const f of ['bridge.sqlite', 'bridge.sqlite-wal', 'bridge.sqlite-shm']) rmSync(path.join(dataDir, f), { force: true });
  const sandbox = await startSandbox({
    host: ports.host, ports: { fno: ports.fnoPort, dataverse: ports.dataversePort, identity: ports.identityPort },
    bridgeUrl: `http://${host}:${ports.bridgePort}`,
  });
  const forgetRunning = writeRunning({ ...ports, pid: process.pid }, env);
  try {
    // The demo's rows exist on both sides already: link them by an initial sync when the bridge starts.
    process.env.SYNC_INITIAL_SYNC_ON_START ??= 'true';
    const config = loadConfig({
      ...env, ...sandboxEnv(sandbox.urls), DATA_DIR: dataDir, HOST: host, PORT: String(ports.bridgePort),
      // The webhook secret the bridge registers with the sandbox: one for this run only.
      DATAVERSE_WEBHOOK_SECRET: env.DATAVERSE_WEBHOOK_SECRET ?? randomBytes(24).toString('base64url'),
    });
    // The admin console (/admin) signs the demo users in through the preview's host script.
    const app = await buildApp(config, { adminConsole: { hostScript: ADMIN_SIGN_IN_SCRIPT } });
    await app.register(previewRoutes, {
      controlsOutDir: path.join(controlsDir, 'out', 'controls'), hostDir: path.join(controlsDir, 'preview-host'),
      dataverseUrl: sandbox.urls.dataverse, identityUrl: new URL(sandbox.urls.issuer).origin,
    });
    const address = await serve(app, config, { afterClose: async () => { forgetRunning(); await sandbox.close(); } });
    const example = await app.bridge.clients.dataverse
      .list('accounts', { select: ['accountid', 'accountnumber'], filter: 'accountnumber ne null', top: 1, limit: 1 })
      .then((rows) => (rows[0] ? String(rows[0].accountid) : '<accountId>'))
      .catch(() => '<accountId>');
    console.log([
      ...addressLines(address, config),
      `  preview    ${address}/preview/  (a CE-like account form with the controls; run npm run build once)`,
      `  console    ${address}/admin/  (the admin console: sign in as admin)`,
      `  (demo: the sandbox, tenant ${TENANT_ID}; it starts afresh each time, and so does the bridge's demo store in ${dataDir})`,
      '  in a second terminal (it finds this sandbox by itself):',
      '    get a token:  npm run -s token -- sales   (users: sales, controller, admin, guest)',
      `    then:         curl -H "Authorization: Bearer $(npm run -s token -- sales | tail -1)" ${address}/api/v1/accounts/${example}/finance`,
      // A person customer (NL-002 in nlmf, which sales reads): the initial sync links its contact under customers-contacts.
      `    a person customer (contact): ${address}/api/v1/contacts/${DATAVERSE_ANCHORS.nlPerson}/finance`,
      '    admin:        npm run admin -- status',
    ].join('\n'));
  } catch (e) {
    forgetRunning();
    await sandbox.close();
    throw e;
  }
}

const env = process.env;
(env.FNO_URL || env.DATAVERSE_URL ? bridgeOnly() : demo(env)).catch((err: unknown) => {
  const msg = describeStartFailure(err);
  console.error(/EADDRINUSE/.test(msg) && !(env.FNO_URL || env.DATAVERSE_URL)
    ? `${msg}\nA port of the demo is taken: stop the other process (an earlier npm start?) or move the ports with PORT, SANDBOX_FNO_PORT, SANDBOX_DATAVERSE_PORT, SANDBOX_IDENTITY_PORT.`
    : msg);
  process.exit(1);
});
