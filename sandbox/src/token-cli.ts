// `npm run -s token -- <principal> [--resource fno|dataverse|bridge] [--v1]`: asks the RUNNING sandbox issuer
// for a bearer token and prints it on the last line, so `TOKEN=$(npm run -s token -- sales | tail -1)` works.
import { findSandbox } from './launch/running';
import { BRIDGE_API, BRIDGE_CLIENT, CONTROLS_CLIENT_ID, DEMO_USERS, TENANT_ID } from './identity/principals';

type Resource = 'fno' | 'dataverse' | 'bridge';
const PRINCIPALS = ['bridge', ...DEMO_USERS.map((u) => u.name)];

export interface TokenRequest {
  url: string;
  form: URLSearchParams;
}

/** The grant part of a demo principal's token request: client credentials for the bridge's app, the
 * password grant (password "demo") for the demo users. */
export function credentialsForm(principal: string): URLSearchParams {
  const form = new URLSearchParams();
  if (principal === 'bridge') {
    form.set('grant_type', 'client_credentials');
    form.set('client_id', BRIDGE_CLIENT.clientId);
    form.set('client_secret', BRIDGE_CLIENT.clientSecret);
  } else {
    form.set('grant_type', 'password');
    form.set('client_id', CONTROLS_CLIENT_ID);
    form.set('username', principal);
    form.set('password', 'demo');
  }
  return form;
}

/** Pure: which endpoint and form a principal's token request uses. */
export function tokenRequest(principal: string, resource: Resource, v1: boolean, env: NodeJS.ProcessEnv = process.env): TokenRequest {
  const a = findSandbox(env);
  const resourceId = resource === 'fno' ? `http://${a.host}:${a.fnoPort}`
    : resource === 'dataverse' ? `http://${a.host}:${a.dataversePort}` : BRIDGE_API.appIdUri;
  const base = `http://${a.host}:${a.identityPort}/${TENANT_ID}`;
  const form = credentialsForm(principal);
  if (v1) form.set('resource', resourceId);
  else form.set('scope', `${resourceId}/.default`);
  return { url: v1 ? `${base}/oauth2/token` : `${base}/oauth2/v2.0/token`, form };
}

export function parseArgs(argv: string[]): { principal: string; resource: Resource; v1: boolean } | string {
  const principal = argv.find((a) => !a.startsWith('--'));
  if (!principal || !PRINCIPALS.includes(principal)) {
    return `Usage: npm run -s token -- <${PRINCIPALS.join('|')}> [--resource fno|dataverse|bridge] [--v1]`;
  }
  const i = argv.indexOf('--resource');
  const r = i >= 0 ? argv[i + 1] : principal === 'bridge' ? 'fno' : 'bridge';
  if (r !== 'fno' && r !== 'dataverse' && r !== 'bridge') return `Unknown resource '${r}': use fno, dataverse or bridge.`;
  return { principal, resource: r, v1: argv.includes('--v1') };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    console.error(args);
    return 2;
  }
  const req = tokenRequest(args.principal, args.resource, args.v1);
  let res: Response;
  try {
    res = await fetch(req.url, { method: 'POST', body: req.form, signal: AbortSignal.timeout(5000) });
  } catch {
    console.error(`No sandbox issuer answers at ${new URL(req.url).origin}. Start it first with "npm start" or "npm run sandbox" (a sandbox started with other ports is found through data/sandbox.json; or set SANDBOX_IDENTITY_PORT here too).`);
    return 1;
  }
  const body = (await res.json()) as { access_token?: string; error?: string; error_description?: string };
  if (!res.ok || !body.access_token) {
    console.error(`The issuer refused: ${body.error ?? res.status}: ${body.error_description ?? ''}`);
    return 1;
  }
  console.log(body.access_token);
  return 0;
}

if (process.argv[1] && /token-cli\.ts$/.test(process.argv[1])) {
  main().then((code) => { process.exitCode = code; }, (err: unknown) => { console.error(err); process.exitCode = 1; });
}
