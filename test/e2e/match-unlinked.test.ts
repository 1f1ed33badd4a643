// A new record whose key matches an existing record on the other side that nothing links is parked for an admin,
// never merged into it silently (issue 15, point 4): a CE user who creates an account with an existing F&O
// customer's number and company must not overwrite that customer. The admin's retry links and merges them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Sandbox } from '@finops-bridge/sandbox';
import { eventually, json, sandboxApi, startBridge, startWorld, type Bridge } from './support/harness';

let sandbox: Sandbox;
let bridge: Bridge;
let api: ReturnType<typeof sandboxApi>;
let dvToken: (who: Parameters<Sandbox['getToken']>[0]) => Promise<string>;

const idle = () => bridge.sync.engine().worker.idle(10_000);

beforeAll(async () => {
  sandbox = await startWorld();
  bridge = await startBridge(sandbox, { settings: { concurrency: 1 } });
  api = sandboxApi(sandbox);
  dvToken = (who) => sandbox.getToken(who, 'dataverse');
  await eventually(async () => (await json<{ value: unknown[] }>(await fetch(`${sandbox.urls.fno}/_sandbox/events/subscriptions`))).value.length > 0);
}, 60_000);

afterAll(async () => {
  await bridge?.close();
  await sandbox?.close();
});

async function dv(method: 'POST' | 'DELETE', path: string, who: Parameters<Sandbox['getToken']>[0], body?: unknown): Promise<Response> {
  return fetch(`${sandbox.urls.dataverseApi}/${path}`, {
    method, headers: { authorization: `Bearer ${await dvToken(who)}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('a new record matching an unlinked one', () => {
  it('is parked with the reason, leaves the F&O customer untouched, and is linked and merged by an admin\'s retry', async () => {
    // An F&O customer that exists, unlinked, without its account in Dataverse (an account deleted in CE: the map's delete
    // policy keeps the customer and unlinks it).
    const [existing] = await api.dvGet('accounts', "$filter=startswith(accountnumber,'NL-')&$select=accountid,accountnumber,_msdyn_company_value&$orderby=accountnumber desc&$top=1");
    const number = String(existing.accountnumber);
    const companyId = String(existing._msdyn_company_value);
    expect((await dv('DELETE', `accounts(${String(existing.accountid)})`, 'bridge')).status).toBe(204);
    await idle();
    const key = `dataAreaId='nlmf',CustomerAccount='${number}'`;
    const before = await api.fnoGet('CustomersV3', key);

    // A sales user creates an account with that customer's number and company, and another name.
    const res = await dv('POST', 'accounts', 'controller', {
      name: 'Someone Else Entirely', customertypecode: 3, accountnumber: number, telephone1: '+31 6 0000 0000', 'msdyn_company@odata.bind': `/cdm_companies(${companyId})`,
    });
    expect(res.status).toBe(204);
    const id = /accounts\(([^)]+)\)/.exec(res.headers.get('odata-entityid') ?? '')?.[1] ?? '';
    expect(id).not.toBe('');

    const status = async () => json<Record<string, unknown>>(await fetch(`${bridge.url}/api/v1/sync/records/account/${id}`, {
      headers: { authorization: `Bearer ${await sandbox.getToken('admin', 'bridge')}` },
    }));
    await eventually(async () => (await status()).state === 'error', 5000).catch(async () => { const db = bridge.app.bridge.store.db; throw new Error(JSON.stringify({ s: await status(), jobs: await db.selectFrom('sync_jobs').selectAll().where('record_key', '=', id).execute(), ev: await db.selectFrom('sync_events').selectAll().where('record_key', '=', id).execute(), after: await api.fnoGet('CustomersV3', key) })); });
    expect(await status()).toMatchObject({
      state: 'error', lastErrorCode: 'SYNC_MATCHES_UNLINKED', lastErrorParams: { key: `CustomersV3 dataAreaId nlmf, CustomerAccount ${number}` },
      lastError: expect.stringMatching(/new record has the same key as CustomersV3 .* not linked\. It was not merged/),
    });
    const after = await api.fnoGet('CustomersV3', key);
    expect({ name: after.OrganizationName, phone: after.PrimaryContactPhone }).toEqual({ name: before.OrganizationName, phone: before.PrimaryContactPhone });
    expect(await bridge.app.bridge.repos.links.findByDataverse('customers-accounts', 'account', id)).toBeNull();
    // Not systemic: the map keeps running for everyone.
    const maps = await json<{ maps: { name: string; state: string }[] }>(await fetch(`${bridge.url}/api/v1/admin/maps`, {
      headers: { authorization: `Bearer ${await sandbox.getToken('admin', 'bridge')}` },
    }));
    expect(maps.maps.find((m) => m.name === 'customers-accounts')?.state).toBe('running');

    // The admin decides they are the same customer: retry links them and merges by the map's policy.
    const retry = await fetch(`${bridge.url}/api/v1/admin/sync/records/account/${id}/retry`, {
      method: 'POST', headers: { authorization: `Bearer ${await sandbox.getToken('admin', 'bridge')}` },
    });
    expect(retry.status).toBe(200);
    await eventually(async () => (await status()).state === 'in_sync', 5000);
    expect((await bridge.app.bridge.repos.links.findByDataverse('customers-accounts', 'account', id))?.fnoKey).toEqual({ dataAreaId: 'nlmf', CustomerAccount: number });
  }, 30_000);
});
