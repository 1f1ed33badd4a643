// Deletes through real HTTP, one sandbox and one bridge per policy set, customers <-> accounts (two-way), each policy
// in both directions:
//  - the shipped policy: an F&O customer deleted deactivates its account; an account deleted in CE keeps the F&O
//    customer and unlinks it; neither comes back from the other side (a late update event, the sweep);
//  - delete both ways: the other side is deleted, and the notification of the bridge's own delete does not bounce back;
//  - keep and unlink from F&O, deactivate (OnHoldStatus All) toward F&O, with every notification off: the sweep finds
//    both deletes.
// And a delete F&O refuses (a customer with orders, a customer group in use) is parked with F&O's reason, its link
// kept; reference data (customer groups, vendor groups) is deleted on both sides by its shipped policy, and a vendor
// group F&O refuses to delete (vendors use it) is parked the same way.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Sandbox } from '@finops-bridge/sandbox';
import { SHIPPED_MAPS } from '../../bridge-service/src/sync/core/maps/shipped/index';
import type { DeletePolicy, TableMap } from '../../bridge-service/src/sync/core/maps/types';
import { eventually, json, sandboxApi, startBridge, startWorld, type Bridge } from './support/harness';

const MAP = 'customers-accounts';
const key = (account: string) => `dataAreaId='nlmf',CustomerAccount='${account}'`;

const withPolicy = (deletes: DeletePolicy): TableMap[] => SHIPPED_MAPS.map((m) => (m.name === MAP ? { ...m, deletes } : m));

interface World {
  sandbox: Sandbox;
  bridge: Bridge;
  api: ReturnType<typeof sandboxApi>;
  /**
   * nlmf organisation customers made for this test, without orders or invoices (F&O refuses to delete a customer that
   * has them), linked by the initial sync: account number and account id.
   */
  nl: Array<{ number: string; id: string }>;
}

async function start(opts: { maps?: TableMap[]; webhooks: boolean }): Promise<World> {
  const sandbox = await startWorld();
  const api = sandboxApi(sandbox);
  const template = await api.fnoGet('CustomersV3', key('NL-001'));
  for (const n of [1, 2, 3, 4]) {
    await api.fnoChange('CustomersV3', {
      dataAreaId: 'nlmf', CustomerAccount: `NL-DEL-${n}`, OrganizationName: `Delete Test ${n} B.V.`, PartyType: 'Organization',
      CustomerGroupId: template.CustomerGroupId, SalesCurrencyCode: template.SalesCurrencyCode, PaymentTerms: template.PaymentTerms,
    });
  }
  const bridge = await startBridge(sandbox, { maps: opts.maps, settings: { concurrency: 1, registerWebhooks: opts.webhooks ? 'true' : 'false' } });
  if (opts.webhooks) await eventually(async () => (await json<{ value: unknown[] }>(await fetch(`${sandbox.urls.fno}/_sandbox/events/subscriptions`))).value.length > 0);
  const initial = bridge.sync.initialSync();
  await initial.start(MAP, { pageSize: 50 });
  await initial.wait(MAP);
  expect((await initial.progress(MAP)).state).toBe('done');
  const engine = bridge.sync.engine();
  await eventually(async () => (await engine.mapsRepo.get(MAP))?.state === 'running' || (await engine.worker.idle(1000), false), 10_000).catch(() => undefined);
  await engine.worker.idle(10_000);
  const rows = await api.dvGet('accounts', "$filter=startswith(accountnumber,'NL-DEL-')&$select=accountid,accountnumber&$orderby=accountnumber");
  const nl = rows.map((r) => ({ number: String(r.accountnumber), id: String(r.accountid) }));
  expect(nl.map((a) => a.number)).toEqual(['NL-DEL-1', 'NL-DEL-2', 'NL-DEL-3', 'NL-DEL-4']);
  return { sandbox, bridge, api, nl };
}

async function stop(w: World | undefined) {
  await w?.bridge.close();
  await w?.sandbox.close();
}

/** A user deletes a customer in F&O (OData DELETE; F&O emits its Delete data event and business event). */
async function fnoDelete(w: World, account: string) {
  const t = await w.sandbox.getToken('bridge', 'fno');
  const res = await fetch(`${w.sandbox.urls.fno}/data/CustomersV3(${key(account)})?cross-company=true`, { method: 'DELETE', headers: { authorization: `Bearer ${t}`, 'If-Match': '*' } });
  expect(res.status).toBe(204);
}

