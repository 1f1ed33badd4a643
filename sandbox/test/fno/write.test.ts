import { fileURLToPath } from 'node:url';
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { FnoServer } from '../../src/fno/server';
import { call, startFno } from './helpers';

const FIX = fileURLToPath(new URL('../../../test/fixtures/real', import.meta.url));
let s: FnoServer;
beforeAll(async () => { s = await startFno(); });
afterAll(async () => { await s.close(); });
beforeEach(async () => { await fetch(`${s.url}/_sandbox/reset`, { method: 'POST' }); });

const US1 = "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='US-001')";
const stats = async (): Promise<{ entities: Record<string, { creates: number; updates: number; deletes: number }> }> => (await fetch(`${s.url}/_sandbox/stats`)).json() as never;
type ErrBody = { error: { code: string; message: string; innererror: { message: string; type: string; stacktrace: string } } };

describe('F&O sandbox writes', () => {
  it('changes the ETag on every write and answers 412 to a stale If-Match', async () => {
    const etag1 = (await (await call(s, US1)).json() as Record<string, string>)['@odata.etag'];
    const p1 = await call(s, US1, { method: 'PATCH', headers: { 'if-match': etag1 }, body: JSON.stringify({ CreditLimit: 60000 }) });
    expect(p1.status).toBe(204);
    const etag2 = p1.headers.get('etag');
    expect(etag2).not.toBe(etag1);
    const stale = await call(s, US1, { method: 'PATCH', headers: { 'if-match': etag1 }, body: JSON.stringify({ CreditLimit: 1 }) });
    expect(stale.status).toBe(412);
    expect(((await stale.json()) as ErrBody).error.innererror.message).toMatch(/changed by someone else/);
    expect((await call(s, US1, { method: 'PATCH', headers: { 'if-match': '*' }, body: JSON.stringify({ CreditLimitIsMandatory: 'No' }) })).status).toBe(204);
    const now = await (await call(s, US1)).json() as Record<string, unknown>;
    expect(now).toMatchObject({ CreditLimit: 60000, CreditLimitIsMandatory: 'No' });
    expect((await stats()).entities.CustomersV3.updates).toBe(2);
  });

  it('rejects a customer whose group does not exist with the real F&O error body, and writes nothing', async () => {
    const res = await call(s, '/data/CustomersV3', { method: 'POST', body: JSON.stringify({ dataAreaId: 'usmf', CustomerAccount: 'US-NEW', CustomerGroupId: 'Local', OrganizationName: 'X' }) });
    expect(res.status).toBe(400);
    const body = await res.json() as ErrBody;
    const fixture = JSON.parse(readFileSync(`${FIX}/fo-odata-error-custcustomerv3-write-failed.json`, 'utf8')) as ErrBody;
    expect(body.error.innererror.message).toBe(fixture.error.innererror.message);
    expect(Object.keys(body.error).sort()).toEqual(Object.keys(fixture.error).sort());
    expect(Object.keys(body.error.innererror).sort()).toEqual(Object.keys(fixture.error.innererror).sort());
    expect(body.error.innererror.type).toBe(fixture.error.innererror.type);
    expect((await call(s, "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='US-NEW')")).status).toBe(404);
    expect((await stats()).entities.CustomersV3?.creates ?? 0).toBe(0);
  });

  it('refuses a customer without its customer group (CustTable.CustGroup is mandatory)', async () => {
    const res = await call(s, '/data/CustomersV3', { method: 'POST', body: JSON.stringify({ dataAreaId: 'usmf', CustomerAccount: 'US-NOGROUP', OrganizationName: 'X', PartyType: 'Organization' }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrBody).error.innererror.message).toBe("Write failed for table row of type 'CustCustomerV3Entity'. Infolog: Warning: Field 'Customer group' must be filled in.");
    expect((await stats()).entities.CustomersV3?.creates ?? 0).toBe(0);
  });

  it('refuses a vendor without its vendor group (VendTable.VendGroup is mandatory), and creates it with one', async () => {
    const vendor = { dataAreaId: 'usmf', VendorAccountNumber: 'V-NEW', VendorOrganizationName: 'New Vendor Inc.', CurrencyCode: 'USD' };
    const res = await call(s, '/data/VendorsV2', { method: 'POST', body: JSON.stringify(vendor) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrBody).error.innererror.message).toBe("Write failed for table row of type 'VendVendorV2Entity'. Infolog: Warning: Field 'Vendor group' must be filled in.");
    expect((await stats()).entities.VendorsV2?.creates ?? 0).toBe(0);
    expect((await call(s, '/data/VendorsV2', { method: 'POST', body: JSON.stringify({ ...vendor, VendorGroupId: '10' }) })).status).toBe(201);
  });

  it('validates types, enum names, unknown properties and key changes with 400', async () => {
    const bad = [{ Nope: 1 }, { CreditLimit: '5' }, { OnHoldStatus: 'Maybe' }, { CreditLimit: null }, { CustomerAccount: 'US-999' }, { PaymentTermsBaseDays: 1.5 }];
    for (const b of bad) {
      const res = await call(s, US1, { method: 'PATCH', body: JSON.stringify(b) });
      expect([b, res.status]).toEqual([b, 400]);
    }
    expect((await stats()).entities.CustomersV3?.updates ?? 0).toBe(0);
  });

  it('creates, refuses duplicates and other companies without cross-company, deletes', async () => {
    const row = { CustomerAccount: "US-O'Hara", CustomerGroupId: '10', OrganizationName: "O'Hara & Co", SalesCurrencyCode: 'USD' };
    const created = await call(s, '/data/CustomersV3', { method: 'POST', body: JSON.stringify(row) });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${s.url}/data/CustomersV3(dataAreaId='usmf',CustomerAccount='US-O''Hara')`);
    expect((await call(s, '/data/CustomersV3', { method: 'POST', body: JSON.stringify(row) })).status).toBe(409);
    const other = await call(s, '/data/CustomersV3', { method: 'POST', body: JSON.stringify({ ...row, dataAreaId: 'nlmf' }) });
    expect(other.status).toBe(400);
    const key = encodeURIComponent("dataAreaId='usmf',CustomerAccount='US-O''Hara'");
    expect((await call(s, `/data/CustomersV3(${key})`)).status).toBe(200);
    expect((await call(s, `/data/CustomersV3(${key})`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(s, `/data/CustomersV3(${key})`)).status).toBe(404);
    expect((await stats()).entities.CustomersV3).toMatchObject({ creates: 1, deletes: 1 });
  });

  it('refuses to delete what others still refer to, as F&O\'s restricted delete actions do', async () => {
    // US-001 has open orders and invoices in the demo data; customer group 10 of usmf is used by customers.
    const customer = await call(s, US1, { method: 'DELETE', headers: { 'if-match': '*' } });
    expect(customer.status).toBe(400);
    expect(((await customer.json()) as ErrBody).error.innererror.message).toMatch(/Cannot delete a record in Customers \(CustTable\)\. CustomerAccount: US-001\. The record may not be deleted\. Transactions exist in table 'Sales orders'/);
    expect((await call(s, US1)).status).toBe(200);
    const group = await call(s, "/data/CustomerGroups(dataAreaId='usmf',CustomerGroupId='10')", { method: 'DELETE' });
    expect(group.status).toBe(400);
    expect(((await group.json()) as ErrBody).error.innererror.message).toMatch(/Transactions exist in table 'Customers'/);
    expect((await stats()).entities.CustomersV3?.deletes ?? 0).toBe(0);
  });

  it('vendor groups: a vendor needs a group of its own company; a group with vendors is not deleted, an unused one is', async () => {
    const vendor = { dataAreaId: 'usmf', VendorAccountNumber: 'V-NEWGROUP', VendorOrganizationName: 'New Vendor Inc.', CurrencyCode: 'USD' };
    const unknown = await call(s, '/data/VendorsV2', { method: 'POST', body: JSON.stringify({ ...vendor, VendorGroupId: '99' }) });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as ErrBody).error.innererror.message).toBe(
      "Write failed for table row of type 'VendVendorV2Entity'. Infolog: Warning: The value '99' in field 'Vendor group' is not found in the related table 'Vendor groups'.; Warning: validateField failed on field 'VendVendorV2Entity.VendorGroupId'.",
    );
    // A group made in another company does not count.
    expect((await call(s, '/data/VendorGroups?cross-company=true', { method: 'POST', body: JSON.stringify({ dataAreaId: 'nlmf', VendorGroupId: '99', Description: 'NL only' }) })).status).toBe(201);
    expect((await call(s, '/data/VendorsV2', { method: 'POST', body: JSON.stringify({ ...vendor, VendorGroupId: '99' }) })).status).toBe(400);
    // A group's terms of payment must exist in its company too.
    const badTerms = await call(s, '/data/VendorGroups', { method: 'POST', body: JSON.stringify({ dataAreaId: 'usmf', VendorGroupId: '98', DefaultPaymentTermName: 'Net99' }) });
    expect(badTerms.status).toBe(400);
    expect(((await badTerms.json()) as ErrBody).error.innererror.message).toMatch(/The value 'Net99' in field 'Terms of payment' is not found in the related table 'Terms of payment'.*VendVendorGroupEntity\.DefaultPaymentTermName/);
    expect((await stats()).entities.VendorsV2?.creates ?? 0).toBe(0);

    const used = await call(s, "/data/VendorGroups(dataAreaId='usmf',VendorGroupId='10')", { method: 'DELETE' });
    expect(used.status).toBe(400);
    expect(((await used.json()) as ErrBody).error.innererror.message).toMatch(/Cannot delete a record in Vendor groups \(VendGroup\)\. VendorGroupId: 10\. .*Transactions exist in table 'Vendors'/);
    expect((await call(s, "/data/VendorGroups(dataAreaId='usmf',VendorGroupId='40')", { method: 'DELETE' })).status).toBe(204);
  });
});

describe('$batch', () => {
  const batchOf = (path: string): { body: string; ct: string } => {
    const raw = readFileSync(path, 'utf8');
    return { body: raw.split('\n').slice(3).join('\r\n').replace(/https:\/\/\{\{base_url\}\}/g, s.url), ct: 'multipart/mixed; boundary=batch_boundary' };
  };

  it('runs the real changeset request and answers 201 per part', async () => {
    const { body, ct } = batchOf(`${FIX}/fo-odata-batch-request-two-inserts-one-changeset.http`);
    const res = await call(s, '/data/$batch', { method: 'POST', headers: { 'content-type': ct }, body });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.match(/HTTP\/1\.1 201 Created/g)).toHaveLength(2);
    expect((await stats()).entities.CustomerGroups.creates).toBe(2);
  });

  it('resolves Content-ID references inside a changeset', async () => {
    const part = (id: string, line: string, body: unknown): string => ['--cs', 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', `Content-ID: ${id}`, '',
      line, 'Content-Type: application/json', '', JSON.stringify(body), ''].join('\r\n');
    const body = ['--b', 'Content-Type: multipart/mixed; boundary=cs', '',
      part('1', 'POST CustomerGroups HTTP/1.1', { CustomerGroupId: 'CID', Description: 'via batch' }),
      part('2', 'PATCH $1 HTTP/1.1', { Description: 'patched through $1' }), '--cs--', '--b--', ''].join('\r\n');
    const res = await call(s, '/data/$batch', { method: 'POST', headers: { 'content-type': 'multipart/mixed; boundary=b' }, body });
    const text = await res.text();
    expect(text).toMatch(/HTTP\/1\.1 201 Created[\s\S]*HTTP\/1\.1 204 No Content/);
    const rec = await (await call(s, "/data/CustomerGroups(dataAreaId='usmf',CustomerGroupId='CID')")).json();
    expect(rec).toMatchObject({ Description: 'patched through $1' });
  });

  it('is all-or-nothing: a failing changeset leaves no write and answers 200 with the failing part', async () => {
    const { body, ct } = batchOf(`${FIX}/fo-odata-batch-request-two-inserts-one-changeset.http`);
    const dup = body.replace('"CustomerGroupId":"Batch2"', '"CustomerGroupId":"Batch1"');
    const res = await call(s, '/data/$batch', { method: 'POST', headers: { 'content-type': ct }, body: dup });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^--batchresponse_[0-9a-f-]{36}\r\nContent-Type: multipart\/mixed; boundary=changesetresponse_/);
    expect(text).toMatch(/Content-ID: 2\r\n\r\nHTTP\/1\.1 500 Internal Server Error/); // as the real capture (fo-odata-batch-changeset-error-response.http)
    expect(text).toMatch(/The record already exists/);
    expect((await call(s, "/data/CustomerGroups(dataAreaId='usmf',CustomerGroupId='Batch1')")).status).toBe(404);
    expect((await stats()).entities.CustomerGroups?.creates ?? 0).toBe(0);
  });
});
