// `finops-bridge notifications`, `finops-bridge audit` and `finops-bridge deletes` over the admin API: plain lines for people, one JSON
// document with --json, filters passed through, bad ids refused before any request.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createNotificationsRepo } from '../../bridge-service/src/db/repos/notifications';
import { createDeletesRepo } from '../../bridge-service/src/db/repos/deletes';
import { cli, startCliWorld, type CliWorld } from './support';

let w: CliWorld;
let adminEnv: Record<string, string>;
const ACCOUNT = 'ec4e2f7d-9d60-e811-a95a-000d3af24950';

beforeAll(async () => {
  w = await startCliWorld();
  adminEnv = { BRIDGE_URL: w.bridge.url, BRIDGE_TOKEN: await w.sandbox.getToken('admin', 'bridge') };
  const ctx = w.bridge.app.bridge;
  const notifications = createNotificationsRepo(ctx.store.db);
  await notifications.add('customers-accounts', 'map_paused_by_alert', 'Map customers-accounts was paused: 50 errors.');
  await new Promise((r) => setTimeout(r, 5)); // a later time: newest first is by time
  await notifications.add(null, 'service_unreachable', 'Dataverse does not answer the bridge.');
  await ctx.repos.audit.record({
    requestId: 'req-cli-1', principalOid: '11111111-2222-3333-4444-555555555555', principalName: 'Lars Öberg', accountId: ACCOUNT,
    company: 'nlmf', customerAccount: 'NL-001', changes: { CreditLimit: { before: 5000, after: 7500 } }, result: 'applied', errorCode: null,
  });
  await createDeletesRepo(ctx.store.db).record({
    map: 'customers-accounts', deletedSide: 'fno', dataverseId: ACCOUNT, fnoKey: '{"CustomerAccount":"NL-009","dataAreaId":"nlmf"}', action: 'deactivate',
    message: 'The CustomersV3 record was deleted; the bridge deactivated the linked account row and unlinked it (map customers-accounts, policy deactivate).',
  });
}, 60_000);
afterAll(async () => { await w?.close(); });

describe('finops-bridge notifications', () => {
  it('lists them newest first, filtered by map, as lines or JSON', async () => {
    const all = await cli(['notifications'], adminEnv);
    expect(all.code).toBe(0);
    expect(all.out.split('\n')[0]).toMatch(/service_unreachable: Dataverse does not answer the bridge\.\s+\[no webhook\]$/);
    const one = await cli(['notifications', '--map', 'customers-accounts', '--json'], adminEnv);
    const doc = JSON.parse(one.out) as { notifications: { kind: string; map: string }[] };
    expect(doc.notifications).toEqual([expect.objectContaining({ kind: 'map_paused_by_alert', map: 'customers-accounts' })]);
    expect((await cli(['notifications', '--limit', '1', '--json'], adminEnv)).out).not.toContain('map_paused_by_alert');
  });
});

describe('finops-bridge audit', () => {
  it('lists audited finance edits: who, company and customer, before and after, result, request id', async () => {
    const r = await cli(['audit', '--account', ACCOUNT], adminEnv);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/Lars Öberg {2}nlmf\/NL-001 \(account ec4e2f7d-9d60-e811-a95a-000d3af24950\) {2}applied: CreditLimit 5000 -> 7500 {2}request req-cli-1$/);
    const j = JSON.parse((await cli(['audit', '--json', '--from', '2000-01-01T00:00:00Z'], adminEnv)).out) as { entries: { requestId: string }[] };
    expect(j.entries.map((e) => e.requestId)).toContain('req-cli-1');
    expect((await cli(['audit', '--to', '2000-01-01T00:00:00Z'], adminEnv)).out).toBe('no audited finance edits');
  });

  it('refuses an account that is not an id, and a bad time, saying why', async () => {
    expect(await cli(['audit', '--account', "x' or 1 eq 1"], adminEnv)).toMatchObject({ code: 2, err: expect.stringContaining('--account takes a Dataverse account id') });
    expect(await cli(['audit', '--from', 'yesterday'], adminEnv)).toMatchObject({ code: 1, err: expect.stringContaining('The bridge answered 400') });
  });
});

describe('finops-bridge deletes', () => {
  it('lists the deletes the maps propagated, newest first, filtered by map, as lines or JSON', async () => {
    const r = await cli(['deletes'], adminEnv);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ {2}customers-accounts {2}deactivate {2}The CustomersV3 record was deleted; the bridge deactivated the linked account row and unlinked it/);
    const j = JSON.parse((await cli(['deletes', '--map', 'customers-accounts', '--json'], adminEnv)).out) as { deletes: { fnoKey: Record<string, string>; deletedSide: string }[] };
    expect(j.deletes).toEqual([expect.objectContaining({ deletedSide: 'fno', fnoKey: { CustomerAccount: 'NL-009', dataAreaId: 'nlmf' } })]);
    expect((await cli(['deletes', '--map', 'vendors'], adminEnv)).out).toBe('no deletes propagated');
  });
});