/** A CE user (the controller, who may edit nlmf accounts) deletes an account. */
async function dvDelete(w: World, id: string) {
  const t = await w.sandbox.getToken('controller', 'dataverse');
  const res = await fetch(`${w.sandbox.urls.dataverseApi}/accounts(${id})`, { method: 'DELETE', headers: { authorization: `Bearer ${t}` } });
  expect(res.status).toBe(204);
}

async function fnoStatus(w: World, account: string): Promise<number> {
  const t = await w.sandbox.getToken('bridge', 'fno');
  return (await fetch(`${w.sandbox.urls.fno}/data/CustomersV3(${key(account)})?cross-company=true`, { headers: { authorization: `Bearer ${t}` } })).status;
}

async function dvStatus(w: World, id: string): Promise<number> {
  const t = await w.sandbox.getToken('bridge', 'dataverse');
  return (await fetch(`${w.sandbox.urls.dataverseApi}/accounts(${id})`, { headers: { authorization: `Bearer ${t}` } })).status;
}

const idle = (w: World) => w.bridge.sync.engine().worker.idle(10_000);
const settle = async (w: World) => { await idle(w); await new Promise((r) => setTimeout(r, 300)); await idle(w); };
const linkOf = (w: World, id: string) => w.bridge.app.bridge.repos.links.findByDataverse(MAP, 'account', id);
const deletesOf = async (w: World, id: string) => (await w.bridge.sync.engine().deletes.list({ map: MAP, limit: 100 })).filter((d) => d.dataverseId === id);
const accountsNumbered = async (w: World, n: string) => w.api.dvGet('accounts', `$filter=accountnumber eq '${n}'&$select=accountid,statecode`);

async function adminDeletes(w: World): Promise<Array<{ map: string; deletedSide: string; action: string; dataverseId: string; message: string }>> {
  const t = await w.sandbox.getToken('admin', 'bridge');
  return (await json<{ deletes: Array<{ map: string; deletedSide: string; action: string; dataverseId: string; message: string }> }>(
    await fetch(`${w.bridge.url}/api/v1/admin/deletes?map=${MAP}`, { headers: { authorization: `Bearer ${t}` } }))).deletes;
}

describe('the shipped policy of customers-accounts (webhooks on)', () => {
  let w: World;
  beforeAll(async () => { w = await start({ webhooks: true }); }, 60_000);
  afterAll(() => stop(w));

  it('deactivates the account of a customer deleted in F&O, unlinks it, and a later edit or sweep does not re-create the customer', async () => {
    const a = w.nl[0];
    expect(await linkOf(w, a.id)).not.toBeNull();
    await fnoDelete(w, a.number);
    await eventually(async () => (await w.api.dvRow('accounts', a.id)).statecode === 1, 5000);
    await settle(w);
    expect(await w.api.dvRow('accounts', a.id)).toMatchObject({ statecode: 1, statuscode: 2 });
    expect(await linkOf(w, a.id)).toBeNull();
    expect(await deletesOf(w, a.id)).toEqual([expect.objectContaining({ deletedSide: 'fno', action: 'deactivate' })]);
    expect(await adminDeletes(w)).toEqual(expect.arrayContaining([expect.objectContaining({
      map: MAP, deletedSide: 'fno', action: 'deactivate', dataverseId: a.id, message: expect.stringContaining('deactivated the linked account row'),
    })]));

    // A CE user edits the deactivated account: its update event must not re-create the customer in F&O.
    await w.api.dvPatch('accounts', a.id, { telephone1: '+31 20 000 3333' });
    await settle(w);
    expect(await fnoStatus(w, a.number)).toBe(404);
    // Settled as a skip, not as a create that F&O happened to refuse.
    expect(await w.bridge.sync.engine().queue.jobOf(MAP, 'dataverse', a.id)).toMatchObject({ state: 'succeeded', lastError: null });
    // Nor does the sweep (its first run starts the clock; the second sees the edited account).
    const engine = w.bridge.sync.engine();
    await engine.sweeper.sweepOnce();
    await w.api.dvPatch('accounts', a.id, { telephone1: '+31 20 000 4444' });
    await engine.sweeper.sweepOnce();
    await settle(w);
    expect(await fnoStatus(w, a.number)).toBe(404);
  }, 30_000);

  it('keeps the F&O customer of an account deleted in CE, unlinks it, and a later F&O edit does not re-create the account', async () => {
    const b = w.nl[1];
    await dvDelete(w, b.id);
    await eventually(async () => (await deletesOf(w, b.id)).length > 0, 5000);
    await settle(w);
    expect(await deletesOf(w, b.id)).toEqual([expect.objectContaining({ deletedSide: 'dataverse', action: 'unlink' })]);
    expect(await fnoStatus(w, b.number)).toBe(200);
    expect(await linkOf(w, b.id)).toBeNull();

    await w.api.fnoChange('CustomersV3', { dataAreaId: 'nlmf', CustomerAccount: b.number, PrimaryContactPhone: '+31 20 000 5555' });
    await settle(w);
    expect(await accountsNumbered(w, b.number)).toEqual([]);
    expect((await w.api.fnoGet('CustomersV3', key(b.number))).PrimaryContactPhone).toBe('+31 20 000 5555');
    // Nor does an initial sync run again (an admin reloading the map).
    const initial = w.bridge.sync.initialSync();
    await initial.start(MAP, { pageSize: 50 });
    await initial.wait(MAP);
    expect((await initial.progress(MAP)).state).toBe('done');
    expect(await accountsNumbered(w, b.number)).toEqual([]);
  }, 30_000);
});

