// The record-level class of the security suites, for the finance route of person customers:
// GET/PATCH /api/v1/contacts/:contactId/finance against the real sandbox. The contact's F&O customer is found only
// through the link the customer sync made under `customers-contacts`, and only while that link still matches the
// contact's current company and contact person id; Dataverse (RetrievePrincipalAccess on the contact) decides who
// reads (otherwise 404, exactly as for a missing id) and who writes (WriteAccess plus Finance.Write).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { companyId, DATAVERSE_ANCHORS, dvId } from '@finops-bridge/sandbox';
import { ContactFinanceSummary, ErrorBody } from '@finops-bridge/bridge-service/contracts';
import { createAuditRepo } from '../../bridge-service/src/db/repos/audit';
import { startHarness, type Harness } from './support/harness';

let h: Harness;
const tokens: Record<string, string> = {};
/** Joëlle in 't Veld: the demo's person customer NL-002 in nlmf, a contact in Dataverse. */
const CONTACT = DATAVERSE_ANCHORS.nlPerson;
/** Shaped as Dataverse makes ids (not RFC 4122 v4). */
const MISSING = 'ec4e2f7d-9d60-e811-a95a-000d3af24950';

beforeAll(async () => {
  h = await startHarness();
  for (const who of ['sales', 'controller', 'admin', 'guest'] as const) tokens[who] = await h.bearer(who);
}, 60_000);

afterAll(async () => {
  await h?.close();
});

const url = (id = CONTACT) => `/api/v1/contacts/${id}/finance`;
const get = (who: string, id = CONTACT, headers: Record<string, string> = {}) =>
  h.app.inject({ url: url(id), headers: { authorization: `Bearer ${tokens[who]}`, ...headers } });
const patch = (who: string, payload: unknown, headers: Record<string, string> = {}, id = CONTACT) =>
  h.app.inject({ method: 'PATCH', url: url(id), payload: payload as object, headers: { authorization: `Bearer ${tokens[who]}`, ...headers } });
