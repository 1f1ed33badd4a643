// Every admin route (found in the OpenAPI document, so a route added later is covered without editing this test)
// answers 403 FB_AUTH_FORBIDDEN to a valid token without Sync.Admin, before doing anything; the admin gets past the
// role check. And the audit API shows a finance edit just made: who, account, company and customer, before and
// after, result, request id; filtered by account and by time.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSyncExtension } from '../../bridge-service/src/sync/runtime/extension';
import { startHarness, type Harness } from './support/harness';

let h: Harness;
const tokens: Record<string, string> = {};
const GUID = '6f3c1f2e-5b7a-4c19-9e3f-1a2b3c4d5e6f';

beforeAll(async () => {
  h = await startHarness({
    extensions: () => [createSyncExtension({ env: {}, settings: { worker: false, registerWebhooks: 'false', sweepMs: 0, maps: ['customers-accounts'] } })],
  });
  for (const who of ['sales', 'controller', 'admin', 'guest'] as const) tokens[who] = await h.bearer(who);
}, 60_000);

afterAll(async () => {
  await h?.close();
});

/** Every admin operation of the OpenAPI document, with its path parameters filled in. */
function adminRoutes(): { method: string; url: string }[] {
  const doc = h.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths)
    .filter(([p]) => p.startsWith('/api/v1/admin/'))
    .flatMap(([p, ops]) => Object.keys(ops).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).map((m) => ({
      method: m.toUpperCase(),
      url: p.replace('{name}', 'customers-accounts').replace('{table}', 'account').replace(/\{[^}]+\}/g, GUID),
    })));
}

describe('admin routes without Sync.Admin', () => {
  it('include the notifications and the audit log', () => {
    const urls = adminRoutes().map((r) => `${r.method} ${r.url}`);
    expect(urls).toEqual(expect.arrayContaining(['GET /api/v1/admin/notifications', 'GET /api/v1/admin/audit', 'GET /api/v1/admin/maps']));
    expect(urls.length).toBeGreaterThanOrEqual(12);
  });

  it('answer 403 to sales, controller and a user without roles; the admin passes the role check', async () => {
    const before = await h.writes();
    const problems: string[] = [];
    for (const r of adminRoutes()) {
      for (const who of ['sales', 'controller', 'guest'] as const) {
        const res = await h.app.inject({ method: r.method as 'GET', url: r.url, headers: { authorization: `Bearer ${tokens[who]}` } });
        const code = (JSON.parse(res.body) as { error?: { code?: string } }).error?.code;
        if (res.statusCode !== 403 || code !== 'FB_AUTH_FORBIDDEN') problems.push(`${who} ${r.method} ${r.url} -> ${res.statusCode} ${code}`);
      }
      const res = await h.app.inject({ method: r.method as 'GET', url: r.url, headers: { authorization: `Bearer ${tokens.admin}` } });
      if (res.statusCode === 403 || res.statusCode === 401) problems.push(`admin ${r.method} ${r.url} -> ${res.statusCode}`);
    }
    expect(problems).toEqual([]);
    expect(await h.writes()).toEqual(before);
  }, 60_000);

  it('answer 401 without a token', async () => {
    for (const url of ['/api/v1/admin/notifications', '/api/v1/admin/audit']) {
      expect((await h.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    }
  });
});

describe('GET /api/v1/admin/audit', () => {
  const audit = async (q = '') => {
    const res = await h.app.inject({ method: 'GET', url: `/api/v1/admin/audit${q}`, headers: { authorization: `Bearer ${tokens.admin}` } });
    return { status: res.statusCode, body: JSON.parse(res.body) as { entries: Record<string, unknown>[]; error?: { code: string } } };
  };

  it('shows a finance edit just made: who, account, company and customer, before and after, result, request id', async () => {
    const account = h.accounts.nlmf;
    const url = `/api/v1/accounts/${account.accountid}/finance`;
    const read = await h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${tokens.controller}` } });
    const summary = JSON.parse(read.body) as { etag: string; creditLimit: number };
    const start = new Date().toISOString();
    const edit = await h.app.inject({
      method: 'PATCH', url, headers: { authorization: `Bearer ${tokens.controller}`, 'if-match': summary.etag, 'x-request-id': 'audit-e2e-1' },
      payload: { creditLimit: summary.creditLimit + 1000 },
    });
    expect(edit.statusCode).toBe(200);

    const r = await audit(`?accountId=${account.accountid}&from=${encodeURIComponent(start)}`);
    expect(r.status).toBe(200);
    expect(r.body.entries[0]).toMatchObject({
      requestId: 'audit-e2e-1', accountId: account.accountid.toLowerCase(), company: 'nlmf', customerAccount: account.accountnumber, result: 'applied',
      principalName: expect.any(String), principalOid: expect.any(String),
      changes: { CreditLimit: { before: summary.creditLimit, after: summary.creditLimit + 1000 } }, // by F&O field name
    });
    // Filters: another account, a window before the edit, and a limit.
    expect((await audit(`?accountId=${GUID}`)).body.entries).toEqual([]);
    expect((await audit(`?to=${encodeURIComponent(start)}&accountId=${account.accountid}`)).body.entries).toEqual([]);
    expect((await audit('?limit=1')).body.entries).toHaveLength(1);
  });

  it('refuses bad filters with 400', async () => {
    for (const q of ['?from=yesterday', '?accountId=x%27', '?limit=0', '?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z']) {
      const r = await audit(q);
      expect([q, r.status, r.body.error?.code]).toEqual([q, 400, 'FB_VALIDATION']);
    }
  });
});
