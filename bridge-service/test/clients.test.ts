import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { MockAgent } from 'undici';
import { compoundKey, eq, stringLiteral, encodeQuery } from '../src/clients/odata/literals';
import { parseBatchResponse, writeBatch } from '../src/clients/odata/batch';
import { createHttpService } from '../src/clients/http';
import { retryAfterMs } from '../src/clients/failure';
import { FnoClient, fnoEnum } from '../src/clients/fno-client';
import { DataverseClient, dvRowPath } from '../src/clients/dataverse-client';
import { fnoErrorMessage, UpstreamError } from '../src/clients/upstream-error';
import { createTokenProvider } from '../src/clients/token-provider';

const FIX = fileURLToPath(new URL('../../test/fixtures/real', import.meta.url));
const FNO = 'http://fno.test';
const DV = 'http://dv.test';

describe('OData literals', () => {
  it('doubles quotes and percent-encodes key values', () => {
    expect(stringLiteral("O'Brien")).toBe("'O''Brien'");
    expect(compoundKey({ dataAreaId: 'usmf', CustomerAccount: "US-0'1 /x" })).toBe("(dataAreaId='usmf',CustomerAccount='US-0''1%20%2Fx')");
  });
  it('escapes filter literals so user data cannot change the filter', () => {
    const f = eq('CustomerAccount', "x' or 1 eq 1 or 'a");
    expect(f).toBe("CustomerAccount eq 'x'' or 1 eq 1 or ''a'");
    expect(encodeQuery({ $filter: f })).toBe(`?$filter=${encodeURIComponent(f)}`);
    expect(() => eq("Name) or (1", 'x')).toThrow(/identifier/);
  });
  it('writes F&O enum literals and refuses odd members', () => {
    expect(fnoEnum('NoYes', 'Yes')).toBe("Microsoft.Dynamics.DataEntities.NoYes'Yes'");
    expect(() => fnoEnum('NoYes', "Yes'")).toThrow();
  });
  it('only accepts GUIDs as Dataverse row ids', () => {
    expect(dvRowPath('accounts', 'AAAAAAAA-0000-4000-8000-000000000001')).toBe('/accounts(aaaaaaaa-0000-4000-8000-000000000001)');
    expect(() => dvRowPath('accounts', "x') or (1")).toThrow(/GUID/);
    expect(dvRowPath('accounts', { accountnumber: "A'1" })).toBe("/accounts(accountnumber='A''1')");
  });
});

describe('$batch', () => {
  it('detects a failed changeset part although the batch answered 200 (real F&O response)', () => {
    const text = readFileSync(`${FIX}/fo-odata-batch-changeset-error-response.http`, 'utf8');
    const boundary = /^--(\S+)/.exec(text)![1];
    const parts = parseBatchResponse(text, `multipart/mixed; boundary=${boundary}`);
    expect(parts).toHaveLength(1);
    expect(parts[0].status).toBe(500);
    expect(parts[0].contentId).toBe('1');
    expect(parts[0].changeset).toBe(0);
    expect(fnoErrorMessage(parts[0].body, 500)).toMatch(/^Write failed for table row of type 'CustCustomerGroupEntity'.*already exists/s);
  });

  it('writes a batch with a changeset that its own reader and F&O framing agree on', () => {
    const { body, contentType } = writeBatch([
      { changeset: [{ method: 'POST', url: `${FNO}/data/CustomerGroups`, body: { CustomerGroupId: 'B1', dataAreaId: 'usmf' } },
        { method: 'PATCH', url: `${FNO}/data/CustomerGroups(dataAreaId='usmf',CustomerGroupId='B2')`, headers: { 'If-Match': '*' }, body: { Description: 'x' } }] },
      { method: 'GET', url: `${FNO}/data/CustomerGroups` },
    ], 'batch_b');
    expect(contentType).toBe('multipart/mixed; boundary=batch_b');
    expect(body).toMatch(/^--batch_b\r\nContent-Type: multipart\/mixed; boundary=changeset_/);
    expect(body).toContain('Content-ID: 2\r\n\r\nPATCH http://fno.test/data/CustomerGroups(');
    expect(body).toContain('If-Match: *');
    expect(body.trimEnd().endsWith('--batch_b--')).toBe(true);
  });

  it('FnoClient.batch reports part failures with the Infolog message', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const text = readFileSync(`${FIX}/fo-odata-batch-changeset-error-response.http`, 'utf8');
    const boundary = /^--(\S+)/.exec(text)![1];
    agent.get(FNO).intercept({ path: '/data/$batch', method: 'POST' }).reply(200, text, { headers: { 'content-type': `multipart/mixed; boundary=${boundary}` } });
    const fno = new FnoClient(createHttpService({ name: 'fno', baseUrl: `${FNO}/data`, concurrency: 2, timeoutMs: 2000, retries: 0, dispatcher: agent }));
    const r = await fno.batch([{ changeset: [{ method: 'POST', url: fno.url('CustomerGroups'), body: {} }] }]);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0].message).toMatch(/The record already exists/);
    await agent.close();
  });
});