describe('policy delete, both ways (webhooks on)', () => {
  let w: World;
  beforeAll(async () => { w = await start({ webhooks: true, maps: withPolicy({ fnoDeleted: 'delete', dataverseDeleted: 'delete' }) }); }, 60_000);
  afterAll(() => stop(w));

  const deletes = async () => {
    const [f, d] = [await w.api.fnoStats(), await w.api.dvStats()];
    return { fno: (f.entities.CustomersV3 as { deletes?: number } | undefined)?.deletes ?? 0, dv: (d.tables.account as { deleted?: number } | undefined)?.deleted ?? 0 };
  };

  it('deletes the account of a customer deleted in F&O; the Delete notification of its own delete does not bounce back', async () => {
    const a = w.nl[0];
    const before = await deletes();
    await fnoDelete(w, a.number);
    await eventually(async () => (await dvStatus(w, a.id)) === 404, 5000);
    // The account's Delete webhook (the bridge's own delete) arrives and is settled without touching F&O again.
    const db = w.bridge.app.bridge.store.db;
    await eventually(async () => (await db.selectFrom('sync_events').selectAll().where('side', '=', 'dataverse').where('record_key', '=', a.id).where('message', '=', 'Delete').execute()).length === 1, 5000);
    await settle(w);
    expect(await deletes()).toEqual({ fno: before.fno + 1, dv: before.dv + 1 });
    expect(await deletesOf(w, a.id)).toEqual([expect.objectContaining({ deletedSide: 'fno', action: 'delete' })]);
    expect(await linkOf(w, a.id)).toBeNull();
  }, 30_000);

  it('deletes the F&O customer of an account deleted in CE; the F&O Delete events of its own delete do not bounce back', async () => {
    const b = w.nl[1];
    const before = await deletes();
    await dvDelete(w, b.id);
    await eventually(async () => (await fnoStatus(w, b.number)) === 404, 5000);
    await settle(w);
    expect(await deletes()).toEqual({ fno: before.fno + 1, dv: before.dv + 1 });
    expect(await deletesOf(w, b.id)).toEqual([expect.objectContaining({ deletedSide: 'dataverse', action: 'delete' })]);
  }, 30_000);

  it('keeps the link of a customer F&O refuses to delete (it has orders): the job is parked with F&O\'s reason', async () => {
    const t = await w.sandbox.getToken('bridge', 'fno');
    const orders = await json<{ value: Array<{ OrderingCustomerAccountNumber: string }> }>(await fetch(
      `${w.sandbox.urls.fno}/data/SalesOrderHeadersV2?cross-company=true&$filter=dataAreaId eq 'nlmf'&$select=OrderingCustomerAccountNumber`, { headers: { authorization: `Bearer ${t}` } }));
    const linked = await w.api.dvGet('accounts', "$filter=startswith(accountnumber,'NL-')&$select=accountid,accountnumber");
    const c = linked.map((r) => ({ number: String(r.accountnumber), id: String(r.accountid) })).find((a) => orders.value.some((o) => o.OrderingCustomerAccountNumber === a.number));
    expect(c).toBeDefined();
    expect(await linkOf(w, c!.id)).not.toBeNull();
    await dvDelete(w, c!.id);
    const engine = w.bridge.sync.engine();
    const job = await eventually(async () => { const j = await engine.queue.jobOf(MAP, 'dataverse', c!.id); return j?.state === 'parked' ? j : null; }, 5000);
    expect(job.lastError).toContain('Transactions exist in table');
    expect(await fnoStatus(w, c!.number)).toBe(200);
    expect(await linkOf(w, c!.id)).not.toBeNull();
    expect(await deletesOf(w, c!.id)).toEqual([]);
  }, 30_000);
});

