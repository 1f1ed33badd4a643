/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- response bodies are parsed JSON of many shapes; the assertions check them */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startDv, type DvHarness } from './helpers';
import { DATAVERSE_ANCHORS, companyId, dvId } from '../../src/dataverse';
import { DEMO_USERS } from '../../src/identity/principals';

let h: DvHarness;
beforeAll(async () => { h = await startDv({ serviceProtection: { maxRequests: 100000, windowSeconds: 300 } }); });
afterAll(async () => { await h.close(); });

const US = companyId('usmf');
const NL = companyId('nlmf');
const SE = companyId('semf');

describe('Dataverse Web API: auth and reads', () => {
  it('answers 401 with a Dataverse error body without a token', async () => {
    const r = await h.call(null, 'GET', 'accounts');
    expect(r.status).toBe(401);
    expect(r.body.error.message).toMatch(/No Authorization header/);
  });

  it('reads by id and by alternate key with the company lookup, with formatted values on request', async () => {
    const byId = await h.call('bridge', 'GET', `accounts(${DATAVERSE_ANCHORS.usOrg})?$select=name,accountnumber,_msdyn_company_value`, { headers: { prefer: 'odata.include-annotations="*"' } });
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({ name: "O'Neill Supplies", accountnumber: 'US-001', _msdyn_company_value: US, '_msdyn_company_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'cdm_company' });
    expect(byId.body['@odata.etag']).toMatch(/^W\/"\d+"$/);
    const labels = await h.call('bridge', 'GET', `accounts(${DATAVERSE_ANCHORS.seDiacritics})?$select=msdyn_onholdstatus,customertypecode,creditlimit`, { headers: { prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' } });
    expect(labels.body['msdyn_onholdstatus@OData.Community.Display.V1.FormattedValue']).toBe('Invoice');
    expect(labels.body['customertypecode@OData.Community.Display.V1.FormattedValue']).toBe('Customer');
    const byKey = await h.call('bridge', 'GET', `accounts(accountnumber='US-001',_msdyn_company_value=${US})?$select=name`);
    expect(byKey.body.accountid).toBe(DATAVERSE_ANCHORS.usOrg);
    const company = await h.call('bridge', 'GET', "cdm_companies(cdm_companycode='nlmf')?$select=cdm_name");
    expect(company.body.cdm_name).toBe('Contoso Nederland B.V.');
    const missing = await h.call('bridge', 'GET', `accounts(accountnumber='NOPE',_msdyn_company_value=${US})`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('0x80040217');
  });

  it('filters on lookups, counts, pages with nextLink and refuses $skip', async () => {
    const first = await h.call('bridge', 'GET', `accounts?$select=accountnumber&$filter=_msdyn_company_value eq ${US}&$orderby=accountnumber&$count=true`, { headers: { prefer: 'odata.maxpagesize=3' } });
    expect(first.status).toBe(200);
    expect(first.body.value).toHaveLength(3);
    expect(first.headers.get('preference-applied')).toBe('odata.maxpagesize=3');
    const all: string[] = first.body.value.map((r: any) => r.accountnumber);
    let next: string | undefined = first.body['@odata.nextLink'];
    expect(next).toContain('$skiptoken=');
    while (next) {
      const page = await h.call('bridge', 'GET', next, { headers: { prefer: 'odata.maxpagesize=3' } });
      all.push(...page.body.value.map((r: any) => r.accountnumber));
      next = page.body['@odata.nextLink'];
    }
    expect(all).toHaveLength(first.body['@odata.count']);
    expect(new Set(all).size).toBe(all.length);
    const skip = await h.call('bridge', 'GET', 'accounts?$skip=3');
    expect(skip.status).toBe(400);
    expect(skip.body.error.message).toMatch(/\$skip/);
    const bad = await h.call('bridge', 'GET', 'accounts?$select=nosuchcolumn');
    expect(bad.status).toBe(400);
  });

  it('expands a lookup and a one-to-many relationship one level', async () => {
    const r = await h.call('bridge', 'GET', "environmentvariabledefinitions?$filter=schemaname eq 'fob_BridgeUrl'&$select=defaultvalue&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)");
    expect(r.body.value[0].defaultvalue).toBeNull();
    expect(r.body.value[0].environmentvariabledefinition_environmentvariablevalue).toEqual([expect.objectContaining({ value: expect.stringMatching(/^http/) })]);
    const a = await h.call('bridge', 'GET', `accounts(${DATAVERSE_ANCHORS.usOrg})?$select=name&$expand=msdyn_company($select=cdm_companycode)`);
    expect(a.body.msdyn_company.cdm_companycode).toBe('usmf');
  });
});

describe('Dataverse Web API: writes', () => {
  it('creates with @odata.bind lookups (by id and by alternate key) and reads them back as _x_value', async () => {
    const r = await h.call('bridge', 'POST', 'accounts', {
      body: { name: 'Bind Test', accountnumber: 'US-BIND', 'msdyn_company@odata.bind': `/cdm_companies(${US})`, 'transactioncurrencyid@odata.bind': "transactioncurrencies(isocurrencycode='USD')" },
    });
    expect(r.status).toBe(204);
    const id = /accounts\(([^)]+)\)$/.exec(r.headers.get('odata-entityid')!)![1];
    const back = await h.call('bridge', 'GET', `accounts(${id})?$select=_msdyn_company_value,_transactioncurrencyid_value`);
    expect(back.body._msdyn_company_value).toBe(US);
    expect(typeof back.body._transactioncurrencyid_value).toBe('string');
    const bad = await h.call('bridge', 'POST', 'accounts', { body: { name: 'x', 'msdyn_company@odata.bind': '/cdm_companies(00000000-0000-0000-0000-000000000001)' } });
    expect(bad.status).toBe(404);
    const unknown = await h.call('bridge', 'POST', 'accounts', { body: { name: 'x', nosuch: 1 } });
    expect(unknown.status).toBe(400);
  });

  it('PATCH upserts by alternate key, honours If-Match * / If-None-Match * and escapes quotes in keys', async () => {
    const key = `accounts(accountnumber='O''BRIEN-1',_msdyn_company_value=${NL})`;
    const onlyUpdate = await h.call('bridge', 'PATCH', key, { body: { name: 'x' }, headers: { 'if-match': '*' } });
    expect(onlyUpdate.status).toBe(404);
    const created = await h.call('bridge', 'PATCH', key, { body: { name: "O'Brien" }, headers: { prefer: 'return=representation' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ accountnumber: "O'BRIEN-1", name: "O'Brien", _msdyn_company_value: NL });
    const onlyCreate = await h.call('bridge', 'PATCH', key, { body: { name: 'again' }, headers: { 'if-none-match': '*' } });
    expect(onlyCreate.status).toBe(412);
    const updated = await h.call('bridge', 'PATCH', key, { body: { name: 'Updated' }, headers: { prefer: 'return=representation' } });
    expect(updated.status).toBe(200);
    expect(Number(/\d+/.exec(updated.body['@odata.etag'])![0])).toBeGreaterThan(Number(/\d+/.exec(created.body['@odata.etag'])![0]));
    const stale = await h.call('bridge', 'PATCH', key, { body: { name: 'Stale' }, headers: { 'if-match': created.body['@odata.etag'] } });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('0x80060882');
    const fresh = await h.call('bridge', 'PATCH', key, { body: { name: 'Fresh' }, headers: { 'if-match': updated.body['@odata.etag'] } });
    expect(fresh.status).toBe(204);
    const dup = await h.call('bridge', 'POST', 'accounts', { body: { name: 'dup', accountnumber: "O'BRIEN-1", 'msdyn_company@odata.bind': `/cdm_companies(${NL})` } });
    expect(dup.status).toBe(412);
    expect((await h.call('bridge', 'DELETE', key)).status).toBe(204);
    expect((await h.call('bridge', 'GET', key)).status).toBe(404);
  });

  it('applies a $batch changeset atomically', async () => {
    const boundary = 'batch_1';
    const cs = 'changeset_1';
    const part = (id: number, body: unknown) => [`--${cs}`, 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', `Content-ID: ${id}`, '',
      `POST ${h.dv.apiUrl}/accounts HTTP/1.1`, 'Content-Type: application/json', '', JSON.stringify(body)].join('\r\n');
    const batch = [`--${boundary}`, `Content-Type: multipart/mixed; boundary=${cs}`, '',
      part(1, { name: 'Batch A', accountnumber: 'US-BATCH-A', 'msdyn_company@odata.bind': `/cdm_companies(${US})` }),
      part(2, { name: 'Batch B', nosuchcolumn: true }), `--${cs}--`, `--${boundary}--`, ''].join('\r\n');
    const r = await h.call('bridge', 'POST', '$batch', { body: batch, headers: { 'content-type': `multipart/mixed; boundary=${boundary}` } });
    expect(r.status).toBe(400); // no continue-on-error: the batch stops at the failed changeset (Microsoft's documented answer)
    expect(r.body).toContain('HTTP/1.1 400');
    const after = await h.call('bridge', 'GET', "accounts?$filter=accountnumber eq 'US-BATCH-A'");
    expect(after.body.value).toHaveLength(0);
  });
});

describe('Dataverse Web API: $batch references', () => {
  it('lets a later changeset request bind to an earlier one by Content-ID', async () => {
    const boundary = 'batch_2';
    const cs = 'changeset_2';
    const part = (id: number, method: string, url: string, body: unknown) => [`--${cs}`, 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', `Content-ID: ${id}`, '',
      `${method} ${url} HTTP/1.1`, 'Content-Type: application/json', '', JSON.stringify(body)].join('\r\n');
    const batch = [`--${boundary}`, `Content-Type: multipart/mixed; boundary=${cs}`, '',
      part(1, 'POST', 'accounts', { name: 'Batch Parent', accountnumber: 'US-BATCH-P', 'msdyn_company@odata.bind': `/cdm_companies(${US})` }),
      part(2, 'PATCH', '$1', { telephone1: '+1 555' }), `--${cs}--`, `--${boundary}--`, ''].join('\r\n');
    const r = await h.call('bridge', 'POST', '$batch', { body: batch, headers: { 'content-type': `multipart/mixed; boundary=${boundary}` } });
    expect(r.status).toBe(200);
    expect(r.body).not.toContain('HTTP/1.1 4');
    const after = await h.call('bridge', 'GET', "accounts?$select=telephone1&$filter=accountnumber eq 'US-BATCH-P'");
    expect(after.body.value[0].telephone1).toBe('+1 555');
  });
});

describe('Dataverse Web API: security', () => {
  const sales = DEMO_USERS.find((u) => u.name === 'sales')!;
  const controller = DEMO_USERS.find((u) => u.name === 'controller')!;

  it('lets users see only their companies and answers 403 for another company record', async () => {
    const list = await h.call('sales', 'GET', 'accounts?$select=_msdyn_company_value');
    expect(list.body.value.length).toBeGreaterThan(0);
    expect(list.body.value.every((r: any) => r._msdyn_company_value !== SE)).toBe(true);
    const denied = await h.call('sales', 'GET', `accounts(${DATAVERSE_ANCHORS.seDiacritics})`);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('0x80040220');
    const write = await h.call('sales', 'PATCH', `accounts(${DATAVERSE_ANCHORS.usOrg})`, { body: { telephone1: '1' }, headers: { 'if-match': '*' } });
    expect(write.status).toBe(403);
    const ok = await h.call('controller', 'PATCH', `accounts(${DATAVERSE_ANCHORS.nlApostrophe})`, { body: { telephone1: '+31 1' }, headers: { 'if-match': '*' } });
    expect(ok.status).toBe(204);
  });

  it('impersonates with CallerObjectId only for the application user', async () => {
    const who = await h.call('bridge', 'GET', 'WhoAmI()', { headers: { callerobjectid: sales.oid } });
    expect(who.body.UserId).toBe(sales.systemUserId);
    const denied = await h.call('bridge', 'GET', `accounts(${DATAVERSE_ANCHORS.seDiacritics})`, { headers: { callerobjectid: sales.oid } });
    expect(denied.status).toBe(403);
    const byUser = await h.call('sales', 'GET', 'WhoAmI()', { headers: { callerobjectid: controller.oid } });
    expect(byUser.status).toBe(403);
  });

  it('decides access from the owner, not the company column: a user\'s own row in a company they may not write, then assigned to that company\'s team', async () => {
    const US = companyId('usmf');
    // The controller may not write usmf's rows, but creates one: it is theirs (their Salesperson role, user depth).
    const created = await h.call('controller', 'POST', 'accounts', { body: { name: 'Owned by Lars', 'msdyn_company@odata.bind': `/cdm_companies(${US})` } });
    expect(created.status).toBe(204);
    const id = /accounts\(([^)]+)\)/.exec(created.headers.get('odata-entityid') ?? '')![1];
    const row = await h.call('bridge', 'GET', `accounts(${id})?$select=_ownerid_value,_owningbusinessunit_value`);
    expect(row.body._ownerid_value).toBe(controller.systemUserId);
    // Sales reads usmf's rows (its readers team), but not one a user owns outside usmf's business unit.
    expect((await h.call('sales', 'GET', `accounts(${id})`)).status).toBe(403);
    expect((await h.call('controller', 'PATCH', `accounts(${id})`, { body: { telephone1: '1' }, headers: { 'if-match': '*' } })).status).toBe(204);
    // Assigned to usmf's owner team (as dual-write, or the bridge, owns a company's rows): now sales reads it and the
    // controller, who has no editors team in usmf, may no longer change it.
    expect((await h.call('bridge', 'PATCH', `accounts(${id})`, { body: { 'ownerid@odata.bind': `/teams(${dvId('team', 'usmf')})` }, headers: { 'if-match': '*' } })).status).toBe(204);
    expect((await h.call('bridge', 'GET', `accounts(${id})?$select=_owningbusinessunit_value`)).body._owningbusinessunit_value).toBe(dvId('businessunit', 'usmf'));
    expect((await h.call('sales', 'GET', `accounts(${id})`)).status).toBe(200);
    expect((await h.call('controller', 'PATCH', `accounts(${id})`, { body: { telephone1: '2' }, headers: { 'if-match': '*' } })).status).toBe(403);
  });

  it('answers RetrievePrincipalAccess per user', async () => {
    const rpa = (userId: string, account: string) =>
      h.call('bridge', 'GET', `systemusers(${userId})/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@t)?@t=${encodeURIComponent(`{'@odata.id':'accounts(${account})'}`)}`);
    const salesNl = await rpa(sales.systemUserId, DATAVERSE_ANCHORS.nlApostrophe);
    expect(salesNl.status).toBe(200);
    expect(salesNl.body['@odata.context']).toMatch(/RetrievePrincipalAccessResponse$/);
    expect(salesNl.body.AccessRights).toContain('ReadAccess');
    expect(salesNl.body.AccessRights).not.toContain('WriteAccess');
    expect((await rpa(controller.systemUserId, DATAVERSE_ANCHORS.nlApostrophe)).body.AccessRights).toContain('WriteAccess');
    expect((await rpa(sales.systemUserId, DATAVERSE_ANCHORS.seDiacritics)).body.AccessRights).toBe('None');
  });
});

describe('service protection and faults', () => {
  it('answers 429 with Retry-After when told to, then recovers', async () => {
    await fetch(`${h.dv.url}/_sandbox/faults`, { method: 'POST', body: JSON.stringify({ throttleNext: { count: 1, retryAfterSeconds: 7 } }) });
    const r = await h.call('bridge', 'GET', 'WhoAmI()');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
    expect((await h.call('bridge', 'GET', 'WhoAmI()')).status).toBe(200);
    await fetch(`${h.dv.url}/_sandbox/faults`, { method: 'POST', body: JSON.stringify({ serviceProtection: { maxRequests: 2, windowSeconds: 60 } }) });
    await h.call('admin', 'GET', 'WhoAmI()');
    await h.call('admin', 'GET', 'WhoAmI()');
    const limited = await h.call('admin', 'GET', 'WhoAmI()');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('0x80072322');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    await fetch(`${h.dv.url}/_sandbox/faults`, { method: 'POST', body: '{}' });
    const stats = await (await fetch(`${h.dv.url}/_sandbox/stats`)).json() as { tables: Record<string, { created: number }> };
    expect(stats.tables.account.created).toBeGreaterThan(0);
  });
});
