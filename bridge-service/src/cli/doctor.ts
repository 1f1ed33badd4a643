// `finops-bridge doctor`: checks, one at a time and in order, what the bridge needs, and says for each
// problem what is wrong and how to fix it. Probes use plain fetch without retries, so a dead service
// shows up in seconds.
import { ConfigError, targetsLoopback } from '../config';
import { createTokenProvider } from '../clients/token-provider';
import { describeCredential } from '../clients/credentials';
import { ENDPOINT_NAME, wantedSteps } from '../sync/runtime/registration';
import { WEBHOOK_HEADER } from '../http/routes/webhooks';
import { loadCliContext, type CliContext } from './context';
import { dualWriteSteps, otherIntegrations, probeWebhookBody, reportLines, type Check } from './doctor-checks';
import { credentialCheck, principalName, tokenAppId, tokenFix } from './doctor-credential';
import { autoDeleteCheck, companyOwnerChecks, environmentVariableChecks, hostingChecks, solutionChecks } from './doctor-tenant';
import { DEFINITION_QUERY, schemaChecks, type TableDefinition } from './doctor-schema';
import { EXIT, type Io } from './io';
import { BALANCE_ENTITY_SET } from '../finance/service';

const TIMEOUT_MS = 5000;
type Probe = { status: number; body: unknown } | { error: string };

async function probe(url: string, init: RequestInit = {}): Promise<Probe> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const text = await res.text();
    let body: unknown = text;
    try { body = JSON.parse(text); } catch { /* not JSON: keep the text */ }
    return { status: res.status, body };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { error: cause ?? (err as Error).message };
  }
}

function configChecks(env: NodeJS.ProcessEnv, checks: Check[]): CliContext | undefined {
  let ctx: CliContext;
  try {
    ctx = loadCliContext(env);
  } catch (err) {
    const problems = err instanceof ConfigError ? err.problems : [(err as Error).message];
    for (const p of problems) {
      checks.push({ name: `configuration ${p.split(':')[0]}`, status: 'fail', detail: p, fix: 'set it in the environment (see bridge-service/.env.example) and run doctor again' });
    }
    return undefined;
  }
  const c = ctx.config;
  checks.push({ name: 'configuration', status: 'ok', detail: `F&O ${c.fnoUrl}, Dataverse ${c.dataverseUrl}` });
  checks.push(credentialCheck(c.outbound.credential));
  checks.push(ctx.webhookSecret
    ? { name: 'configuration DATAVERSE_WEBHOOK_SECRET', status: 'ok', detail: 'set' }
    : { name: 'configuration DATAVERSE_WEBHOOK_SECRET', status: 'fail', detail: 'not set: the bridge cannot authenticate webhooks', fix: 'set DATAVERSE_WEBHOOK_SECRET (16+ random characters) for the bridge and for setup, then run `finops-bridge setup`' });
  const publicSet = Boolean(env.BRIDGE_PUBLIC_URL ?? env.BRIDGE_URL);
  checks.push(publicSet || targetsLoopback(c)
    ? { name: 'configuration BRIDGE_PUBLIC_URL', status: 'ok', detail: ctx.bridgeUrl }
    : { name: 'configuration BRIDGE_PUBLIC_URL', status: 'warn', detail: `not set: assuming ${ctx.bridgeUrl}, which Dataverse in the cloud cannot reach`, fix: 'set BRIDGE_PUBLIC_URL to the https address where Dataverse and F&O reach the bridge' });
  return ctx;
}

async function tokenCheck(ctx: CliContext, label: string, resource: string, checks: Check[]): Promise<string | undefined> {
  const credential = ctx.config.outbound.credential;
  const provider = createTokenProvider({ credential, timeoutMs: TIMEOUT_MS, retryDelaysMs: [] });
  try {
    const token = await provider.getToken(resource);
    const app = tokenAppId(token);
    checks.push({ name: `token for ${label}`, status: 'ok', detail: `${describeCredential(credential)}: token for ${resource} received${app && app !== credential.clientId ? ` (its app id is ${app})` : ''}` });
    return token;
  } catch (err) {
    checks.push({ name: `token for ${label}`, status: 'fail', detail: `${describeCredential(credential)}: ${(err as Error).message}`, fix: tokenFix(credential, (err as Error).message) });
    return undefined;
  }
}

const LOCAL_HINT = ' (a service on this machine: is it running? For the demo: `npm start` or `npm run sandbox`)';

