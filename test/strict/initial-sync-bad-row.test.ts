// Issue 14: a Dataverse $batch stops at the first failing request unless the client asks to continue. An
// initial-sync page with one row Dataverse refuses (an e-mail longer than account.emailaddress1's 100
// characters) writes every other row and keeps the bad one with its reason in plain words.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Sandbox } from '@finops-bridge/sandbox';
import { eventually, json, sandboxApi, startBridge, startWorld, type Bridge } from '../e2e/support/harness';

let sandbox: Sandbox;
let bridge: Bridge;
let api: ReturnType<typeof sandboxApi>;
let adminToken: string;
let nl: string[] = [];

const admin = (method: 'GET' | 'POST', path: string, body?: unknown) => fetch(`${bridge.url}/api/v1/admin${path}`, {
  method, headers: { authorization: `Bearer ${adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
});
const LONG_EMAIL = `${'a'.repeat(110)}@example.com`;

beforeAll(async () => {
  sandbox = await startWorld({ customers: 60 });
  for (const row of sandbox.dataverse.store.all('account')) sandbox.dataverse.store.remove('account', String(row.accountid));
  nl = (sandbox.data.CustomersV3 as Record<string, unknown>[])
    .filter((r) => r.dataAreaId === 'nlmf' && r.PartyType === 'Organization').map((r) => String(r.CustomerAccount)).sort();
  // The first row of the page is the bad one: a batch that stops there would leave every other row unwritten.
  await json(await fetch(`${sandbox.urls.fno}/_sandbox/records/CustomersV3`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dataAreaId: 'nlmf', CustomerAccount: nl[0], PrimaryContactEmail: LONG_EMAIL }),
  }));
  bridge = await startBridge(sandbox, { settings: { initialMapState: 'not_running', registerWebhooks: 'false' } });
  api = sandboxApi(sandbox);
  adminToken = await sandbox.getToken('admin', 'bridge');
}, 60_000);

afterAll(async () => {
  await bridge?.close();
  await sandbox?.close();
});

describe('initial sync with one row Dataverse refuses', () => {
  it('the sandbox refuses the long value with 400 naming the column, as Dataverse words it', async () => {
    const res = await fetch(`${sandbox.urls.dataverseApi}/accounts`, {
      method: 'POST', headers: { authorization: `Bearer ${await sandbox.getToken('bridge', 'dataverse')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Too long', emailaddress1: LONG_EMAIL }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: '0x80044331', message: "A validation error occurred.  The length of the 'emailaddress1' attribute of the 'account' entity exceeded the maximum allowed length of '100'." } });
  });

  it('writes every other row of the page and keeps the bad one with its reason', async () => {
    expect((await admin('POST', '/maps/customers-accounts/initial-sync', { legalEntities: ['nlmf'], pageSize: 500 })).status).toBe(202);
    const p = await eventually(async () => {
      const r = await json<{ state: string; done: number; total: number; failed: number; failures: Array<{ recordKey: string; reason: string }> }>(await admin('GET', '/maps/customers-accounts/initial-sync'));
      return r.state === 'done' || r.state === 'failed' ? r : null;
    }, 30_000);
    expect(p.state).toBe('done');
    expect(p.failures).toHaveLength(1);
    expect(JSON.parse(p.failures[0].recordKey)).toMatchObject({ CustomerAccount: nl[0] });
    expect(p.failures[0].reason).toMatch(/^F&O PrimaryContactEmail is 122 characters long, but Dataverse account\.emailaddress1 holds at most 100 characters: shorten it in F&O/);
    const accounts = await api.dvGet('accounts', "$select=accountnumber&$filter=startswith(accountnumber,'NL-')");
    const written = new Set(accounts.map((a) => String(a.accountnumber)));
    expect(written.has(nl[0])).toBe(false);
    for (const n of nl.slice(1)) expect(written.has(n)).toBe(true);
  }, 40_000);

  it('lists the record among the errors an admin reads, and reruns only the failed records once it is fixed', async () => {
    const listed = await json<{ initialSync: Array<{ map: string; company: string; recordKey: string; reason: string }> }>(await admin('GET', '/errors'));
    expect(listed.initialSync).toHaveLength(1);
    expect(listed.initialSync[0]).toMatchObject({ map: 'customers-accounts', company: 'nlmf' });
    expect(JSON.parse(listed.initialSync[0].recordKey)).toMatchObject({ CustomerAccount: nl[0] });
    expect(listed.initialSync[0].reason).toMatch(/account\.emailaddress1 holds at most 100 characters/);

    // The fix, made in F&O; then the rerun of the failed records only.
    await api.fnoChange('CustomersV3', { dataAreaId: 'nlmf', CustomerAccount: nl[0], PrimaryContactEmail: 'fixed@example.com' });
    const before = (await api.dvStats()).tables.account?.created ?? 0;
    expect((await admin('POST', '/maps/customers-accounts/initial-sync', { legalEntities: ['nlmf'], failedOnly: true })).status).toBe(202);
    const p = await eventually(async () => {
      const r = await json<{ state: string; failed: number; failures: unknown[]; lastError: string | null }>(await admin('GET', '/maps/customers-accounts/initial-sync'));
      return r.state === 'done' || r.state === 'failed' ? r : null;
    }, 30_000);
    expect(p).toMatchObject({ state: 'done', failed: 0, failures: [], lastError: null });
    // Only the record that had failed was written: one account created, with the fixed value.
    expect((await api.dvStats()).tables.account?.created ?? 0).toBe(before + 1);
    const rows = await api.dvGet('accounts', `$select=emailaddress1&$filter=accountnumber eq '${nl[0]}'`);
    expect(rows).toEqual([expect.objectContaining({ emailaddress1: 'fixed@example.com' })]);
    expect((await json<{ initialSync: unknown[] }>(await admin('GET', '/errors'))).initialSync).toEqual([]);
  }, 40_000);
});