const code = (r: { body: string }) => (JSON.parse(r.body) as ErrorBody).error.code;
const audit = () => createAuditRepo(h.app.bridge.store.db).listForAccount(CONTACT);
/** The answer with the row's id taken out, to compare a refused row with a missing one. */
const shape = (r: { statusCode: number; body: string }, id: string) => ({ status: r.statusCode, body: r.body.replaceAll(id, '<id>').replace(/"requestId":"[^"]*"/, '') });

/** The link the customer sync makes between the contact and its F&O customer. */
const linkContact = () => h.app.bridge.repos.links.upsert({
  mapName: 'customers-contacts', dataverseTable: 'contact', dataverseId: CONTACT, fnoEntity: 'CustomersV3', fnoKey: { dataAreaId: 'nlmf', CustomerAccount: 'NL-002' },
});
/** Changes the contact in Dataverse as a CE user could (the bridge's application user writes it here). */
const changeContact = (fields: Record<string, unknown>) => h.app.bridge.clients.dataverse.upsert('contacts', CONTACT, fields, { mode: 'update' });
/**
 * Moves the contact to another company as an admin does in Dataverse: its company, and its owner to that company's
 * owner team. Access follows the owner, as in Dataverse; the company column alone changes nobody's access.
 */
const moveTo = (company: string) => changeContact({
  'msdyn_company@odata.bind': `/cdm_companies(${companyId(company)})`, 'ownerid@odata.bind': `/teams(${dvId('team', company)})`,
});

describe('a contact the customer sync has not linked', () => {
  it('answers 404 FB_CONTACT_NOT_LINKED, even though its company and contact person id name a customer; no link is stored', async () => {
    const r = await get('sales');
    expect(r.statusCode).toBe(404);
    expect(code(r)).toBe('FB_CONTACT_NOT_LINKED');
    expect(r.body).not.toContain('creditLimit');
    expect(await h.app.bridge.repos.links.findByDataverse('customers-contacts', 'contact', CONTACT)).toBeNull();
  });

  it('is never changed: 404 FB_CONTACT_NOT_LINKED, audited, F&O untouched', async () => {
    const before = await h.writes();
    const r = await patch('controller', { creditLimit: 1000 }, { 'if-match': 'W/"any"' });
    expect([r.statusCode, code(r)]).toEqual([404, 'FB_CONTACT_NOT_LINKED']);
    expect((await h.writes()).fno).toBe(before.fno);
    expect((await audit())[0]).toMatchObject({ result: 'rejected', errorCode: 'FB_CONTACT_NOT_LINKED', company: null });
  });

  it('a link made under the accounts map does not count', async () => {
    await h.app.bridge.repos.links.upsert({ mapName: 'customers-accounts', dataverseTable: 'contact', dataverseId: CONTACT, fnoEntity: 'CustomersV3', fnoKey: { dataAreaId: 'nlmf', CustomerAccount: 'NL-002' } });
    expect(code(await get('sales'))).toBe('FB_CONTACT_NOT_LINKED');
  });
});

describe('a linked contact', () => {
  beforeAll(linkContact);

  it('shows the person customer\'s summary to a sales user who reads nlmf, with an ETag; If-None-Match gives 304', async () => {
    const r = await get('sales');
    expect(r.statusCode).toBe(200);
    const s = ContactFinanceSummary.parse(r.json());
    expect(s).toMatchObject({ contactId: CONTACT, company: 'nlmf', customerAccount: 'NL-002', name: "Joëlle in 't Veld", currency: 'EUR', editableFields: [] });
    expect(r.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(r.headers['cache-control']).toBe('private, max-age=30');
    const again = await get('sales', CONTACT, { 'if-none-match': String(r.headers.etag) });
    expect([again.statusCode, again.body]).toEqual([304, '']);
  });

  it('lets the controller (Finance.Write, WriteAccess in nlmf) change it with If-Match, and audits the change', async () => {
    const before = ContactFinanceSummary.parse((await get('controller')).json());
    expect(before.editableFields).toEqual(['creditLimit', 'onHoldStatus']);
    const limit = before.creditLimit + 1500;
    const r = await patch('controller', { creditLimit: limit, onHoldStatus: 'Invoice' }, { 'if-match': before.etag, 'idempotency-key': 'contact-edit-0001' });
    expect(r.statusCode).toBe(200);
    expect(ContactFinanceSummary.parse(r.json())).toMatchObject({ contactId: CONTACT, creditLimit: limit, onHoldStatus: 'Invoice' });
    // In F&O now: a fresh read shows it.
    expect((await get('sales')).json()).toMatchObject({ creditLimit: limit, onHoldStatus: 'Invoice' });
    expect((await audit())[0]).toMatchObject({
      result: 'applied', accountId: CONTACT, company: 'nlmf', customerAccount: 'NL-002',
      changes: { CreditLimit: { before: before.creditLimit, after: limit }, OnHoldStatus: { before: before.onHoldStatus, after: 'Invoice' } },
    });
    // The same key and request: the stored answer, nothing applied twice.
    const replay = await patch('controller', { creditLimit: limit, onHoldStatus: 'Invoice' }, { 'if-match': before.etag, 'idempotency-key': 'contact-edit-0001' });
    expect([replay.statusCode, replay.headers['idempotent-replayed']]).toEqual([200, 'true']);
    // The old etag is stale now: 412 with the current values.
    const stale = await patch('controller', { creditLimit: 1 }, { 'if-match': before.etag });
    expect([stale.statusCode, code(stale)]).toEqual([412, 'FB_CONFLICT_ETAG']);
    expect(stale.json().error.details.current).toMatchObject({ contactId: CONTACT, creditLimit: limit });
  });

  it('needs If-Match (428) and Finance.Write (403 for sales)', async () => {
    expect((await patch('controller', { creditLimit: 1 })).statusCode).toBe(428);
    const r = await patch('sales', { creditLimit: 1 }, { 'if-match': 'W/"x"' });
    expect([r.statusCode, code(r)]).toEqual([403, 'FB_AUTH_FORBIDDEN']);
  });

  it('an Idempotency-Key used on an account cannot be replayed on the contact', async () => {
    const account = await h.app.inject({ url: `/api/v1/accounts/${h.accounts.nlmf.accountid}/finance`, headers: { authorization: `Bearer ${tokens.controller}` } });
    const body = { creditLimit: 1 };
    const onAccount = await h.app.inject({ method: 'PATCH', url: `/api/v1/accounts/${h.accounts.nlmf.accountid}/finance`, payload: body, headers: { authorization: `Bearer ${tokens.controller}`, 'if-match': 'W/"stale"', 'idempotency-key': 'cross-table-0001' } });
    expect(account.statusCode).toBe(200);
    expect(onAccount.statusCode).toBe(412);
    const onContact = await patch('controller', body, { 'if-match': 'W/"stale"', 'idempotency-key': 'cross-table-0001' });
    expect([onContact.statusCode, code(onContact)]).toEqual([422, 'FB_IDEMPOTENCY_MISMATCH']);
  });

  it('answers the guest 403 and a caller without a token 401, before looking at the row', async () => {
    expect((await get('guest')).statusCode).toBe(403);
    const anonymous = await h.app.inject({ url: url('not-a-guid') });
    expect([anonymous.statusCode, code(anonymous)]).toEqual([401, 'FB_AUTH_MISSING_TOKEN']);
  });
});

describe('record-level access and stale links', () => {
  beforeAll(linkContact);

  it('a contact of a company the user may not write (usmf for the controller): 403 FB_RECORD_FORBIDDEN, audited, F&O untouched', async () => {
    await moveTo('usmf');
    try {
      const before = await h.writes();
      const r = await patch('controller', { creditLimit: 5 }, { 'if-match': 'W/"any"' });
      expect([r.statusCode, code(r)]).toEqual([403, 'FB_RECORD_FORBIDDEN']);
      expect((await h.writes()).fno).toBe(before.fno);
      expect((await audit())[0]).toMatchObject({ result: 'rejected', errorCode: 'FB_RECORD_FORBIDDEN' });
    } finally {
      await moveTo('nlmf');
    }
  });

  it('a contact of a company the user may not read (semf for sales): 404 exactly as for a missing id', async () => {
    await moveTo('semf');
    try {
      const refused = await get('sales');
      expect([refused.statusCode, code(refused)]).toEqual([404, 'FB_CONTACT_NOT_FOUND']);
      expect(refused.body).not.toContain('NL-002');
      expect(refused.body).not.toContain('semf');
      expect(shape(refused, CONTACT)).toEqual(shape(await get('sales', MISSING), MISSING));
      const write = await patch('sales', { creditLimit: 5 }, { 'if-match': 'W/"any"' });
      expect(write.statusCode).toBe(403); // no Finance.Write: refused before the row is looked at
    } finally {
      await moveTo('nlmf');
    }
  });

  it('a stale link (contact moved to semf, where the controller may read and write): refused on read and write, nothing reaches F&O', async () => {
    await moveTo('semf');
    try {
      const read = await get('controller');
      expect([read.statusCode, code(read)]).toEqual([404, 'FB_CONTACT_NOT_LINKED']);
      expect(read.json().error.message).toMatch(/company or contact person id .*changed since it was linked/);
      expect(read.body).not.toContain('NL-002');
      const before = await h.writes();
      const write = await patch('controller', { creditLimit: 999999 }, { 'if-match': 'W/"any"' });
      expect([write.statusCode, code(write)]).toEqual([404, 'FB_CONTACT_NOT_LINKED']);
      expect((await h.writes()).fno).toBe(before.fno);
      expect((await audit())[0]).toMatchObject({ result: 'rejected', errorCode: 'FB_CONTACT_NOT_LINKED', company: null, customerAccount: null });
    } finally {
      await moveTo('nlmf');
    }
    expect((await get('controller')).statusCode).toBe(200);
  });

  it('access follows the owner, not the company column: moved to semf but still owned by nlmf\'s team, sales still reads the contact; the stale link is refused', async () => {
    await changeContact({ 'msdyn_company@odata.bind': `/cdm_companies(${companyId('semf')})` });
    try {
      const token = await h.app.bridge.clients.dataverse.get('contacts', CONTACT, { select: ['_ownerid_value'] });
      expect(String(token?._ownerid_value)).toBe(dvId('team', 'nlmf'));
      // Sales reads nlmf's rows (not semf's): the row is still theirs to see, so the answer is the stale link's, not a 404 of a row they may not read.
      const r = await get('sales');
      expect([r.statusCode, code(r)]).toEqual([404, 'FB_CONTACT_NOT_LINKED']);
      expect(r.json().error.message).toMatch(/company or contact person id .*changed since it was linked/);
    } finally {
      await changeContact({ 'msdyn_company@odata.bind': `/cdm_companies(${companyId('nlmf')})` });
    }
  });

  it('a stale link (contact person id changed to another customer\'s number): refused, the other customer is not shown', async () => {
    await changeContact({ msdyn_contactpersonid: 'NL-001' });
    try {
      const r = await get('controller');
      expect([r.statusCode, code(r)]).toEqual([404, 'FB_CONTACT_NOT_LINKED']);
      expect(r.body).not.toContain('Bakkerij');
    } finally {
      await changeContact({ msdyn_contactpersonid: 'NL-002' });
    }
  });
});
