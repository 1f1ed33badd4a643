import { fileURLToPath } from 'node:url';
// Live two-way sync through real HTTP: sandbox Dataverse and F&O send their notifications to the bridge,
// whose worker writes the other side. Counts writes with the sandbox's /_sandbox/stats.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import type { Sandbox } from '@finops-bridge/sandbox';
import { adminFetch, eventually, json, sandboxApi, startBridge, startWorld, WEBHOOK_SECRET, type Bridge } from './support/harness';

let sandbox: Sandbox;
let bridge: Bridge;
let api: ReturnType<typeof sandboxApi>;
let adminToken: string;

const FNO_KEY = (account: string, company = 'nlmf') => `dataAreaId='${company}',CustomerAccount='${account}'`;

/** Organisation customers of nlmf (the demo user 'controller' may edit them in Dataverse). */
let NL: string[] = [];

async function accountId(accountNumber: string): Promise<string> {
  const rows = await api.dvGet('accounts', `$filter=accountnumber eq '${accountNumber}'&$select=accountid`);
  expect(rows).toHaveLength(1);
  return String(rows[0].accountid);
}

const admin = (method: 'GET' | 'POST', path: string, body?: unknown) => adminFetch(bridge, adminToken, method, path, body);

const idle = () => bridge.sync.engine().worker.idle(10_000);
const fnoUpdates = async () => (await api.fnoStats()).entities.CustomersV3?.updates ?? 0;
const dvUpdates = async () => (await api.dvStats()).tables.account?.updated ?? 0;

beforeAll(async () => {
  sandbox = await startWorld();
  bridge = await startBridge(sandbox, { settings: { concurrency: 1 } });
  api = sandboxApi(sandbox);
  adminToken = await sandbox.getToken('admin', 'bridge');
  NL = (await api.dvGet('accounts', '$select=accountnumber')).map((r) => String(r.accountnumber)).filter((n) => n.startsWith('NL-')).sort();
  expect(NL.length).toBeGreaterThanOrEqual(6);
  // Registration runs when the bridge starts listening; the F&O subscription is its last step.
  await eventually(async () => (await json<{ value: unknown[] }>(await fetch(`${sandbox.urls.fno}/_sandbox/events/subscriptions`))).value.length > 0);
}, 60_000);

afterAll(async () => {
  await bridge?.close();
  await sandbox?.close();
});

