// `npm run sandbox`: the three sandbox services on their fixed ports, until Ctrl+C.
import { sandboxAddresses } from './config';
import { DEMO_USERS, BRIDGE_CLIENT, EXTRA_BRIDGE_CLIENTS, TENANT_ID } from './identity/principals';
import { startSandbox } from './index';
import { blockedPortReason } from '@finops-bridge/bridge-service/ports';
import { writeRunning } from './launch/running';

async function main(): Promise<void> {
  const a = sandboxAddresses();
  for (const [name, port] of [['SANDBOX_FNO_PORT', a.fnoPort], ['SANDBOX_DATAVERSE_PORT', a.dataversePort], ['SANDBOX_IDENTITY_PORT', a.identityPort]] as const) {
    const reason = blockedPortReason(port);
    if (reason) throw new Error(`${name}=${port} cannot be used: ${reason}`);
  }
  const sb = await startSandbox({
    host: a.host,
    ports: { fno: a.fnoPort, dataverse: a.dataversePort, identity: a.identityPort },
    customers: process.env.SANDBOX_CUSTOMERS ? Number(process.env.SANDBOX_CUSTOMERS) : undefined,
    seed: process.env.SANDBOX_SEED ? Number(process.env.SANDBOX_SEED) : undefined,
    bridgeUrl: process.env.BRIDGE_PUBLIC_URL,
    // SANDBOX_DUAL_WRITE=0: a Dataverse without Microsoft's dual-write core solutions (and so without their tables).
    dualWriteCore: process.env.SANDBOX_DUAL_WRITE !== '0',
  });
  const lines = [
    'FinOps Bridge sandbox is running:',
    `  F&O OData          ${sb.urls.fno}/data`,
    `  Dataverse Web API  ${sb.urls.dataverseApi}`,
    `  Token issuer       ${sb.urls.issuer}   (tenant ${TENANT_ID})`,
    `  Token endpoint     ${sb.urls.tokenEndpoint}`,
    `  JWKS               ${sb.urls.jwks}`,
    `  Sandbox knobs      POST ${sb.urls.dataverse}/_sandbox/faults | /_sandbox/reset, GET /_sandbox/stats`,
    '',
    `  Bridge app (client credentials): client_id ${BRIDGE_CLIENT.clientId}, secret ${BRIDGE_CLIENT.clientSecret}`,
    ...EXTRA_BRIDGE_CLIENTS.map((c, i) => `  Extra bridge app ${i + 2} (EXTRA_CLIENT_IDS): client_id ${c.clientId}, secret ${c.clientSecret}`),
    '  Demo users (password "demo"):',
    ...DEMO_USERS.map((u) => `    ${u.name.padEnd(10)} ${u.upn.padEnd(32)} roles [${u.roles.join(', ')}] read ${u.readCompanies.join(',') || '-'} write ${u.writeCompanies.join(',') || '-'}`),
    '',
    '  A token: npm run -s token -- <bridge|sales|controller|admin|guest> [--resource fno|dataverse|bridge] [--v1]',
    '  Stop with Ctrl+C.',
  ];
  console.log(lines.join('\n'));
  const forgetRunning = writeRunning({ ...a, pid: process.pid });
  const stop = () => {
    console.log('Stopping the sandbox...');
    forgetRunning();
    sb.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  const msg = e instanceof Error ? e.message : String(e);
  console.error(/EADDRINUSE/.test(msg)
    ? `A sandbox port is taken (${msg}). Stop the other process or move the port with SANDBOX_FNO_PORT / SANDBOX_DATAVERSE_PORT / SANDBOX_IDENTITY_PORT.`
    : `The sandbox could not start: ${msg}`);
  process.exit(1);
});
