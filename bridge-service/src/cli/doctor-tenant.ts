// `doctor`'s checks of what an admin prepares in Dataverse and the hosting (admin guide steps 3 to 5): the
// dual-write core solutions, our package, its environment variables as the controls read them, webhook
// steps that clean up after themselves, and where the SQLite file lives.
import type { CliContext } from './context';
import { missingCoreSolutions, sqliteOnNetworkStorage, type Check } from './doctor-checks';

export type DvGet = (query: string) => Promise<Record<string, unknown>[] | string>;

const SOLUTION = 'FinOpsBridge';
const GUIDE = 'docs/admin-guide.md';

export async function solutionChecks(dvGet: DvGet, checks: Check[]): Promise<void> {
  const rows = await dvGet('solutions?$select=uniquename,friendlyname,version,ismanaged');
  if (typeof rows === 'string') {
    checks.push({ name: 'solutions', status: 'fail', detail: `cannot list solutions (${rows})`, fix: 'give the application user read access to Solution (see docs/admin-guide.md, section 3)' });
    return;
  }
  const missing = missingCoreSolutions(rows);
  checks.push(missing.length === 0
    ? { name: 'dual-write core solutions', status: 'ok', detail: 'installed: the tables and columns the maps write exist' }
    : { name: 'dual-write core solutions', status: 'fail', detail: `missing ${missing.join(', ')}: the tables and columns the maps write (cdm_company, msdyn_*, account.msdyn_*) do not exist without them`,
      fix: 'install Microsoft\'s dual-write core solutions (Dual-write Application Core) into this environment first' });
  const ours = rows.find((r) => String(r.uniquename).toLowerCase() === SOLUTION.toLowerCase());
  checks.push(ours
    ? { name: 'FinOps Bridge solution', status: 'ok', detail: `version ${String(ours.version)} installed (${ours.ismanaged === true ? 'managed' : 'unmanaged'})` }
    : { name: 'FinOps Bridge solution', status: 'fail', detail: 'not installed: the forms have no finance controls and the controls\' environment variables do not exist',
      fix: `build it with FOB_BRIDGE_URL set and import the managed zip (${GUIDE}, section 4)` });
}

/**
 * Every company needs a default owning team: the bridge makes it the owner of the rows it creates for the company
 * (sync/core/ownership.ts), which is what gives the company's users their access in Dataverse.
 */
export async function companyOwnerChecks(dvGet: DvGet, checks: Check[]): Promise<void> {
  const rows = await dvGet('cdm_companies?$select=cdm_companycode,_cdm_defaultowningteam_value');
  if (typeof rows === 'string') {
    checks.push({ name: 'company owner teams', status: 'warn', detail: `cannot list companies (${rows})`, fix: 'give the application user read access to Company (cdm_company)' });
    return;
  }
  const without = rows.filter((r) => typeof r._cdm_defaultowningteam_value !== 'string').map((r) => String(r.cdm_companycode));
  checks.push(without.length === 0
    ? { name: 'company owner teams', status: 'ok', detail: `each of the ${rows.length} companies has a default owning team: the rows the bridge creates for it are that team's` }
    : { name: 'company owner teams', status: 'warn',
      detail: `no default owning team for ${without.join(', ')}: rows the bridge creates there are owned by its application user, so that company's users do not see them`,
      fix: `set the company's Default owning team in Dataverse (Company form), as dual-write does (${GUIDE}, section 3c)` });
}

interface EnvVarRow { schemaname?: unknown; defaultvalue?: unknown; environmentvariabledefinition_environmentvariablevalue?: Array<{ value?: string | null }> }

function current(row: EnvVarRow | undefined): string | undefined {
  const value = row?.environmentvariabledefinition_environmentvariablevalue?.map((v) => (v.value ?? '').trim()).find((v) => v !== '');
  return value || (typeof row?.defaultvalue === 'string' && row.defaultvalue.trim() ? row.defaultvalue.trim() : undefined);
}

