import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { XMLParser } from 'fast-xml-parser';
import type { FnoServer } from '../../src/fno/server';
import { call, startFno } from './helpers';

let s: FnoServer;
beforeAll(async () => { s = await startFno(); });
afterAll(async () => { await s.close(); });

describe('F&O sandbox reads', () => {
  it('answers 401 with the reason when the token is bad', async () => {
    const res = await call(s, '/data/CustomersV3', { token: 'expired' });
    expect(res.status).toBe(401);
    const body = await res.json() as { error: { innererror: { message: string } } };
    expect(body.error.innererror.message).toMatch(/token is expired/);
  });

  it('reads a record by its full key with quote escaping and percent-encoding', async () => {
    const res = await call(s, `/data/CustomersV3(dataAreaId='nlmf',CustomerAccount='NL-001')?cross-company=true`);
    expect(res.status).toBe(200);
    const rec = await res.json() as Record<string, unknown>;
    expect(rec).toMatchObject({ OrganizationName: "Bakkerij 't Hoekje", dataAreaId: 'nlmf', '@odata.context': `${s.url}/data/$metadata#CustomersV3/$entity` });
    expect(rec['@odata.etag']).toMatch(/^W\/"[A-Za-z0-9+/=]+"$/);
    expect(Object.keys(rec).length).toBeGreaterThan(250); // every served property, as F&O returns them
    const f = encodeURIComponent("OrganizationName eq 'Bakkerij ''t Hoekje' and dataAreaId eq 'nlmf'");
    const list = await (await call(s, `/data/CustomersV3?cross-company=true&$filter=${f}&$select=CustomerAccount`)).json() as { value: Record<string, unknown>[] };
    expect(list.value.map((r) => r.CustomerAccount)).toEqual(['NL-001']);
    expect(Object.keys(list.value[0]).sort()).toEqual(['@odata.etag', 'CustomerAccount']);
  });

  it('scopes to the default company unless cross-company=true', async () => {
    const own = await (await call(s, '/data/CustomersV3?$select=dataAreaId&$count=true')).json() as { value: { dataAreaId: string }[]; '@odata.count': number };
    expect(new Set(own.value.map((r) => r.dataAreaId))).toEqual(new Set(['usmf']));
    expect(own['@odata.count']).toBe(own.value.length);
    expect((await call(s, "/data/CustomersV3(dataAreaId='semf',CustomerAccount='SE-001')")).status).toBe(404);
    const all = await (await call(s, '/data/CustomersV3?cross-company=true&$count=true&$top=0')).json() as { '@odata.count': number };
    expect(all['@odata.count']).toBe(60);
  });

  it('pages with nextLink honouring Prefer: odata.maxpagesize', async () => {
    let url: string | undefined = '/data/CustomersV3?cross-company=true&$count=true&$select=CustomerAccount,dataAreaId&$orderby=CustomerAccount';
    const seen: string[] = [];
    let pages = 0;
    while (url) {
      const res = await call(s, url, { headers: { prefer: 'odata.maxpagesize=7' } });
      expect(res.headers.get('preference-applied')).toBe('odata.maxpagesize=7');
      const body = await res.json() as { value: { CustomerAccount: string; dataAreaId: string }[]; '@odata.count': number; '@odata.nextLink'?: string };
      expect(body.value.length).toBeLessThanOrEqual(7);
      expect(body['@odata.count']).toBe(60);
      seen.push(...body.value.map((r) => `${r.dataAreaId}/${r.CustomerAccount}`));
      url = body['@odata.nextLink']?.slice(s.url.length);
      pages++;
    }
    expect(pages).toBe(9);
    expect(new Set(seen).size).toBe(60);
    expect([...seen].map((k) => k.split('/')[1])).toEqual([...seen].map((k) => k.split('/')[1]).sort());
  });

  it('rejects incomplete, extra or malformed keys and bad query options with 400', async () => {
    for (const p of ["/data/CustomersV3(CustomerAccount='US-001')", "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='US-001',Foo='x')",
      "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='US-001)", "/data/CustomersV3?$filter=Nope eq 1", "/data/CustomersV3?$filter=CustomerAccount eq 'x' or 1 eq 1'",
      '/data/CustomersV3?$top=-1', "/data/CustomersV3?$filter=dataAreaId in ('usmf')"]) {
      const res = await call(s, p);
      expect([p, res.status]).toEqual([p, 400]);
      const body = await res.json() as { error: { innererror: { message: string } } };
      expect(body.error.innererror.message.length).toBeGreaterThan(10);
    }
  });

  it('filters on enum literals and reads the balance entity', async () => {
    const f = encodeURIComponent("CreditLimitIsMandatory eq Microsoft.Dynamics.DataEntities.NoYes'Yes'");
    const body = await (await call(s, `/data/CustomersV3?$filter=${f}&$select=CreditLimitIsMandatory`)).json() as { value: { CreditLimitIsMandatory: string }[] };
    expect(body.value.length).toBeGreaterThan(0);
    expect(body.value.every((r) => r.CreditLimitIsMandatory === 'Yes')).toBe(true);
    const bal = await (await call(s, "/data/FinOpsBridgeCustomerBalances(dataAreaId='usmf',CustomerAccount='US-001')")).json();
    expect(bal).toMatchObject({ Balance: 4650.5, OverdueAmount: 3400.5 });
  });

  it('serves $metadata as EDMX listing the served entity sets and properties', async () => {
    const res = await call(s, '/data/$metadata');
    const xml = await res.text();
    type Attr = Record<string, string>;
    type Edmx = { 'edmx:Edmx': { 'edmx:DataServices': { Schema: Attr & { EntityType: (Attr & { Property: Attr[] })[]; EntityContainer: { EntitySet: Attr[] } } } } };
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml) as Edmx;
    const schema = doc['edmx:Edmx']['edmx:DataServices'].Schema;
    expect(schema['@_Namespace']).toBe('Microsoft.Dynamics.DataEntities');
    const cust = schema.EntityType.find((e) => e['@_Name'] === 'CustomerV3')!;
    const props = cust.Property.map((p) => p['@_Name']);
    expect(props).toEqual(expect.arrayContaining(['CustomerAccount', 'CreditLimit', 'OnHoldStatus', 'InvoiceAccount']));
    const onHold = cust.Property.find((p) => p['@_Name'] === 'OnHoldStatus')!;
    expect(onHold['@_Type']).toBe('Microsoft.Dynamics.DataEntities.CustVendorBlocked');
    const sets = schema.EntityContainer.EntitySet.map((e) => e['@_Name']);
    expect(sets).toEqual(expect.arrayContaining(['CustomersV3', 'VendorsV2', 'CustomerGroups', 'PaymentTerms', 'LegalEntities', 'SalesInvoiceHeadersV2']));
    const rec = await (await call(s, "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='US-001')")).json() as Record<string, unknown>;
    expect(Object.keys(rec).filter((k) => !k.startsWith('@')).sort()).toEqual([...props].sort());
  });
});