describe('keep and unlink from F&O, deactivate toward F&O (OnHoldStatus All), every notification off: the sweep finds the deletes', () => {
  let w: World;
  beforeAll(async () => {
    w = await start({ webhooks: false, maps: withPolicy({ fnoDeleted: 'unlink', dataverseDeleted: 'deactivate', deactivate: { fno: { OnHoldStatus: 'All' } } }) });
  }, 60_000);
  afterAll(() => stop(w));

  it('finds a record deleted on each side in one sweep and applies each policy; nothing comes back', async () => {
    const engine = w.bridge.sync.engine();
    expect(await engine.sweeper.sweepOnce()).toBe(0); // starts the clock
    expect(await engine.sweeper.sweepOnce()).toBe(0); // every linked record is there: nothing to do
    const [a, b] = [w.nl[0], w.nl[1]];
    expect((await w.api.fnoGet('CustomersV3', key(b.number))).OnHoldStatus).not.toBe('All');
    await fnoDelete(w, a.number);
    await dvDelete(w, b.id);
    await new Promise((r) => setTimeout(r, 300));
    expect(await engine.deletes.list({ map: MAP, limit: 10 })).toEqual([]); // no notification: nothing known yet

    expect(await engine.sweeper.sweepOnce()).toBe(2);
    await settle(w);
    // F&O deleted -> the account is kept as it is (active) and unlinked.
    expect(await w.api.dvRow('accounts', a.id)).toMatchObject({ statecode: 0 });
    expect(await linkOf(w, a.id)).toBeNull();
    expect(await deletesOf(w, a.id)).toEqual([expect.objectContaining({ deletedSide: 'fno', action: 'unlink' })]);
    // Dataverse deleted -> the customer is blocked for everything (OnHoldStatus All) and unlinked.
    expect((await w.api.fnoGet('CustomersV3', key(b.number))).OnHoldStatus).toBe('All');
    expect(await deletesOf(w, b.id)).toEqual([expect.objectContaining({ deletedSide: 'dataverse', action: 'deactivate' })]);

    // The kept rows change; the sweep queues them, and neither is re-created on the side where it was deleted.
    await w.api.dvPatch('accounts', a.id, { telephone1: '+31 20 000 6666' });
    await w.api.fnoChange('CustomersV3', { dataAreaId: 'nlmf', CustomerAccount: b.number, PrimaryContactPhone: '+31 20 000 7777' });
    await engine.sweeper.sweepOnce();
    await settle(w);
    expect(await fnoStatus(w, a.number)).toBe(404);
    expect(await accountsNumbered(w, b.number)).toEqual([]);
    expect(await engine.sweeper.sweepOnce()).toBe(0);
  }, 30_000);
});

/** A company-scoped reference table whose shipped policy deletes on both sides, and what F&O refuses to delete. */
interface GroupCase {
  map: string;
  fnoSet: string;
  fnoKeyField: string;
  dvSet: string;
  dvTable: string;
  dvKeyColumn: string;
  /** Two groups made in F&O for the test, nothing uses them. */
  fresh: [string, string];
  /** The F&O row of a fresh group. */
  row(api: ReturnType<typeof sandboxApi>, id: string): Promise<Record<string, unknown>>;
  /** A group the demo's records use in nlmf. */
  used(sandbox: Sandbox, api: ReturnType<typeof sandboxApi>): Promise<string>;
  /** F&O's refusal to delete it. */
  refusal: string;
}

const GROUP_CASES: GroupCase[] = [
  {
    map: 'customer-groups', fnoSet: 'CustomerGroups', fnoKeyField: 'CustomerGroupId', dvSet: 'msdyn_customergroups', dvTable: 'msdyn_customergroup',
    dvKeyColumn: 'msdyn_groupid', fresh: ['DEL1', 'DEL2'],
    row: async (api, id) => ({ dataAreaId: 'nlmf', CustomerGroupId: id, Description: `Delete test ${id}`, PaymentTermId: String((await api.fnoGet('CustomersV3', key('NL-001'))).PaymentTerms) }),
    used: async (_sandbox, api) => String((await api.fnoGet('CustomersV3', key('NL-001'))).CustomerGroupId),
    refusal: "Transactions exist in table 'Customers'",
  },
  {
    map: 'vendor-groups', fnoSet: 'VendorGroups', fnoKeyField: 'VendorGroupId', dvSet: 'msdyn_vendorgroups', dvTable: 'msdyn_vendorgroup',
    dvKeyColumn: 'msdyn_vendorgroup', fresh: ['VDEL1', 'VDEL2'],
    row: async (_api, id) => ({ dataAreaId: 'nlmf', VendorGroupId: id, Description: `Delete test ${id}`, DefaultPaymentTermName: 'Net30' }),
    used: async (sandbox) => String((sandbox.data.VendorsV2 as Array<Record<string, unknown>>).find((v) => v.dataAreaId === 'nlmf')!.VendorGroupId),
    refusal: "Transactions exist in table 'Vendors'",
  },
];

