// Pure pieces of `doctor`: the check record, the dual-write/Prospect-to-cash detection, how a token
// failure reads, and the report.
export type Status = 'ok' | 'warn' | 'fail';
export interface Check { name: string; status: Status; detail: string; fix?: string }

/**
 * Microsoft's dual-write core solutions (Dual-write Application Core): a prerequisite, since the tables and
 * columns the maps write (cdm_company, msdyn_vendor, account.msdyn_*, ...) exist only when they are installed.
 */
export const DUAL_WRITE_CORE = ['Dynamics365Company', 'CurrencyExchangeRates', 'Dynamics365FinanceAndOperationsCommon', 'Dynamics365FinanceCommon', 'Dynamics365SupplyChainCommon'] as const;

export interface SolutionRow { uniquename?: unknown; friendlyname?: unknown; version?: unknown; ismanaged?: unknown }

/** The core solutions that are not installed. */
export function missingCoreSolutions(rows: readonly SolutionRow[]): string[] {
  const installed = new Set(rows.map((r) => (typeof r.uniquename === 'string' ? r.uniquename.toLowerCase() : '')));
  return DUAL_WRITE_CORE.filter((name) => !installed.has(name.toLowerCase()));
}

/**
 * Which installed solutions mean another integration already syncs F&O and Dataverse: dual-write's own
 * (DualWrite*, or named so) beyond the core solutions every installation needs, and Prospect to cash.
 */
export function otherIntegrations(rows: readonly SolutionRow[]): { dualWrite: string[]; prospectToCash: string[] } {
  const dualWrite: string[] = [];
  const prospectToCash: string[] = [];
  for (const r of rows) {
    const u = typeof r.uniquename === 'string' ? r.uniquename : '';
    const f = typeof r.friendlyname === 'string' ? r.friendlyname : '';
    if (DUAL_WRITE_CORE.some((d) => d.toLowerCase() === u.toLowerCase())) continue;
    if (/^dualwrite/i.test(u) || /dual[- ]?write/i.test(f)) dualWrite.push(u || f);
    else if (/prospect\s*to\s*cash/i.test(`${u} ${f}`) || /^prospecttocash/i.test(u)) prospectToCash.push(u || f);
  }
  return { dualWrite, prospectToCash };
}

/**
 * On Azure App Service (WEBSITE_SITE_NAME is set there) /home is a network share: SQLite's file locking is
 * not reliable on it, so the embedded store must not live there.
 */
export function sqliteOnNetworkStorage(env: NodeJS.ProcessEnv, config: { dataDir: string; databaseUrl?: string }): boolean {
  return Boolean(env.WEBSITE_SITE_NAME) && !config.databaseUrl && (config.dataDir === '/home' || config.dataDir.startsWith('/home/'));
}

/**
 * Plug-in steps that look like dual-write's (their names say so). Its plug-in assembly names are not
 * documented publicly, so this is a name heuristic and only ever a warning.
 */
export function dualWriteSteps(names: readonly unknown[]): string[] {
  return names.filter((n): n is string => typeof n === 'string' && /dual[- ]?write|DualWrite/i.test(n));
}

/** A token request refused for the credential (not for reachability) reads like this from the token provider. */
export function isCredentialRefusal(message: string): boolean {
  return /invalid_client|AADSTS7000215|AADSTS7000222|client secret|unauthorized_client|invalid client/i.test(message) || /HTTP 401/.test(message);
}

const MARK: Record<Status, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' };

export function reportLines(checks: readonly Check[]): string[] {
  const lines: string[] = [];
  for (const c of checks) {
    lines.push(`[${MARK[c.status]}] ${c.name}: ${c.detail}`);
    if (c.fix && c.status !== 'ok') lines.push(`       fix: ${c.fix}`);
  }
  const fails = checks.filter((c) => c.status === 'fail').length;
  const warns = checks.filter((c) => c.status === 'warn').length;
  lines.push(fails === 0 && warns === 0 ? 'All checks passed.' : `${fails} failed, ${warns} warnings.`);
  return lines;
}

/** A minimal RemoteExecutionContext for a table no map reads: the bridge authenticates it, then ignores it. */
export function probeWebhookBody(): string {
  return JSON.stringify({
    MessageName: 'Update', PrimaryEntityName: 'fob_doctorprobe', PrimaryEntityId: '00000000-0000-0000-0000-000000000001',
    InputParameters: [{ key: 'Target', value: { Attributes: [], LogicalName: 'fob_doctorprobe' } }], Depth: 1, Mode: 1, Stage: 40,
  });
}