/** The environment variables as the controls resolve them (a value row wins over the default). */
export async function environmentVariableChecks(ctx: CliContext, dvGet: DvGet, checks: Check[]): Promise<void> {
  const rows = await dvGet("environmentvariabledefinitions?$filter=startswith(schemaname,'fob_')&$select=schemaname,defaultvalue&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)");
  if (typeof rows === 'string') {
    checks.push({ name: 'environment variables', status: 'fail', detail: `cannot read environment variable definitions (${rows})`, fix: 'give the application user read access to Environment Variable Definition and Value' });
    return;
  }
  const byName = new Map(rows.map((r) => [String(r.schemaname), r as EnvVarRow]));
  const setFix = (name: string, value: string) => `set ${name} to ${value} (Solutions > Default solution > Environment variables > ${name} > New value)`;
  const url = current(byName.get('fob_BridgeUrl'));
  if (!url) {
    checks.push({ name: 'fob_BridgeUrl', status: 'fail', detail: 'has no value: the controls show "The bridge address is not configured"', fix: setFix('fob_BridgeUrl', ctx.bridgeUrl) });
  } else if (url.replace(/\/+$/, '') !== ctx.bridgeUrl) {
    checks.push({ name: 'fob_BridgeUrl', status: 'warn', detail: `is ${url}, but the bridge's public address is ${ctx.bridgeUrl}: the controls call another address than the one Dataverse sends webhooks to`,
      fix: `if the controls should reach this bridge, ${setFix('fob_BridgeUrl', ctx.bridgeUrl)}` });
  } else {
    checks.push({ name: 'fob_BridgeUrl', status: 'ok', detail: url });
  }
  const appId = current(byName.get('fob_BridgeAppId'));
  const audiences = ctx.config.auth.audiences;
  if (!appId) {
    checks.push({ name: 'fob_BridgeAppId', status: 'fail', detail: 'has no value: the controls show "The Entra application of the bridge is not configured"', fix: setFix('fob_BridgeAppId', 'the bridge API\'s application (client) id') });
  } else if (!audiences.some((a) => a.toLowerCase() === appId.toLowerCase() || a.toLowerCase().startsWith(`api://${appId.toLowerCase()}`))) {
    checks.push({ name: 'fob_BridgeAppId', status: 'fail', detail: `is ${appId}, which the bridge does not accept as audience (AUTH_AUDIENCES: ${audiences.join(', ')}): every control call would get 401`,
      fix: 'set fob_BridgeAppId to the bridge API\'s client id, or add that id to AUTH_AUDIENCES and restart the bridge' });
  } else {
    checks.push({ name: 'fob_BridgeAppId', status: 'ok', detail: `${appId} (accepted by the bridge)` });
  }
}

/** Steps a previous version registered without auto-delete leave a system job per call behind. */
export function autoDeleteCheck(steps: ReadonlyArray<Record<string, unknown>>, checks: Check[]): void {
  const keeping = steps.filter((s) => Number(s.mode) === 1 && s.asyncautodelete !== true).map((s) => String(s.name));
  checks.push(keeping.length === 0
    ? { name: 'webhook steps auto-delete', status: 'ok', detail: 'asynchronous steps delete their finished system jobs' }
    : { name: 'webhook steps auto-delete', status: 'warn', detail: `${keeping.join('; ')} keep a system job per webhook call: the AsyncOperation table grows without end`,
      fix: 'run `finops-bridge setup`: it turns auto-delete on' });
}

export function hostingChecks(env: NodeJS.ProcessEnv, ctx: CliContext, checks: Check[]): void {
  if (sqliteOnNetworkStorage(env, ctx.config)) {
    checks.push({ name: 'storage', status: 'fail', detail: `the SQLite file is in ${ctx.config.dataDir}, on App Service's network share (/home), where its file locking is not reliable`,
      fix: 'set DATABASE_URL to a PostgreSQL database (Azure Database for PostgreSQL), or DATA_DIR to a local path such as /tmp/bridge for a single instance you can rebuild' });
  }
}
