import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { makeKeys, sign, userClaims, type TestKeys } from './support/tokens';
import { makeTestApp, type TestApp } from './support/app';
import { ACCOUNT, OTHER_COMPANY, UNLINKED, USERS, installFakes, type FakeState } from './support/fake-downstream';
import { createAuditRepo } from '../src/db/repos/audit';
import { createLinksRepo } from '../src/db/repos/links';
import { FinanceSummary } from '../src/contracts/index';

let keys: TestKeys;
let t: TestApp;
let fake: FakeState;
const url = (id = ACCOUNT) => `/api/v1/accounts/${id}/finance`;
const tokenFor = (u: keyof typeof USERS, roles: string[]) => sign(keys.privateKey, userClaims(USERS[u].oid, roles));

beforeAll(async () => { keys = await makeKeys(); });
beforeEach(async () => {
  t = await makeTestApp(keys);
  fake = installFakes(t.agent);
});
afterEach(async () => {
  await t.app.close();
  await t.agent.close();
});

async function get(token: string, headers: Record<string, string> = {}, id = ACCOUNT) {
  return t.app.inject({ method: 'GET', url: url(id), headers: { authorization: `Bearer ${token}`, ...headers } });
}
async function patch(token: string, payload: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'PATCH', url: url(), headers: { authorization: `Bearer ${token}`, ...headers }, payload: payload as object });
}
const audit = () => createAuditRepo(t.store.db).listForAccount(ACCOUNT);
const links = () => createLinksRepo(t.store.db);
/** The link the customer sync makes between ACCOUNT and its F&O customer. */
const linkAccount = () => links().upsert({
  mapName: 'customers-accounts', dataverseTable: 'account', dataverseId: ACCOUNT, fnoEntity: 'CustomersV3', fnoKey: { dataAreaId: 'usmf', CustomerAccount: "US-0'01" },
});