async function serviceCheck(name: string, url: string, token: string | undefined, rejectedFix: string, checks: Check[], hint = ''): Promise<boolean> {
  const r = await probe(url, { headers: token ? { authorization: `Bearer ${token}`, accept: 'application/json' } : {} });
  if ('error' in r) {
    checks.push({ name: `${name} reachable`, status: 'fail', detail: `no answer from ${new URL(url).origin} (${r.error})`, fix: `check the URL in the configuration, DNS, firewall/proxy, and that ${name} is running${hint}` });
    return false;
  }
  if (!token) {
    checks.push({ name: `${name} reachable`, status: 'ok', detail: `answers (HTTP ${r.status}); access not checked without a token` });
    return false;
  }
  if (r.status === 401 || r.status === 403) {
    checks.push({ name: `${name} access`, status: 'fail', detail: `answers ${r.status} to a valid token of the bridge's service principal`, fix: rejectedFix });
    return false;
  }
  if (r.status >= 400) {
    checks.push({ name: `${name} access`, status: 'fail', detail: `answers HTTP ${r.status}`, fix: `retry later; if it persists, check ${name}'s service health` });
    return false;
  }
  checks.push({ name: `${name} access`, status: 'ok', detail: `reachable and accepts the service principal (HTTP ${r.status})` });
  return true;
}

/**
 * Every extra application user (EXTRA_CLIENT_IDS): gets a Dataverse token and is accepted by Dataverse (WhoAmI),
 * each named by its client id. F&O is not asked: the bridge sends F&O requests as its first user only.
 */
/** The panel's balance and overdue amount come from the bridge's own F&O entity, which standard F&O does not have. */
async function balanceEntityCheck(ctx: CliContext, token: string, checks: Check[]): Promise<void> {
  const name = 'F&O balance entity';
  const r = await probe(`${ctx.config.fnoUrl}/data/${BALANCE_ENTITY_SET}?$top=1&cross-company=true`, { headers: { authorization: `Bearer ${token}` } });
  if ('error' in r) { checks.push({ name, status: 'warn', detail: `${BALANCE_ENTITY_SET} could not be read (${r.error})`, fix: 'run doctor again; if it persists, check F&O' }); return; }
  if (r.status === 200) { checks.push({ name, status: 'ok', detail: `${BALANCE_ENTITY_SET} answers: the panel shows balance and overdue amount` }); return; }
  checks.push({
    name, status: 'warn',
    detail: r.status === 404
      ? `F&O has no ${BALANCE_ENTITY_SET} entity: the panel shows balance and overdue amount as unavailable (never 0); everything else works`
      : `${BALANCE_ENTITY_SET} answers HTTP ${r.status}: the panel shows balance and overdue amount as unavailable`,
    fix: r.status === 404
      ? `deploy the read-only ${BALANCE_ENTITY_SET} entity to F&O (docs/admin-guide.md, "Balance and overdue amount")`
      : `give the application's F&O user read access to ${BALANCE_ENTITY_SET}`,
  });
}

