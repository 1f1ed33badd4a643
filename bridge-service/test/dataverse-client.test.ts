import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { MockAgent } from 'undici';
import { createHttpService, HttpTransportError } from '../src/clients/http';
import { DataverseClient, dvBind } from '../src/clients/dataverse-client';

const DV = 'http://dv.test';
let agent: MockAgent;
let seen: { path: string; method: string; headers: Record<string, string>; body?: string }[];
beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  seen = [];
});
afterEach(async () => { await agent.close(); });

const client = (timeoutMs = 2000) =>
  new DataverseClient(createHttpService({ name: 'dataverse', baseUrl: `${DV}/api/data/v9.2`, concurrency: 2, timeoutMs, retries: 0, dispatcher: agent,
    getToken: async () => 'tok' }));

function record(status: number, data: unknown = '') {
  agent.get(DV).intercept({ path: () => true, method: () => true }).reply((o) => {
    seen.push({ path: o.path, method: o.method, headers: o.headers as Record<string, string>, body: o.body as string | undefined });
    return { statusCode: status, data: typeof data === 'string' ? data : JSON.stringify(data) };
  });
}

describe('DataverseClient', () => {
  it('update-only upsert sends If-Match, create-only sends If-None-Match: *, binds lookups by path', async () => {
    record(204);
    record(204);
    const c = client();
    await c.upsert('accounts', '6f3c1f2e-5b7a-4c19-9e3f-1a2b3c4d5e6f', { name: 'x' }, { mode: 'update', ifMatch: 'W/"12"' });
    await c.upsert('accounts', { accountnumber: "A'1" }, { 'msdyn_company@odata.bind': dvBind('cdm_companies', 'C0000000-0000-4000-8000-000000000001') }, { mode: 'create' });
    expect(seen[0]).toMatchObject({ method: 'PATCH', path: '/api/data/v9.2/accounts(6f3c1f2e-5b7a-4c19-9e3f-1a2b3c4d5e6f)' });
    expect(seen[0].headers['If-Match']).toBe('W/"12"');
    expect(seen[0].headers.authorization).toBe('Bearer tok');
    expect(seen[1].path).toBe(`/api/data/v9.2/accounts(accountnumber=${encodeURIComponent("'A''1'")})`);
    expect(seen[1].headers['If-None-Match']).toBe('*');
    expect(JSON.parse(seen[1].body!)).toEqual({ 'msdyn_company@odata.bind': '/cdm_companies(c0000000-0000-4000-8000-000000000001)' });
  });

  it('pages with Prefer odata.maxpagesize and @odata.nextLink', async () => {
    record(200, { value: [{ n: 1 }], '@odata.nextLink': `${DV}/api/data/v9.2/accounts?$skiptoken=abc` });
    record(200, { value: [{ n: 2 }] });
    const rows = await client().list('accounts', { select: ['name'], pageSize: 1 });
    expect(rows).toEqual([{ n: 1 }, { n: 2 }]);
    expect(seen[0].headers.Prefer).toBe('odata.maxpagesize=1');
    expect(seen[1].path).toBe('/api/data/v9.2/accounts?$skiptoken=abc');
  });

  it('asks RetrievePrincipalAccess with an aliased Target and reads the rights', async () => {
    record(200, { AccessRights: 'ReadAccess, WriteAccess, AppendToAccess' });
    const rights = await client().retrievePrincipalAccess('5a1e0001-0000-4000-8000-000000000001', 'accounts', '6f3c1f2e-5b7a-4c19-9e3f-1a2b3c4d5e6f');
    expect([...rights]).toEqual(['ReadAccess', 'WriteAccess', 'AppendToAccess']);
    expect(decodeURIComponent(seen[0].path)).toBe(
      "/api/data/v9.2/systemusers(5a1e0001-0000-4000-8000-000000000001)/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@t)?@t={'@odata.id':'accounts(6f3c1f2e-5b7a-4c19-9e3f-1a2b3c4d5e6f)'}");
  });

  it('turns a slow answer into a timeout error', async () => {
    agent.get(DV).intercept({ path: () => true }).reply(200, '{}').delay(500);
    const err = await client(100).get('accounts', '6f3c1f2e-5b7a-4c19-9e3f-1a2b3c4d5e6f').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpTransportError);
    expect((err as HttpTransportError).timedOut).toBe(true);
  });
});