describe('live sync', () => {
  it('registered the webhook endpoint and one step per message for account', async () => {
    const endpoints = await api.dvGet('serviceendpoints', "$filter=name eq 'FinOps Bridge webhook'");
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]).toMatchObject({ contract: 8, authtype: 5, messageformat: 2, url: `${bridge.url}/webhooks/dataverse` });
    const steps = await api.dvGet('sdkmessageprocessingsteps', `$filter=_eventhandler_value eq ${String(endpoints[0].serviceendpointid)}`);
    expect(steps.map((s) => s.name).sort()).toEqual(['FinOps Bridge: account Create', 'FinOps Bridge: account Delete', 'FinOps Bridge: account Update']);
    expect(steps.every((s) => s.stage === 40 && s.mode === 1)).toBe(true);
  });

  it('carries a Dataverse edit of an account to the F&O customer within a second, with exactly one write', async () => {
    const id = await accountId(NL[0]);
    await idle();
    const [f0, d0] = [await fnoUpdates(), await dvUpdates()];
    const started = Date.now();
    await api.dvPatch('accounts', id, { name: 'Contoso Edited In CE' });
    await eventually(async () => (await api.fnoGet('CustomersV3', FNO_KEY(NL[0]))).OrganizationName === 'Contoso Edited In CE', 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 300)); // let the F&O data event of our own write come back
    await idle();
    expect(await fnoUpdates()).toBe(f0 + 1);
    expect(await dvUpdates()).toBe(d0 + 1); // the user's own edit, no echo written back
  });

  it('carries an F&O edit to the account within a second, with exactly one write', async () => {
    const id = await accountId(NL[0]);
    await idle();
    const db = bridge.app.bridge.store.db;
    const dvEvents = async () => (await db.selectFrom('sync_events').selectAll().where('side', '=', 'dataverse').where('record_key', '=', id).execute()).length;
    const e0 = await dvEvents();
    const [f0, d0] = [await fnoUpdates(), await dvUpdates()];
    const started = Date.now();
    await api.fnoChange('CustomersV3', { dataAreaId: 'nlmf', CustomerAccount: NL[0], CreditLimit: 12345 });
    await eventually(async () => Number((await api.dvRow('accounts', id)).creditlimit) === 12345, 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 300));
    await idle();
    expect(await dvUpdates()).toBe(d0 + 1);
    expect(await fnoUpdates()).toBe(f0 + 1); // the F&O user's own change only
    // Dataverse notified the bridge of its own write: acknowledged as an echo, no job queued for it.
    expect(await dvEvents()).toBe(e0);

    const sales = await sandbox.getToken('sales', 'bridge');
    const status = await json<Record<string, unknown>>(await fetch(`${bridge.url}/api/v1/sync/records/account/${id}`, { headers: { authorization: `Bearer ${sales}` } }));
    expect(status).toMatchObject({ state: 'in_sync', map: 'customers-accounts', linkedKey: { dataAreaId: 'nlmf', CustomerAccount: NL[0] }, lastDirection: 'fno_to_dataverse', pendingChanges: 0, canRetry: false });
  });

  it('never carries a credit limit or on-hold status edited in Dataverse to F&O: those change only through the audited panel edit', async () => {
    const id = await accountId(NL[1]);
    await idle();
    const before = await api.fnoGet('CustomersV3', FNO_KEY(NL[1]));
    const f0 = await fnoUpdates();
    await api.dvPatch('accounts', id, { creditlimit: 987654, msdyn_onholdstatus: 806380003, telephone1: '+31 20 555 0199' });
    // The phone number, a shared field, still travels: once it arrived, the finance fields would have too.
    await eventually(async () => (await api.fnoGet('CustomersV3', FNO_KEY(NL[1]))).PrimaryContactPhone === '+31 20 555 0199', 2000);
    await idle();
    const after = await api.fnoGet('CustomersV3', FNO_KEY(NL[1]));
    expect({ CreditLimit: after.CreditLimit, OnHoldStatus: after.OnHoldStatus }).toEqual({ CreditLimit: before.CreditLimit, OnHoldStatus: before.OnHoldStatus });
    expect(await fnoUpdates()).toBe(f0 + 1);
  });

  it('resolves edits of the same field on both sides by the map policy (latest wins) and records the conflict', async () => {
    const id = await accountId(NL[1]);
    // Link the record first (as its initial sync would): a conflict needs a last synced state to compare with.
    expect(await json(await admin('POST', `/sync/records/account/${id}/retry`))).toMatchObject({ ok: true });
    await eventually(() => bridge.app.bridge.repos.links.findByDataverse('customers-accounts', 'account', id));
    await idle();
    expect((await admin('POST', '/maps/customers-accounts/pause')).status).toBe(200);
    await api.dvPatch('accounts', id, { name: 'Name from Dataverse' });
    await new Promise((r) => setTimeout(r, 20));
    await api.fnoChange('CustomersV3', { dataAreaId: 'nlmf', CustomerAccount: NL[1], OrganizationName: 'Name from F&O' });
    const db = bridge.app.bridge.store.db;
    await eventually(async () => (await db.selectFrom('sync_events').selectAll().where('record_key', 'in', [id, JSON.stringify({ CustomerAccount: NL[1], dataAreaId: 'nlmf' })]).execute()).length >= 2);
    expect((await admin('POST', '/maps/customers-accounts/resume')).status).toBe(200);
    await eventually(async () => (await api.dvRow('accounts', id)).name === 'Name from F&O', 3000);
    await idle();
    expect((await api.fnoGet('CustomersV3', FNO_KEY(NL[1]))).OrganizationName).toBe('Name from F&O');
    const { conflicts } = await json<{ conflicts: { dataverseId: string; winner: string; fields: string[]; detail: { reason: string }[] }[] }>(await admin('GET', '/conflicts'));
    const mine = conflicts.filter((c) => c.dataverseId === id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ winner: 'fno', fields: ['OrganizationName:name'] });
    expect(mine[0].detail[0].reason).toMatch(/later .*\(by the time the bridge received each change\)/);
    const status = await json<{ state: string }>(await fetch(`${bridge.url}/api/v1/sync/records/account/${id}`, { headers: { authorization: `Bearer ${adminToken}` } }));
    // As a code with parameters too, so the controls say it in the user's language.
    expect(status).toMatchObject({ state: 'conflict', lastErrorCode: 'SYNC_CONFLICT', lastErrorParams: { field: 'OrganizationName:name', winner: 'fno' } });
  });

  it('keeps changes while a map is paused and replays them in order on resume', async () => {
    const ids = await Promise.all([NL[2], NL[3], NL[4]].map(accountId));
    await idle();
    expect((await admin('POST', '/maps/customers-accounts/pause')).status).toBe(200);
    await api.dvPatch('accounts', ids[0], { telephone1: '+1 555 0001' });
    await api.dvPatch('accounts', ids[1], { telephone1: '+1 555 0002' });
    await api.dvPatch('accounts', ids[2], { telephone1: '+1 555 0003' });
    await api.dvPatch('accounts', ids[0], { telephone1: '+1 555 0004' });
    const db = bridge.app.bridge.store.db;
    await eventually(async () => (await db.selectFrom('sync_events').select('seq').where('record_key', 'in', ids).execute()).length >= 4);
    await new Promise((r) => setTimeout(r, 200));
    for (const a of [NL[2], NL[3], NL[4]]) expect((await api.fnoGet('CustomersV3', FNO_KEY(a))).PrimaryContactPhone).not.toMatch(/^\+1 555 000/);
    const { maps } = await json<{ maps: { name: string; state: string; pending: number }[] }>(await admin('GET', '/maps'));
    expect(maps[0]).toMatchObject({ name: 'customers-accounts', state: 'paused', pending: 3 });
    // The waiting records, oldest change first, each with when that change arrived.
    const { queued } = await json<{ queued: { recordKey: string; state: string; waitingSince: string | null }[] }>(await admin('GET', '/queue?map=customers-accounts'));
    expect(queued.map((q) => q.recordKey)).toEqual(ids);
    expect(queued.every((q) => q.state === 'queued' && q.waitingSince !== null)).toBe(true);
    expect([...queued.map((q) => q.waitingSince)].sort()).toEqual(queued.map((q) => q.waitingSince));

    expect(await json(await admin('POST', '/maps/customers-accounts/resume'))).toMatchObject({ ok: true, state: 'catching_up' });
    await eventually(async () => (await api.fnoGet('CustomersV3', FNO_KEY(NL[4]))).PrimaryContactPhone === '+1 555 0003', 3000);
    await idle();
    expect((await api.fnoGet('CustomersV3', FNO_KEY(NL[2]))).PrimaryContactPhone).toBe('+1 555 0004');
    expect((await api.fnoGet('CustomersV3', FNO_KEY(NL[3]))).PrimaryContactPhone).toBe('+1 555 0002');
    const links = await db.selectFrom('links').select(['dataverse_id', 'last_synced_at']).where('dataverse_id', 'in', ids).execute();
    const order = [...links].sort((a, b) => String(a.last_synced_at).localeCompare(String(b.last_synced_at))).map((l) => ids.indexOf(l.dataverse_id));
    expect(order).toEqual([0, 1, 2]);
    await eventually(async () => (await json<{ maps: { state: string }[] }>(await admin('GET', '/maps'))).maps[0].state === 'running');
  });

  it('creates the F&O customer of an account created in CE, in the account\'s company (not the bridge\'s default one)', async () => {
    const nlmf = (await api.dvGet('cdm_companies', "$filter=cdm_companycode eq 'nlmf'&$select=cdm_companyid"))[0];
    const groupRow = (await api.dvGet('msdyn_customergroups', `$filter=msdyn_groupid eq '${String((await api.fnoGet('CustomersV3', FNO_KEY(NL[0]))).CustomerGroupId)}' and _msdyn_company_value eq ${String(nlmf.cdm_companyid)}&$select=msdyn_customergroupid`))[0];
    const token = await sandbox.getToken('controller', 'dataverse');
    const res = await fetch(`${sandbox.urls.dataverseApi}/accounts`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Nieuwe Klant BV', accountnumber: 'NL-NEW-001', telephone1: '+31 20 555 0900', customertypecode: 3, // relationship type Customer: the map's filter
        'msdyn_company@odata.bind': `/cdm_companies(${String(nlmf.cdm_companyid)})`,
        'msdyn_customergroupid@odata.bind': `/msdyn_customergroups(${String(groupRow.msdyn_customergroupid)})`,
      }),
    });
    expect(res.status).toBe(204);
    const created = await eventually(() => api.fnoFind('CustomersV3', FNO_KEY('NL-NEW-001')), 8000).catch(async (e: unknown) => { throw new Error(`${String(e)}; errors: ${JSON.stringify(await json(await admin('GET', '/errors')))}`); });
    expect(created).toMatchObject({ dataAreaId: 'nlmf', CustomerAccount: 'NL-NEW-001', OrganizationName: 'Nieuwe Klant BV', PrimaryContactPhone: '+31 20 555 0900' });
    await idle();
    const id = await accountId('NL-NEW-001');
    expect(await bridge.app.bridge.repos.links.findByDataverse('customers-accounts', 'account', id)).toMatchObject({ fnoKey: { dataAreaId: 'nlmf', CustomerAccount: 'NL-NEW-001' } });
  }, 20_000);
});