async function extraUserChecks(ctx: CliContext, checks: Check[]): Promise<void> {
  const extra = ctx.config.outbound.extraCredentials;
  const total = extra.length + 1;
  for (const [i, credential] of extra.entries()) {
    const name = `application user ${i + 2} of ${total} (${credential.clientId})`;
    let token: string;
    try {
      token = await createTokenProvider({ credential, timeoutMs: TIMEOUT_MS, retryDelaysMs: [] }).getToken(ctx.config.dataverseUrl);
    } catch (err) {
      checks.push({ name, status: 'fail', detail: `no Dataverse token: ${(err as Error).message}`,
        fix: `check entry ${i + 1} of EXTRA_CLIENT_IDS and EXTRA_CLIENT_SECRETS against the app registration ${credential.clientId} (Certificates & secrets: is the secret current?)` });
      continue;
    }
    const r = await probe(`${ctx.config.dataverseUrl}/api/data/v9.2/WhoAmI`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    if ('error' in r || r.status >= 400) {
      const refused = !('error' in r) && (r.status === 401 || r.status === 403);
      checks.push({ name, status: 'fail', detail: `Dataverse ${'error' in r ? `did not answer (${r.error})` : `answers HTTP ${r.status} to its token`}`,
        fix: refused
          ? `create an application user for app ${credential.clientId} in Dataverse (Power Platform admin center > environment > Settings > Users + permissions > Application users) with the same security role as the first, or remove it from EXTRA_CLIENT_IDS`
          : 'retry later; if it persists, check Dataverse\'s service health' });
      continue;
    }
    const id = (r.body as { UserId?: unknown }).UserId;
    checks.push({ name, status: 'ok', detail: `Dataverse accepts it (WhoAmI: systemuser ${typeof id === 'string' ? id : '?'}); bulk writes are spread over ${total} users` });
  }
}

async function dvGet(ctx: CliContext, token: string, query: string): Promise<Record<string, unknown>[] | string> {
  const r = await probe(`${ctx.config.dataverseUrl}/api/data/v9.2/${query}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  if ('error' in r) return r.error;
  if (r.status >= 400) return `HTTP ${r.status}`;
  return (r.body as { value?: Record<string, unknown>[] }).value ?? [];
}

/** A table's definition; null when Dataverse has no such table (404). */
async function dvDefinition(ctx: CliContext, token: string, table: string): Promise<TableDefinition | null | string> {
  const r = await probe(`${ctx.config.dataverseUrl}/api/data/v9.2/${DEFINITION_QUERY(table)}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  if ('error' in r) return r.error;
  if (r.status === 404) return null;
  if (r.status >= 400) return `HTTP ${r.status}`;
  return r.body as TableDefinition;
}

async function registrationChecks(ctx: CliContext, token: string, checks: Check[]): Promise<void> {
  const setupFix = 'run `finops-bridge setup` (with the bridge\'s BRIDGE_PUBLIC_URL and DATAVERSE_WEBHOOK_SECRET)';
  const eps = await dvGet(ctx, token, `serviceendpoints?$filter=name eq '${ENDPOINT_NAME}'&$select=serviceendpointid,url,contract,authtype`);
  if (typeof eps === 'string') {
    checks.push({ name: 'webhook registration', status: 'fail', detail: `cannot read serviceendpoints (${eps})`, fix: 'give the application user read access to Service Endpoint and SDK Message Processing Step (see docs/admin-guide.md)' });
    return;
  }
  const ep = eps[0];
  const want = `${ctx.bridgeUrl}/webhooks/dataverse`;
  if (!ep) {
    checks.push({ name: 'webhook registration', status: 'fail', detail: `no service endpoint named "${ENDPOINT_NAME}": Dataverse sends no changes to the bridge`, fix: setupFix });
    return;
  }
  checks.push(ep.url === want
    ? { name: 'webhook endpoint', status: 'ok', detail: `points at ${want}` }
    : { name: 'webhook endpoint', status: 'fail', detail: `points at ${String(ep.url)}, not at ${want}`, fix: setupFix });
  const steps = await dvGet(ctx, token, `sdkmessageprocessingsteps?$filter=_eventhandler_value eq ${String(ep.serviceendpointid)}&$select=name,stage,mode,asyncautodelete`);
  const names = new Set(typeof steps === 'string' ? [] : steps.map((s) => String(s.name)));
  const missing = wantedSteps(ctx.maps).filter((w) => !names.has(w.name)).map((w) => w.name);
  checks.push(missing.length === 0
    ? { name: 'webhook steps', status: 'ok', detail: `${names.size} steps for the tables of ${ctx.maps.map((m) => m.name).join(', ')}` }
    : { name: 'webhook steps', status: 'fail', detail: `missing: ${missing.join('; ')}`, fix: setupFix });
  if (typeof steps !== 'string' && steps.length > 0) autoDeleteCheck(steps, checks);
}

async function bridgeWebhookChecks(ctx: CliContext, checks: Check[]): Promise<void> {
  const url = `${ctx.bridgeUrl}/webhooks/dataverse`;
  const send = (key: string) => probe(url, { method: 'POST', headers: { 'content-type': 'application/json', [WEBHOOK_HEADER]: key }, body: probeWebhookBody() });
  const good = await send(ctx.webhookSecret ?? '');
  if ('error' in good) {
    checks.push({ name: 'bridge webhook', status: 'fail', detail: `the bridge does not answer at ${ctx.bridgeUrl} (${good.error})`, fix: 'start the bridge (npm start), or set BRIDGE_PUBLIC_URL to where it runs' });
    return;
  }
  if (good.status === 401) {
    checks.push({ name: 'bridge webhook secret', status: 'fail', detail: 'the bridge refuses the configured DATAVERSE_WEBHOOK_SECRET: it runs with another secret, so it refuses every webhook',
      fix: 'give the bridge and setup the same DATAVERSE_WEBHOOK_SECRET, restart the bridge, run `finops-bridge setup`' });
  } else if (good.status >= 400) {
    checks.push({ name: 'bridge webhook secret', status: 'fail', detail: `a signed test webhook got HTTP ${good.status}`, fix: 'read the bridge log for the request; upgrade the bridge if the route is missing' });
  } else {
    checks.push({ name: 'bridge webhook secret', status: 'ok', detail: 'a test webhook signed with the configured secret is accepted' });
  }
  const bad = await send(`wrong-${Date.now()}`);
  checks.push(!('error' in bad) && bad.status === 401
    ? { name: 'bridge webhook authentication', status: 'ok', detail: 'a wrong secret is refused with 401' }
    : { name: 'bridge webhook authentication', status: 'fail', detail: `a wrong secret got ${'error' in bad ? bad.error : `HTTP ${bad.status}`}, not 401`, fix: 'the bridge must refuse unsigned webhooks: set DATAVERSE_WEBHOOK_SECRET for it and restart' });
}

async function coexistenceCheck(ctx: CliContext, token: string, checks: Check[]): Promise<void> {
  const rows = await dvGet(ctx, token, 'solutions?$select=uniquename,friendlyname');
  if (typeof rows === 'string') {
    checks.push({ name: 'other integrations', status: 'warn', detail: `cannot list solutions (${rows})`, fix: 'give the application user read access to Solution' });
    return;
  }
  const found = otherIntegrations(rows);
  const steps = await dvGet(ctx, token, 'sdkmessageprocessingsteps?$select=name');
  const stepNames = typeof steps === 'string' ? [] : dualWriteSteps(steps.map((s) => s.name));
  if (stepNames.length && !found.dualWrite.length) found.dualWrite.push(...stepNames.slice(0, 3).map((n) => `plug-in step "${n}"`));
  if (found.dualWrite.length) {
    checks.push({ name: 'dual-write', status: 'warn', detail: `Microsoft's dual-write is installed (${found.dualWrite.join(', ')}): its maps may sync the same tables and write every change twice`,
      fix: 'stop the dual-write maps for the tables this bridge syncs (F&O: Data management > Dual-write), or do not run the bridge\'s maps for them (SYNC_MAPS)' });
  }
  if (found.prospectToCash.length) {
    checks.push({ name: 'Prospect to cash', status: 'warn', detail: `the legacy Prospect to cash integration is installed (${found.prospectToCash.join(', ')}); it cannot run beside a two-way sync`,
      fix: 'disable its Data integration projects for accounts/customers before running the bridge\'s maps' });
  }
  if (!found.dualWrite.length && !found.prospectToCash.length) checks.push({ name: 'other integrations', status: 'ok', detail: 'no dual-write or Prospect to cash solution installed' });
}

export async function doctor(env: NodeJS.ProcessEnv): Promise<Check[]> {
  const checks: Check[] = [];
  const ctx = configChecks(env, checks);
  if (!ctx) return checks;
  hostingChecks(env, ctx, checks);
  const issuer = await probe(ctx.config.auth.discoveryUrl);
  checks.push('error' in issuer || issuer.status !== 200
    ? { name: 'token issuer', status: 'fail', detail: `no OpenID configuration at ${ctx.config.auth.discoveryUrl} (${'error' in issuer ? issuer.error : `HTTP ${issuer.status}`})`, fix: `check AUTH_ISSUERS / AUTH_DISCOVERY_URL and the network path to the issuer${targetsLoopback(ctx.config) ? LOCAL_HINT : ''}` }
    : { name: 'token issuer', status: 'ok', detail: ctx.config.auth.discoveryUrl });
  const fnoToken = await tokenCheck(ctx, 'F&O', ctx.config.fnoUrl, checks);
  const dvToken = await tokenCheck(ctx, 'Dataverse', ctx.config.dataverseUrl, checks);
  const who = principalName(ctx.config.outbound.credential, fnoToken ?? dvToken);
  const fnoOk = await serviceCheck('F&O', `${ctx.config.fnoUrl}/data/`, fnoToken,
    `the application ${who} is not registered in F&O: add it in System administration > Setup > Microsoft Entra ID applications, mapped to a user with access to the mapped entities`, checks, targetsLoopback(ctx.config) ? LOCAL_HINT : '');
  if (fnoOk && fnoToken) await balanceEntityCheck(ctx, fnoToken, checks);
  const dvOk = await serviceCheck('Dataverse', `${ctx.config.dataverseUrl}/api/data/v9.2/WhoAmI`, dvToken,
    `Dataverse has no enabled application user for ${who}: create it (Power Platform admin center > environment > Settings > Users + permissions > Application users) and give it the FinOps Bridge security role`, checks, targetsLoopback(ctx.config) ? LOCAL_HINT : '');
  if (dvOk) await extraUserChecks(ctx, checks);
  if (dvOk && dvToken) {
    const get = (query: string) => dvGet(ctx, dvToken, query);
    await solutionChecks(get, checks);
    await companyOwnerChecks(get, checks);
    await schemaChecks((table) => dvDefinition(ctx, dvToken, table), ctx.maps, checks);
    await environmentVariableChecks(ctx, get, checks);
    await registrationChecks(ctx, dvToken, checks);
    await coexistenceCheck(ctx, dvToken, checks);
  }
  if (ctx.webhookSecret) await bridgeWebhookChecks(ctx, checks);
  return checks;
}

export async function runDoctor(env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const checks = await doctor(env);
  if (io.json) io.out(JSON.stringify({ ok: !checks.some((c) => c.status === 'fail'), checks }));
  else for (const l of reportLines(checks)) io.out(l);
  return checks.some((c) => c.status === 'fail') ? EXIT.problems : EXIT.ok;
}
