// A job that writes F&O and dies before it stores the record's new snapshot (here: the read-back after
// the write fails). The notification of that write then reaches the bridge after the user edited the
// account again. The bridge must recognise the F&O value as its own write (the pending write recorded
// before writing) and carry the user's newer value, not take the echo as a newer F&O change.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Sandbox } from '@finops-bridge/sandbox';
import type { FnoClient } from '../../bridge-service/src/clients/fno-client';
import { createApplier } from '../../bridge-service/src/sync/runtime/apply';
import { createRecordLocks } from '../../bridge-service/src/db/repos/locks';
import type { Job } from '../../bridge-service/src/db/repos/jobs';
import { keyJson } from '../../bridge-service/src/db/repos/links';
import { sandboxApi, startBridge, startWorld, type Bridge } from './support/harness';

let sandbox: Sandbox;
let bridge: Bridge;
let api: ReturnType<typeof sandboxApi>;

beforeAll(async () => {
  sandbox = await startWorld();
  // No worker and no webhooks: this test drives the jobs itself, in the order it wants.
  bridge = await startBridge(sandbox, { settings: { worker: false, registerWebhooks: 'false' } });
  api = sandboxApi(sandbox);
}, 60_000);

afterAll(async () => {
  await bridge?.close();
  await sandbox?.close();
});

function engineDeps() {
  const engine = bridge.sync.engine();
  return {
    engine, map: engine.mapsByName.get('customers-accounts')!, locks: createRecordLocks(engine.db),
    deps: { fno: engine.ctx.clients.fno, dataverse: engine.ctx.clients.dataverse, links: engine.ctx.repos.links, lookups: engine.lookups, queue: engine.queue, conflicts: engine.conflicts,
      dataverseUsers: engine.dataverseUsers, deletions: engine.deletions },
  };
}

const job = (side: Job['side'], recordKey: string, n: number): Job => ({
  id: `00000000-0000-4000-8000-00000000000${n}`, mapName: 'customers-accounts', side, recordKey, state: 'running',
  claimedSeq: n, lastEventSeq: n, lastMessage: 'Update', attempts: 0, lastError: null, lastErrorCode: null, lastErrorParams: null, pendingSinceSeq: n, updatedAt: '',
});

describe('a write that landed but was never recorded', () => {
  it('is recognised as the bridge\'s own when its notification arrives, and the newer edit wins', async () => {
    const { engine, map, locks, deps } = engineDeps();
    const row = (await api.dvGet('accounts', "$filter=startswith(accountnumber,'NL-')&$select=accountid,accountnumber,telephone1&$top=1"))[0];
    const id = String(row.accountid);
    const key = { dataAreaId: 'nlmf', CustomerAccount: String(row.accountnumber) };
    const fnoKey = `dataAreaId='nlmf',CustomerAccount='${key.CustomerAccount}'`;

    // Linked and in sync first.
    const s1 = locks.scope('w', 'j1', 60_000);
    await createApplier(deps)(map, job('dataverse', id, 1), s1);
    await s1.release();

    // Edit 1 in Dataverse; its job writes F&O, then the read-back fails (as if the bridge died there).
    await api.dvPatch('accounts', id, { telephone1: '+31 20 555 0001' });
    let updated = false;
    const dying: FnoClient = Object.assign(Object.create(engine.ctx.clients.fno) as FnoClient, {
      update: async (...args: Parameters<FnoClient['update']>) => { await engine.ctx.clients.fno.update(...args); updated = true; },
      getByKey: async (...args: Parameters<FnoClient['getByKey']>) => {
        if (updated) throw new Error('connection lost after the write');
        return engine.ctx.clients.fno.getByKey(...args);
      },
    });
    const s2 = locks.scope('w', 'j2', 60_000);
    await expect(createApplier({ ...deps, fno: dying })(map, job('dataverse', id, 2), s2)).rejects.toThrow('connection lost');
    await s2.release();
    expect((await api.fnoGet('CustomersV3', fnoKey)).PrimaryContactPhone).toBe('+31 20 555 0001');

    // Edit 2 in Dataverse, then the F&O notification of edit 1's write is processed first.
    await api.dvPatch('accounts', id, { telephone1: '+31 20 555 0002' });
    const s3 = locks.scope('w', 'j3', 60_000);
    const outcome = await createApplier(deps)(map, job('fno', keyJson(key), 3), s3);
    await s3.release();

    expect(outcome.kind).toBe('written');
    expect((await api.fnoGet('CustomersV3', fnoKey)).PrimaryContactPhone).toBe('+31 20 555 0002');
    expect((await api.dvRow('accounts', id)).telephone1).toBe('+31 20 555 0002');
    const link = await engine.ctx.repos.links.findByDataverse('customers-accounts', 'account', id);
    expect(link?.snapshot).not.toHaveProperty('pending');
  });

  it('a record whose other side is busy with another job is refused, not run alongside it', async () => {
    const { map, locks, deps } = engineDeps();
    const row = (await api.dvGet('accounts', "$filter=startswith(accountnumber,'NL-')&$select=accountid,accountnumber&$top=2"))[1];
    const key = { dataAreaId: 'nlmf', CustomerAccount: String(row.accountnumber) };
    const first = locks.scope('w', 'a', 60_000);
    await createApplier(deps)(map, job('dataverse', String(row.accountid), 4), first);
    // The Dataverse-side job still holds its locks (not released): the F&O-side job must not run.
    await expect(createApplier(deps)(map, job('fno', keyJson(key), 5), locks.scope('w', 'b', 60_000))).rejects.toThrow('being synced by another job');
    await first.release();
    await expect(createApplier(deps)(map, job('fno', keyJson(key), 5), locks.scope('w', 'b', 60_000))).resolves.toMatchObject({ kind: expect.any(String) });
  });
});
