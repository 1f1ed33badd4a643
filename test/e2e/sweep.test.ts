// The reconciliation sweep finds what no notification announced, on both sides: here every notification is
// switched off (no Dataverse step, no F&O subscription), a user changes a customer in F&O and another account in
// Dataverse, and one sweep carries both changes across. F&O has no modified time on CustomersV3, so its side is
// found by comparing the mapped values with the last synced snapshot.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Sandbox } from '@finops-bridge/sandbox';
import { eventually, json, sandboxApi, startBridge, startWorld, type Bridge } from './support/harness';

let sandbox: Sandbox;
let bridge: Bridge;
let api: ReturnType<typeof sandboxApi>;

beforeAll(async () => {
  sandbox = await startWorld();
  bridge = await startBridge(sandbox, { settings: { registerWebhooks: 'false' } });
  api = sandboxApi(sandbox);
  const initial = bridge.sync.initialSync();
  await initial.start('customers-accounts', { pageSize: 50 });
  await initial.wait('customers-accounts');
  expect((await initial.progress('customers-accounts')).state).toBe('done');
}, 60_000);

afterAll(async () => {
  await bridge?.close();
  await sandbox?.close();
});

describe('the reconciliation sweep with every notification switched off', () => {
  it('finds an F&O change and a Dataverse change in one sweep and syncs both', async () => {
    const engine = bridge.sync.engine();
    expect(await json<{ value: unknown[] }>(await fetch(`${sandbox.urls.fno}/_sandbox/events/subscriptions`))).toMatchObject({ value: [] });
    expect(await api.dvGet('sdkmessageprocessingsteps', "$filter=startswith(name,'FinOps Bridge')")).toEqual([]);
    // Bring the map to running and start the sweep's clock (its first run only does that).
    await eventually(async () => (await engine.mapsRepo.get('customers-accounts'))?.state === 'running' || (await engine.worker.idle(1000), false), 10_000).catch(() => undefined);
    await engine.worker.idle(10_000);
    expect((await engine.mapsRepo.get('customers-accounts'))?.state).toBe('running');
    expect(await engine.sweeper.sweepOnce()).toBe(0);
    expect(await engine.sweeper.sweepOnce()).toBe(0); // nothing changed: nothing queued, though every F&O record was compared

    const accounts = (await api.dvGet('accounts', "$filter=startswith(accountnumber,'NL-')&$select=accountid,accountnumber&$orderby=accountnumber")).slice(0, 2);
    const [a, b] = accounts.map((r) => ({ id: String(r.accountid), number: String(r.accountnumber) }));
    await api.fnoChange('CustomersV3', { dataAreaId: 'nlmf', CustomerAccount: a.number, PrimaryContactPhone: '+31 20 000 1111' });
    await new Promise((r) => setTimeout(r, 20)); // modifiedon is compared with the sweep's clock
    await api.dvPatch('accounts', b.id, { telephone1: '+31 20 000 2222' });
    await new Promise((r) => setTimeout(r, 300));
    expect((await api.dvRow('accounts', a.id)).telephone1).not.toBe('+31 20 000 1111'); // no notification: nothing moved

    expect(await engine.sweeper.sweepOnce()).toBe(2);
    await engine.worker.idle(10_000);
    expect((await api.dvRow('accounts', a.id)).telephone1).toBe('+31 20 000 1111');
    expect((await api.fnoGet('CustomersV3', `dataAreaId='nlmf',CustomerAccount='${b.number}'`)).PrimaryContactPhone).toBe('+31 20 000 2222');
    // Synced now: the next sweep finds nothing more to do.
    expect(await engine.sweeper.sweepOnce()).toBe(0);
  }, 60_000);
});
