// Initial sync of customers-accounts from F&O into an empty Dataverse account table: paged reads,
// $batch writes, self references in a second pass, progress, and no echo once live sync catches up.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Sandbox } from '@finops-bridge/sandbox';
import { adminFetch, eventually, json, sandboxApi, startBridge, startWorld, type Bridge } from './support/harness';

let sandbox: Sandbox;
let bridge: Bridge;
let api: ReturnType<typeof sandboxApi>;
let adminToken: string;

const admin = (method: 'GET' | 'POST', path: string, body?: unknown) => adminFetch(bridge, adminToken, method, path, body);

/** F&O organisation customers by company|account. */
function fnoOrganisations(): Map<string, Record<string, unknown>> {
  const rows = sandbox.data.CustomersV3 as Record<string, unknown>[];
  return new Map(rows.filter((r) => r.PartyType === 'Organization').map((r) => [`${String(r.dataAreaId)}|${String(r.CustomerAccount)}`, r]));
}

beforeAll(async () => {
  sandbox = await startWorld({ customers: 400 });
  // An empty account table: every account must come from the initial sync.
  for (const row of sandbox.dataverse.store.all('account')) sandbox.dataverse.store.remove('account', String(row.accountid));
  bridge = await startBridge(sandbox, { settings: { initialMapState: 'not_running' } });
  api = sandboxApi(sandbox);
  adminToken = await sandbox.getToken('admin', 'bridge');
}, 60_000);

afterAll(async () => {
  await bridge?.close();
  await sandbox?.close();
});

describe('initial sync', () => {
  it('creates every organisation customer once, resolves InvoiceAccount in a second pass, and reports progress', async () => {
    const res = await admin('POST', '/maps/customers-accounts/initial-sync', { pageSize: 50 });
    expect(res.status).toBe(202);
    const progress = await eventually(async () => {
      const p = await json<{ state: string; total: number; done: number; failed: number; companies: { pass: number; completed: boolean }[] }>(await admin('GET', '/maps/customers-accounts/initial-sync'));
      return p.state === 'done' ? p : null;
    }, 30_000);
    const orgs = fnoOrganisations();
    expect(progress).toMatchObject({ total: orgs.size, done: orgs.size, failed: 0 });
    expect(progress.companies.filter((c) => c.pass === 1)).toHaveLength(3);

    const accounts = await api.dvGet('accounts', '$select=accountid,accountnumber,_msdyn_company_value,_msdyn_billingaccount_value,name,creditlimit');
    expect(accounts).toHaveLength(orgs.size);
    const companies = new Map((await api.dvGet('cdm_companies', '$select=cdm_companyid,cdm_companycode')).map((c) => [String(c.cdm_companyid), String(c.cdm_companycode)]));
    const seen = new Set(accounts.map((a) => `${companies.get(String(a._msdyn_company_value))}|${String(a.accountnumber)}`));
    expect(seen.size).toBe(orgs.size);
    for (const key of orgs.keys()) expect(seen.has(key)).toBe(true);
    const byNumber = new Map(accounts.map((a) => [`${companies.get(String(a._msdyn_company_value))}|${String(a.accountnumber)}`, a]));
    expect(byNumber.get('usmf|US-001')?.name).toBe("O'Neill Supplies");
    expect(byNumber.get('usmf|US-002')?._msdyn_billingaccount_value).toBe(byNumber.get('usmf|US-001')?.accountid);
  }, 40_000);

  it('catches up with the Create notifications of its own writes without writing anything back', async () => {
    const before = (await api.fnoStats()).entities.CustomersV3?.updates ?? 0;
    await eventually(async () => (await json<{ maps: { state: string }[] }>(await admin('GET', '/maps'))).maps[0].state === 'running', 20_000);
    await bridge.sync.engine().worker.idle(20_000);
    expect((await api.fnoStats()).entities.CustomersV3?.updates ?? 0).toBe(before);
    const { maps } = await json<{ maps: { counters: { written: number; failed: number } }[] }>(await admin('GET', '/maps'));
    expect(maps[0].counters).toMatchObject({ written: 0, failed: 0 });
    // The notifications of its own creates were acknowledged as echoes (their links, written ahead of each batch or
    // committed with the page, hold the values), not queued as jobs.
    const created = (await api.dvStats()).tables.account?.created ?? 0;
    expect(created).toBeGreaterThan(300);
    const queued = await bridge.sync.engine().db.selectFrom('sync_events').select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('side', '=', 'dataverse').executeTakeFirstOrThrow();
    expect(Number(queued.n)).toBeLessThan(created / 10);
  }, 40_000);
});
