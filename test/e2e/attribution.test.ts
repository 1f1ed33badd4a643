// Who made a change, carried across (issue 15 point 3). A change made in F&O by a person who is an enabled
// Dataverse user is written to Dataverse as that person (CallerObjectId: modifiedby is them, modifiedonbehalfby
// the bridge, and their own security applies); when Dataverse refuses them the write, or does not know them, the
// bridge writes as itself and says why. F&O takes service writes only as the bridge's application, so a change
// made in Dataverse is attributed on the link. Real HTTP: sandbox F&O and Dataverse, one bridge.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Sandbox } from '@finops-bridge/sandbox';
import { BRIDGE_SYSTEM_USER_ID, DEMO_USERS } from '../../sandbox/src/identity/principals';
import { eventually, json, sandboxApi, startBridge, startWorld, type Bridge } from './support/harness';

let sandbox: Sandbox;
let bridge: Bridge;
let api: ReturnType<typeof sandboxApi>;
let NL: string[] = [];

const user = (name: string) => DEMO_USERS.find((u) => u.name === name)!;
const UNKNOWN_OID = '0b5e9a1c-2d3f-4e5a-8b7c-9d0e1f2a3b4c';
const idle = () => bridge.sync.engine().worker.idle(10_000);

async function accountId(accountNumber: string): Promise<string> {
  const rows = await api.dvGet('accounts', `$filter=accountnumber eq '${accountNumber}'&$select=accountid`);
  return String(rows[0].accountid);
}

async function status(id: string): Promise<Record<string, unknown>> {
  const token = await sandbox.getToken('controller', 'bridge');
  return json(await fetch(`${bridge.url}/api/v1/sync/records/account/${id}`, { headers: { authorization: `Bearer ${token}` } }));
}

/** An F&O change to the customer by `oid`, waited for until Dataverse shows it. */
async function changeInFno(account: string, phone: string, oid: string): Promise<Record<string, unknown>> {
  const id = await accountId(account);
  await idle();
  await api.fnoChange('CustomersV3', { dataAreaId: 'nlmf', CustomerAccount: account, PrimaryContactPhone: phone }, oid);
  await eventually(async () => (await api.dvRow('accounts', id)).telephone1 === phone, 5000);
  await idle();
  return api.dvRow('accounts', id);
}

beforeAll(async () => {
  sandbox = await startWorld();
  bridge = await startBridge(sandbox, { settings: { concurrency: 1 } });
  api = sandboxApi(sandbox);
  NL = (await api.dvGet('accounts', '$select=accountnumber')).map((r) => String(r.accountnumber)).filter((n) => n.startsWith('NL-')).sort();
  expect(NL.length).toBeGreaterThanOrEqual(4);
  await eventually(async () => (await json<{ value: unknown[] }>(await fetch(`${sandbox.urls.fno}/_sandbox/events/subscriptions`))).value.length > 0);
}, 60_000);

afterAll(async () => {
  await bridge?.close();
  await sandbox?.close();
});

describe('attribution of changes the bridge carries across', () => {
  it('writes an F&O user\'s change to Dataverse as that user when they may write the row there', async () => {
    const controller = user('controller'); // writes nlmf in Dataverse
    const row = await changeInFno(NL[0], '+31 20 555 0101', controller.oid);
    expect(row._modifiedby_value).toBe(controller.systemUserId);
    expect(row._modifiedonbehalfby_value).toBe(BRIDGE_SYSTEM_USER_ID);
    expect((await status(String(row.accountid))).lastChange).toEqual({ side: 'fno', user: controller.oid, writtenAs: 'user', reason: null });
  });

  it('writes as the bridge, and says why, when Dataverse refuses that user the write', async () => {
    const sales = user('sales'); // reads nlmf, may not write it
    const row = await changeInFno(NL[1], '+31 20 555 0102', sales.oid);
    expect(row._modifiedby_value).toBe(BRIDGE_SYSTEM_USER_ID);
    expect(row._modifiedonbehalfby_value ?? null).toBeNull();
    const { lastChange } = await status(String(row.accountid)) as { lastChange: Record<string, unknown> };
    expect(lastChange).toMatchObject({ side: 'fno', user: sales.oid, writtenAs: 'bridge' });
    expect(lastChange.reason).toMatch(/may not write this row in Dataverse/);
  });

  it('writes as the bridge when the F&O user is not a Dataverse user', async () => {
    const row = await changeInFno(NL[2], '+31 20 555 0103', UNKNOWN_OID);
    expect(row._modifiedby_value).toBe(BRIDGE_SYSTEM_USER_ID);
    const { lastChange } = await status(String(row.accountid)) as { lastChange: Record<string, unknown> };
    expect(lastChange).toMatchObject({ side: 'fno', user: UNKNOWN_OID, writtenAs: 'bridge' });
    expect(lastChange.reason).toMatch(/is not a Dataverse user/);
  });

  it('writes as the bridge, and says why, when its application user may not act for others (no Delegate role)', async () => {
    const faults = (body: unknown) => fetch(`${sandbox.urls.dataverse}/_sandbox/faults`, { method: 'POST', body: JSON.stringify(body) });
    await faults({ noDelegate: true });
    try {
      const row = await changeInFno(NL[0], '+31 20 555 0111', user('controller').oid);
      expect(row._modifiedby_value).toBe(BRIDGE_SYSTEM_USER_ID);
      const { lastChange } = await status(String(row.accountid)) as { lastChange: Record<string, unknown> };
      expect(lastChange).toMatchObject({ side: 'fno', user: user('controller').oid, writtenAs: 'bridge' });
      expect(lastChange.reason).toMatch(/lacks prvActOnBehalfOfAnotherUser/);
    } finally {
      await faults({});
    }
  });

  it('keeps who made a Dataverse change carried to F&O (F&O takes service writes only as the bridge)', async () => {
    const id = await accountId(NL[3]);
    await idle();
    await api.dvPatch('accounts', id, { telephone1: '+31 20 555 0104' }); // as the controller
    await eventually(async () => (await api.fnoGet('CustomersV3', `dataAreaId='nlmf',CustomerAccount='${NL[3]}'`)).PrimaryContactPhone === '+31 20 555 0104', 5000);
    await idle();
    const { lastChange } = await status(id) as { lastChange: Record<string, unknown> };
    expect(lastChange).toMatchObject({ side: 'dataverse', user: user('controller').systemUserId, writtenAs: 'bridge' });
    expect(lastChange.reason).toMatch(/F&O takes service writes only as the bridge/);
  });
});