describe('webhook receiver', () => {
  const fixture = fs.readFileSync(fileURLToPath(new URL('../fixtures/real/dataverse-webhook-remoteexecutioncontext-contact-update.json', import.meta.url)), 'utf8');
  const post = (headers: Record<string, string>, body = fixture) =>
    fetch(`${bridge.url}/webhooks/dataverse`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('refuses a missing or wrong secret with 401', async () => {
    expect((await post({})).status).toBe(401);
    const wrong = await post({ 'x-bridge-webhook-key': 'not-the-secret' });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('FB_WEBHOOK_KEY_INVALID');
  });

  it('acknowledges a table no map reads and ignores it', async () => {
    const res = await post({ 'x-bridge-webhook-key': WEBHOOK_SECRET });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ignored: true });
  });

  it('stores an account change once however often it is delivered, and reads the row itself when the body was cut', async () => {
    const id = await accountId(NL[5]);
    const body = JSON.stringify({
      MessageName: 'Update', PrimaryEntityName: 'account', PrimaryEntityId: id, OperationId: '0a0b0c0d-0000-4000-8000-000000000001',
      InputParameters: [], Depth: 1, Mode: 1, Stage: 40,
    });
    const h = { 'x-bridge-webhook-key': WEBHOOK_SECRET, 'x-ms-dynamics-msg-size-exceeded': 'true' };
    expect(await json(await post(h, body))).toEqual({ received: 1, new: 1, echoes: 0 });
    expect(await json(await post(h, body))).toEqual({ received: 1, new: 0, echoes: 0 });
    await idle();
    const db = bridge.app.bridge.store.db;
    expect(await db.selectFrom('sync_events').selectAll().where('record_key', '=', id).execute()).toHaveLength(1);
    expect((await db.selectFrom('links').selectAll().where('dataverse_id', '=', id).executeTakeFirst())?.fno_key).toContain(NL[5]);
  });
});
