// Issue 14: reads and failed writes as the real services answer them: F&O's changeset failure (the real
// capture), Dataverse conditional reads (304), the /$count path segment on both services, $select-less
// Dataverse reads with every column (nulls included), and FetchXML refused clearly instead of ignored.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startSandbox, type Sandbox } from '@finops-bridge/sandbox';

const CAPTURE = fs.readFileSync(fileURLToPath(new URL('../fixtures/real/fo-odata-batch-changeset-error-response.http', import.meta.url)), 'utf8');
let sb: Sandbox;
beforeAll(async () => { sb = await startSandbox({ quiet: true, customers: 20, seed: 9 }); }, 60_000);
afterAll(async () => { await sb?.close(); });

const dvToken = () => sb.getToken('bridge', 'dataverse');
const fnoToken = () => sb.getToken('bridge', 'fno');
async function dv(path: string, headers: Record<string, string> = {}) {
  return fetch(`${sb.urls.dataverseApi}/${path}`, { headers: { authorization: `Bearer ${await dvToken()}`, ...headers } });
}

/** The JSON body and status line of the first inner part of a multipart batch response. */
function firstPart(text: string): { status: number; contentType: string; contentId: string | undefined; body: Record<string, { innererror: Record<string, string> } & Record<string, unknown>> } {
  const status = Number(/^HTTP\/1\.1 (\d{3})/m.exec(text)![1]);
  const contentType = /^Content-Type: (application\/json[^\r\n]*)/mi.exec(text)![1];
  const contentId = /^Content-ID: (\S+)/mi.exec(text)?.[1];
  const body = JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)) as never;
  return { status, contentType, contentId, body };
}

describe('F&O: a write that fails inside a changeset', () => {
  it('is answered as the real capture: 200 batch, 500 part, AxODataWriteException naming the data entity', async () => {
    const group = (sb.data.CustomerGroups as Array<Record<string, unknown>>)[0];
    const boundary = 'batch_strict';
    const cs = 'changeset_strict';
    const body = [`--${boundary}`, `Content-Type: multipart/mixed; boundary=${cs}`, '', `--${cs}`, 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', 'Content-ID: 1', '',
      `POST ${sb.urls.fno}/data/CustomerGroups?cross-company=true HTTP/1.1`, 'Content-Type: application/json', '',
      JSON.stringify({ dataAreaId: group.dataAreaId, CustomerGroupId: group.CustomerGroupId, Description: 'duplicate' }), `--${cs}--`, `--${boundary}--`, ''].join('\r\n');
    const res = await fetch(`${sb.urls.fno}/data/$batch`, {
      method: 'POST', body, headers: { authorization: `Bearer ${await fnoToken()}`, 'content-type': `multipart/mixed; boundary=${boundary}` },
    });
    expect(res.status).toBe(200);
    const got = firstPart(await res.text());
    const real = firstPart(CAPTURE);
    expect([got.status, got.contentType, got.contentId]).toEqual([real.status, real.contentType, real.contentId]);
    expect(Object.keys(got.body.error)).toEqual(Object.keys(real.body.error));
    expect(got.body.error.message).toBe(real.body.error.message);
    expect(got.body.error.innererror.type).toBe(real.body.error.innererror.type);
    expect(got.body.error.innererror.stacktrace).toBe(real.body.error.innererror.stacktrace);
    expect(got.body.error.innererror.message).toBe(
      `Write failed for table row of type 'CustCustomerGroupEntity'. Infolog: Info: Cannot create a record in Customer groups (CustGroup). Customer group: ${String(group.CustomerGroupId)}.\nThe record already exists..`);
  });
});

describe('the /$count path segment', () => {
  it('F&O answers the count as plain text, honouring $filter', async () => {
    const all = (sb.data.CustomersV3 as Array<Record<string, unknown>>).filter((r) => r.dataAreaId === 'usmf').length;
    const res = await fetch(`${sb.urls.fno}/data/CustomersV3/$count?cross-company=true&$filter=${encodeURIComponent("dataAreaId eq 'usmf'")}`, { headers: { authorization: `Bearer ${await fnoToken()}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(Number(await res.text())).toBe(all);
  });

  it('Dataverse answers the count as plain text', async () => {
    const list = (await (await dv('accounts?$select=accountid')).json()) as { value: unknown[] };
    const res = await dv('accounts/$count');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(Number(await res.text())).toBe(list.value.length);
  });
});

describe('Dataverse reads', () => {
  it('answers 304 with no body to If-None-Match holding the current ETag, 200 otherwise', async () => {
    const [row] = ((await (await dv('accounts?$select=accountid&$top=1')).json()) as { value: Array<{ accountid: string; '@odata.etag': string }> }).value;
    const first = await dv(`accounts(${row.accountid})?$select=name`);
    const etag = first.headers.get('etag')!;
    expect(etag).toBe(row['@odata.etag']);
    const same = await dv(`accounts(${row.accountid})?$select=name`, { 'if-none-match': etag });
    expect(same.status).toBe(304);
    expect(await same.text()).toBe('');
    expect((await dv(`accounts(${row.accountid})?$select=name`, { 'if-none-match': 'W/"1"' })).status).toBe(200);
  });

  it('without $select returns every column, null included', async () => {
    const [row] = ((await (await dv('accounts?$top=1')).json()) as { value: Array<Record<string, unknown>> }).value;
    for (const column of ['name', 'accountnumber', 'fax', 'address1_line3', 'websiteurl', '_parentaccountid_value', 'description']) expect(row).toHaveProperty(column);
    expect(row.address1_line3 ?? null).toBeNull();
  });

  it('addresses an alternate key that includes a lookup by _lookup_value=<guid>, as the platform documents', async () => {
    const [row] = ((await (await dv("accounts?$select=accountid,accountnumber,_msdyn_company_value&$filter=startswith(accountnumber,'US-')&$top=1")).json()) as { value: Array<Record<string, string>> }).value;
    const byKey = await dv(`accounts(accountnumber='${row.accountnumber}',_msdyn_company_value=${row._msdyn_company_value})?$select=accountid`);
    expect(byKey.status).toBe(200);
    expect(((await byKey.json()) as { accountid: string }).accountid).toBe(row.accountid);
    const bare = await dv(`accounts(accountnumber='${row.accountnumber}',msdyn_company=${row._msdyn_company_value})?$select=accountid`);
    expect(bare.status).toBe(400);
    expect(((await bare.json()) as { error: { message: string } }).error.message).toMatch(/_msdyn_company_value=<guid>/);
  });

  it('refuses FetchXML clearly instead of ignoring it', async () => {
    const fetchXml = encodeURIComponent('<fetch><entity name="account"><attribute name="name"/></entity></fetch>');
    const res = await dv(`accounts?fetchXml=${fetchXml}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/does not run FetchXML/);
  });
});