describe.each(GROUP_CASES)('reference data: the shipped policy of $map deletes on both sides (webhooks on)', (c) => {
  let sandbox: Sandbox;
  let bridge: Bridge;
  let api: ReturnType<typeof sandboxApi>;
  let nlmf: string;
  const fnoGroup = (id: string) => `${sandbox.urls.fno}/data/${c.fnoSet}(dataAreaId='nlmf',${c.fnoKeyField}='${id}')?cross-company=true`;
  const fnoToken = () => sandbox.getToken('bridge', 'fno');
  const groupId = async (id: string) => (await api.dvGet(c.dvSet, `$filter=${c.dvKeyColumn} eq '${id}' and _msdyn_company_value eq ${nlmf}&$select=${c.dvTable}id`))[0]?.[`${c.dvTable}id`] as string | undefined;
  const dvDeleteGroup = async (rowId: string) => {
    // An administrator's delete: in the sandbox only the application user writes tables that are not company-scoped.
    const res = await fetch(`${sandbox.urls.dataverseApi}/${c.dvSet}(${rowId})`, { method: 'DELETE', headers: { authorization: `Bearer ${await sandbox.getToken('bridge', 'dataverse')}` } });
    expect(res.status).toBe(204);
  };

  beforeAll(async () => {
    sandbox = await startWorld();
    api = sandboxApi(sandbox);
    nlmf = String((await api.dvGet('cdm_companies', "$filter=cdm_companycode eq 'nlmf'&$select=cdm_companyid"))[0].cdm_companyid);
    for (const id of c.fresh) await api.fnoChange(c.fnoSet, await c.row(api, id));
    bridge = await startBridge(sandbox, { settings: { maps: [c.map], concurrency: 1 } });
    await eventually(async () => (await json<{ value: unknown[] }>(await fetch(`${sandbox.urls.fno}/_sandbox/events/subscriptions`))).value.length > 0);
    const initial = bridge.sync.initialSync();
    await initial.start(c.map, {});
    await initial.wait(c.map);
    expect(await initial.progress(c.map)).toMatchObject({ state: 'done', failed: 0 });
    await bridge.sync.engine().worker.idle(10_000);
  }, 60_000);
  afterAll(async () => {
    await bridge?.close();
    await sandbox?.close();
  });

  it('deletes the Dataverse group of a group deleted in F&O, and the F&O group of one deleted in Dataverse', async () => {
    const [one, two] = c.fresh;
    expect((await groupId(one)) && (await groupId(two))).toBeTruthy();
    expect((await fetch(fnoGroup(one), { method: 'DELETE', headers: { authorization: `Bearer ${await fnoToken()}`, 'If-Match': '*' } })).status).toBe(204);
    await eventually(async () => (await groupId(one)) === undefined, 5000);
    await dvDeleteGroup((await groupId(two))!);
    await eventually(async () => (await fetch(fnoGroup(two), { headers: { authorization: `Bearer ${await fnoToken()}` } })).status === 404, 5000);
    await bridge.sync.engine().worker.idle(10_000);
    const done = await bridge.sync.engine().deletes.list({ map: c.map, limit: 10 });
    expect(done.map((d) => [d.fnoKey[c.fnoKeyField], d.deletedSide, d.action]).sort()).toEqual([[one, 'fno', 'delete'], [two, 'dataverse', 'delete']]);
  }, 30_000);

  it('parks the delete of a group F&O refuses to delete (records use it), with F&O\'s reason, and keeps the link', async () => {
    const used = await c.used(sandbox, api);
    const rowId = (await groupId(used))!;
    await dvDeleteGroup(rowId);
    const engine = bridge.sync.engine();
    const job = await eventually(async () => { const j = await engine.queue.jobOf(c.map, 'dataverse', rowId); return j?.state === 'parked' ? j : null; }, 5000);
    expect(job.lastError).toContain(c.refusal);
    expect((await fetch(fnoGroup(used), { headers: { authorization: `Bearer ${await fnoToken()}` } })).status).toBe(200);
    expect(await bridge.app.bridge.repos.links.findByDataverse(c.map, c.dvTable, rowId)).not.toBeNull();
  }, 30_000);
});