describe('GET /api/v1/accounts/:id/finance', () => {
  it('answers the summary of the linked customer with an ETag and short private caching', async () => {
    const res = await get(await tokenFor('reader', ['Finance.Read']));
    expect(res.statusCode).toBe(200);
    const s = FinanceSummary.parse(res.json());
    expect(s).toMatchObject({ company: 'usmf', customerAccount: "US-0'01", creditLimit: 10000, balance: 2500.5, overdueAmount: 300, onHoldStatus: 'No',
      creditLimitIsMandatory: true, currency: 'USD', paymentTerms: 'Net30', customerGroup: '10', editableFields: [] });
    expect(s.openOrders[0]).toMatchObject({ salesOrderNumber: '000123', requestedShipDate: null });
    expect(s.invoices[0].invoiceNumber).toBe('CIV-1');
    expect(res.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(res.headers['cache-control']).toBe('private, max-age=30');
    const again = await get(await tokenFor('reader', ['Finance.Read']), { 'if-none-match': String(res.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('lists editable fields for a user with Finance.Write and WriteAccess, once the account is linked', async () => {
    const writer = await tokenFor('writer', ['Finance.Read', 'Finance.Write']);
    expect((await get(writer)).json().editableFields).toEqual([]);
    await linkAccount();
    expect((await get(writer)).json().editableFields).toEqual(['creditLimit', 'onHoldStatus']);
  });

  it('never stores a link: only the sync links records', async () => {
    expect((await get(await tokenFor('reader', ['Finance.Read']))).statusCode).toBe(200);
    expect(await links().findByDataverse('customers-accounts', 'account', ACCOUNT)).toBeNull();
  });

  it('refuses a link that no longer matches the account (moved to another company), and reads nothing from F&O', async () => {
    await linkAccount();
    fake.account._msdyn_company_value = OTHER_COMPANY;
    const res = await get(await tokenFor('writer', ['Finance.Read']));
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'FB_ACCOUNT_NOT_LINKED' });
    expect(res.json().error.message).toMatch(/company or account number changed since it was linked/);
    expect(res.body).not.toContain('US-0');
  });

  it('refuses a link that no longer matches the account number a user typed', async () => {
    await linkAccount();
    fake.account.accountnumber = 'US-0002';
    expect((await get(await tokenFor('reader', ['Finance.Read']))).json().error.code).toBe('FB_ACCOUNT_NOT_LINKED');
  });

  it('answers 404 to a user Dataverse has disabled, whatever their rights', async () => {
    const res = await get(await tokenFor('disabled', ['Finance.Read']));
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('FB_ACCOUNT_NOT_FOUND');
  });

  it('answers 404 (not 403) for an account the user may not read, so its existence is not revealed', async () => {
    const res = await get(await tokenFor('outsider', ['Finance.Read']));
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('FB_ACCOUNT_NOT_FOUND');
  });

  it('answers 404 FB_ACCOUNT_NOT_LINKED with a reason for an account without number or company', async () => {
    const res = await get(await tokenFor('writer', ['Finance.Read']), {}, UNLINKED);
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'FB_ACCOUNT_NOT_LINKED' });
    expect(res.json().error.message).toMatch(/no account number/);
  });

  it('rejects a malformed account id with 400', async () => {
    const res = await get(await tokenFor('reader', ['Finance.Read']), {}, "x') or (1");
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('FB_VALIDATION');
  });
});

describe('PATCH /api/v1/accounts/:id/finance', () => {
  beforeEach(async () => { await linkAccount(); });

  it('refuses to change an account the sync has not linked, writes nothing and audits the refusal', async () => {
    const etag = await currentEtag();
    await t.store.db.deleteFrom('links').execute();
    const res = await patch(await tokenFor('writer', ['Finance.Write']), { creditLimit: 1 }, { 'if-match': etag });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('FB_ACCOUNT_NOT_LINKED');
    expect(fake.patches).toHaveLength(0);
    expect((await audit())[0]).toMatchObject({ result: 'rejected', errorCode: 'FB_ACCOUNT_NOT_LINKED' });
  });

  it('refuses to change the customer of a stale link (account moved to another company): nothing reaches F&O', async () => {
    const etag = await currentEtag();
    fake.account._msdyn_company_value = OTHER_COMPANY;
    const res = await patch(await tokenFor('writer', ['Finance.Write']), { creditLimit: 999999 }, { 'if-match': etag });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('FB_ACCOUNT_NOT_LINKED');
    expect(fake.patches).toHaveLength(0);
    expect((await audit())[0]).toMatchObject({ result: 'rejected', errorCode: 'FB_ACCOUNT_NOT_LINKED', company: null });
  });

  async function currentEtag(): Promise<string> {
    return (await get(await tokenFor('writer', ['Finance.Read']))).json<{ etag: string }>().etag;
  }

  it('writes to F&O with the caller If-Match and leaves an audit row', async () => {
    const etag = await currentEtag();
    const res = await patch(await tokenFor('writer', ['Finance.Write']), { creditLimit: 25000, onHoldStatus: 'Invoice' }, { 'if-match': etag });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ creditLimit: 25000, onHoldStatus: 'Invoice' });
    expect(fake.patches).toEqual([{ ifMatch: etag, body: { CreditLimit: 25000, OnHoldStatus: 'Invoice' } }]);
    const rows = await audit();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ result: 'applied', principalOid: USERS.writer.oid, company: 'usmf', customerAccount: "US-0'01",
      changes: { CreditLimit: { before: 10000, after: 25000 }, OnHoldStatus: { before: 'No', after: 'Invoice' } } });
  });

  it('answers 412 with the current values for a stale etag, writes nothing and audits the conflict', async () => {
    const stale = await currentEtag();
    fake.version++; // someone else changed the customer
    fake.customer.CreditLimit = 777;
    const res = await patch(await tokenFor('writer', ['Finance.Write']), { creditLimit: 1 }, { 'if-match': stale });
    expect(res.statusCode).toBe(412);
    expect(res.json().error.code).toBe('FB_CONFLICT_ETAG');
    expect(res.json().error.details.current.creditLimit).toBe(777);
    expect(fake.patches).toHaveLength(0);
    expect((await audit())[0]).toMatchObject({ result: 'conflict', errorCode: 'FB_CONFLICT_ETAG' });
  });

  it('applies a repeated Idempotency-Key once and replays the answer; another body with that key gets 422', async () => {
    const etag = await currentEtag();
    const token = await tokenFor('writer', ['Finance.Write']);
    const h = { 'if-match': etag, 'idempotency-key': 'edit-0001-abcdef' };
    const first = await patch(token, { creditLimit: 5000 }, h);
    const second = await patch(token, { creditLimit: 5000 }, h);
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(fake.patches).toHaveLength(1);
    const other = await patch(token, { creditLimit: 6000 }, h);
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('FB_IDEMPOTENCY_MISMATCH');
    expect(fake.patches).toHaveLength(1);
    expect(await audit()).toHaveLength(1);
  });

  it('forgets Idempotency-Keys once they expire (housekeeping), and only those', async () => {
    const token = await tokenFor('writer', ['Finance.Write']);
    await patch(token, { creditLimit: 5000 }, { 'if-match': await currentEtag(), 'idempotency-key': 'edit-0002-expiring' });
    await patch(token, { creditLimit: 5100 }, { 'if-match': await currentEtag(), 'idempotency-key': 'edit-0003-current' });
    const keys = () => t.store.db.selectFrom('idempotency_keys').select('idem_key').orderBy('idem_key').execute();
    expect(await keys()).toHaveLength(2);
    await t.store.db.updateTable('idempotency_keys').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('idem_key', '=', 'edit-0002-expiring').execute();
    expect(await t.app.housekeeping.runOnce()).toMatchObject({ 'expired idempotency keys': 1 });
    expect(await keys()).toEqual([{ idem_key: 'edit-0003-current' }]);
  });

  const bad: [string, unknown][] = [
    ['an empty edit', {}], ['a negative credit limit', { creditLimit: -5 }], ['a string amount', { creditLimit: '100' }],
    ['an unknown status', { onHoldStatus: 'Maybe' }], ['an unknown field', { creditLimit: 1, name: 'x' }], ['not an object', [1, 2]],
  ];
  for (const [what, body] of bad) {
    it(`answers 400 for ${what} and changes nothing`, async () => {
      const res = await patch(await tokenFor('writer', ['Finance.Write']), body, { 'if-match': 'W/"x"' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('FB_VALIDATION');
      expect(fake.patches).toHaveLength(0);
      expect(await audit()).toHaveLength(0);
    });
  }

  it('answers 413 for a body over the limit', async () => {
    const res = await patch(await tokenFor('writer', ['Finance.Write']), { creditLimit: 1, pad: 'x'.repeat(70_000) }, { 'if-match': 'W/"x"' });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('FB_PAYLOAD_TOO_LARGE');
  });

  it('needs If-Match (428)', async () => {
    const res = await patch(await tokenFor('writer', ['Finance.Write']), { creditLimit: 1 });
    expect(res.statusCode).toBe(428);
    expect(fake.patches).toHaveLength(0);
  });

  it('answers 403 FB_RECORD_FORBIDDEN to a Finance.Write user without WriteAccess on the account, and audits it', async () => {
    const res = await patch(await tokenFor('reader', ['Finance.Write']), { creditLimit: 1 }, { 'if-match': 'W/"x"' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FB_RECORD_FORBIDDEN');
    expect(fake.patches).toHaveLength(0);
    expect((await audit())[0]).toMatchObject({ result: 'rejected', errorCode: 'FB_RECORD_FORBIDDEN' });
  });
});

describe('service routes', () => {
  it('/health is alive; /ready answers from the store and reports the downstreams checked in the background', async () => {
    expect((await t.app.inject('/health')).json()).toEqual({ status: 'ok' });
    let ready = await t.app.inject('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', store: { status: 'ok' } });
    expect(Object.keys(ready.json().dependencies)).toEqual(['fno', 'dataverse']);
    // The first background round runs when the app is ready; wait for its result.
    for (let i = 0; i < 100 && ready.json().dependencies.fno.status === 'unknown'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      ready = await t.app.inject('/ready');
    }
    expect(ready.json().dependencies).toMatchObject({ fno: { status: 'ok' }, dataverse: { status: 'ok' } });
    // The background check is the only one: however often /ready is asked, F&O is not called for it.
    const pings = () => fake.pings;
    const before = pings();
    for (let i = 0; i < 5; i++) await t.app.inject('/ready');
    expect(pings()).toBe(before);
  });

  it('/ready answers 503 when the store fails, keeping the error text out of the answer', async () => {
    t.store.ping = () => Promise.reject(new Error('database is locked at db.internal:5432 for user bridge'));
    const ready = await t.app.inject('/ready');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'not_ready', store: { status: 'failing' } });
    expect(ready.body).not.toContain('db.internal');
  });

  it('/metrics is not served without METRICS_TOKEN', async () => {
    expect((await t.app.inject('/metrics')).statusCode).toBe(404);
  });

  it('serves OpenAPI generated from the zod schemas', async () => {
    const doc = (await t.app.inject('/docs/json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    const op = doc.paths['/api/v1/accounts/{accountId}/finance'];
    expect(op.get.responses['200']).toBeDefined();
    expect(op.patch.requestBody).toBeDefined();
    const contact = doc.paths['/api/v1/contacts/{contactId}/finance'];
    expect(contact.get.responses['200'].content['application/json'].schema.properties.contactId).toBeDefined();
    expect(contact.patch.requestBody).toBeDefined();
  });

  it('allows CORS from a configured Dynamics origin only', async () => {
    const ok = await t.app.inject({ method: 'OPTIONS', url: url(), headers: { origin: 'https://contoso.crm4.dynamics.com', 'access-control-request-method': 'PATCH' } });
    expect(ok.headers['access-control-allow-origin']).toBe('https://contoso.crm4.dynamics.com');
    const no = await t.app.inject({ method: 'OPTIONS', url: url(), headers: { origin: 'https://evil.example', 'access-control-request-method': 'PATCH' } });
    expect(no.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('never logs the downstream token or the client secret', async () => {
    await get(await tokenFor('reader', ['Finance.Read']));
    const all = t.logs.join('');
    expect(all).not.toContain('downstream-access-token-xyz');
    expect(all).not.toContain('very-secret-value-123');
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  let m: TestApp;
  beforeEach(async () => { m = await makeTestApp(keys, { config: { METRICS_TOKEN: 'scrape-token-0123456789' } }); });
  afterEach(async () => { await m.app.close(); await m.agent.close(); });

  it('speaks Prometheus to the holder of the token and refuses everyone else with 401', async () => {
    const ok = await m.app.inject({ url: '/metrics', headers: { authorization: 'Bearer scrape-token-0123456789' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('finops_bridge_http_request_duration_seconds');
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789', 'scrape-token-0123456789']) {
      const res = await m.app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('FB_METRICS_TOKEN_INVALID');
      expect(res.body).not.toContain('finops_bridge_');
    }
  });
});