describe('errors from real bodies', () => {
  let agent: MockAgent;
  beforeEach(() => { agent = new MockAgent(); agent.disableNetConnect(); });
  afterEach(async () => { await agent.close(); });

  it('F&O: takes error.innererror.message', async () => {
    const body = readFileSync(`${FIX}/fo-odata-error-custcustomerv3-write-failed.json`, 'utf8');
    agent.get(FNO).intercept({ path: /CustomersV3/, method: 'PATCH' }).reply(400, body, { headers: { 'content-type': 'application/json' } });
    const fno = new FnoClient(createHttpService({ name: 'fno', baseUrl: `${FNO}/data`, concurrency: 2, timeoutMs: 2000, retries: 0, dispatcher: agent }));
    const err = await fno.update('CustomersV3', { dataAreaId: 'usmf', CustomerAccount: 'US-001' }, { CustomerGroupId: 'Local' }, '*').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).status).toBe(400);
    expect((err as UpstreamError).message).toMatch(/^Write failed for table row of type 'CustCustomerV3Entity'. Infolog: Warning: The value 'Local'/);
  });

  it('Dataverse: takes error.message, sends CallerObjectId', async () => {
    let caller: string | undefined;
    agent.get(DV).intercept({ path: /accounts/, method: 'GET' }).reply((o) => {
      caller = (o.headers as Record<string, string>).CallerObjectId;
      return { statusCode: 403, data: JSON.stringify({ error: { code: '0x80040220', message: 'Principal user is missing prvReadAccount privilege' } }) };
    });
    const dv = new DataverseClient(createHttpService({ name: 'dataverse', baseUrl: `${DV}/api/data/v9.2`, concurrency: 2, timeoutMs: 2000, retries: 0, dispatcher: agent }));
    const err = await dv.get('accounts', '6f3c1f2e-5b7a-4c19-9e3f-1a2b3c4d5e6f', { callerObjectId: '11111111-aaaa-4aaa-8aaa-000000000001' }).catch((e: unknown) => e);
    expect((err as UpstreamError).message).toBe('Principal user is missing prvReadAccount privilege');
    expect(caller).toBe('11111111-aaaa-4aaa-8aaa-000000000001');
  });
});

describe('retries', () => {
  let agent: MockAgent;
  beforeEach(() => { agent = new MockAgent(); agent.disableNetConnect(); });
  afterEach(async () => { await agent.close(); });

  it('parses Retry-After seconds and dates', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 5_000)).toBe(5000);
    expect(retryAfterMs(undefined)).toBeUndefined();
  });

  it('waits Retry-After on 429 and then succeeds', async () => {
    const pool = agent.get(FNO);
    pool.intercept({ path: '/data/CustomerGroups', method: 'GET' }).reply(429, '', { headers: { 'retry-after': '1' } });
    pool.intercept({ path: '/data/CustomerGroups', method: 'GET' }).reply(200, { value: [{ CustomerGroupId: '10' }] });
    const http = createHttpService({ name: 'fno', baseUrl: `${FNO}/data`, concurrency: 2, timeoutMs: 2000, retries: 2, dispatcher: agent });
    const started = Date.now();
    const r = await http.request({ method: 'GET', path: '/CustomerGroups' });
    expect(r.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('does not retry a 502 on a non-idempotent POST, but does on GET', async () => {
    const pool = agent.get(FNO);
    pool.intercept({ path: '/data/X', method: 'POST' }).reply(502, 'bad gateway');
    pool.intercept({ path: '/data/X', method: 'GET' }).reply(502, 'bad gateway');
    pool.intercept({ path: '/data/X', method: 'GET' }).reply(200, '{}');
    const http = createHttpService({ name: 'fno', baseUrl: `${FNO}/data`, concurrency: 2, timeoutMs: 2000, retries: 2, dispatcher: agent });
    expect((await http.request({ method: 'POST', path: '/X', body: '{}' })).status).toBe(502);
    // Retry-After absent: jittered backoff (first one <= 250 ms).
    expect((await http.request({ method: 'GET', path: '/X' })).status).toBe(200);
  });

  it('follows @odata.nextLink only on the same origin', async () => {
    const pool = agent.get(FNO);
    pool.intercept({ path: '/data/CustomerGroups?cross-company=true', method: 'GET' }).reply(200, { value: [{ a: 1 }], '@odata.nextLink': `${FNO}/data/CustomerGroups?$skiptoken=2` });
    pool.intercept({ path: '/data/CustomerGroups?$skiptoken=2', method: 'GET' }).reply(200, { value: [{ a: 2 }], '@odata.nextLink': 'http://evil.test/steal' });
    const fno = new FnoClient(createHttpService({ name: 'fno', baseUrl: `${FNO}/data`, concurrency: 2, timeoutMs: 2000, retries: 0, dispatcher: agent }));
    await expect(fno.query('CustomerGroups', { crossCompany: true })).rejects.toThrow(/another origin/);
  });
});

describe('token provider', () => {
  it('caches per resource, single-flights concurrent callers and refreshes before expiry', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    let calls = 0;
    agent.get('http://idp.test').intercept({ path: '/token', method: 'POST' }).reply(() => {
      calls++;
      return { statusCode: 200, data: JSON.stringify({ access_token: `t${calls}`, expires_in: 3600 }) };
    }).persist();
    let now = 1_000_000;
    const tp = createTokenProvider({ tokenUrl: 'http://idp.test/token', clientId: 'c', clientSecret: 's', dispatcher: agent, now: () => now, marginSeconds: 300 });
    const [a, b] = await Promise.all([tp.getToken('http://fno.test'), tp.getToken('http://fno.test')]);
    expect([a, b, calls]).toEqual(['t1', 't1', 1]);
    expect(await tp.getToken('http://dv.test')).toBe('t2');
    now += 3_000_000; // 50 min: inside the 5-minute margin of the 60-minute token
    expect(await tp.getToken('http://fno.test')).toBe('t1');
    now += 400_000;
    expect(await tp.getToken('http://fno.test')).toBe('t3');
    await agent.close();
  });
});
