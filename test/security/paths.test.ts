// Hostile ids in every place an id goes (account id, table, row id, map name, error and conflict ids,
// list queries): quotes, OData syntax, percent-encoding, path traversal, oversized. Each is a 4xx with
// an ErrorBody (list queries may answer an empty 200: they are bound parameters), never a 5xx, and
// nothing is written anywhere.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InitialSyncOptions } from '@finops-bridge/bridge-service/contracts';
import { createSyncExtension } from '../../bridge-service/src/sync/runtime/extension';
import { startHarness, type Harness, type WriteCounters, secretsInLogs } from './support/harness';

let h: Harness;
let before: WriteCounters;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness({
    extensions: () => [createSyncExtension({ env: {}, settings: { worker: false, registerWebhooks: 'false', sweepMs: 0 } })],
  });
  for (const who of ['sales', 'controller', 'admin'] as const) tokens[who] = await h.bearer(who);
  before = await h.writes();
}, 60_000);

afterAll(async () => {
  await h?.close();
});

const GUID = '6f3c1f2e-5b7a-4c19-9e3f-1a2b3c4d5e6f';
/** Raw path segments, already as they appear on the wire. */
const HOSTILE = [
  "x'", "x''", "x' or 1 eq 1", "x'%20or%201%20eq%201", '%27', '%27)', "')", ')', '(', "accounts(x')", '$metadata', '$batch', '*', '%2A',
  '..', '%2e%2e', '..%2F..%2Fetc%2Fpasswd', '..%5C..%5Cwindows', '%2F', '%00', 'a%0d%0aSet-Cookie:%20x=1', '%F0%9F%99%82', '%C0%AE%C0%AE',
  `{${GUID}}`, `${GUID}'`, `${GUID})`, `${GUID}%27`, `${GUID}%2F..`, `${GUID}.json`, 'x'.repeat(101), 'x'.repeat(5000), `${GUID}${'0'.repeat(4000)}`,
  'null', 'undefined', '__proto__', 'constructor', '-1', '1e400', 'NaN',
];

const routerErrors = new Set<string>();

function check(res: { statusCode: number; body: string }, what: string, allow2xx = false): string[] {
  const problems: string[] = [];
  const okStatus = allow2xx ? res.statusCode < 500 : res.statusCode >= 400 && res.statusCode < 500;
  if (!okStatus) problems.push(`${what} -> ${res.statusCode} ${res.body.slice(0, 200)}`);
  if (res.statusCode >= 400) {
    try {
      const b = JSON.parse(res.body) as { error?: { code?: string; message?: string }; code?: string };
      // Fastify's own router errors must never leak out in Fastify's body shape.
      if (b.code === 'FST_ERR_BAD_URL' || b.code === 'FST_ERR_MAX_PARAM_LENGTH') routerErrors.add(b.code);
      if (!b.error?.code || !b.error.message) problems.push(`${what} -> ${res.statusCode} without an ErrorBody: ${res.body.slice(0, 200)}`);
    } catch {
      problems.push(`${what} -> ${res.statusCode} with a non-JSON body: ${res.body.slice(0, 200)}`);
    }
  }
  return problems;
}

async function call(method: 'GET' | 'POST' | 'PATCH', url: string, who: keyof typeof tokens, payload?: unknown) {
  return h.app.inject({
    method, url, headers: { authorization: `Bearer ${tokens[who]}`, 'if-match': '*', ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });
}

describe('hostile ids in paths', () => {
  it.each(['accounts', 'contacts'])('%s id of GET and PATCH finance', async (set) => {
    const problems: string[] = [];
    for (const id of HOSTILE) {
      problems.push(...check(await call('GET', `/api/v1/${set}/${id}/finance`, 'sales'), `GET ${set} finance ${id.slice(0, 50)}`));
      problems.push(...check(await call('PATCH', `/api/v1/${set}/${id}/finance`, 'controller', { creditLimit: 1 }), `PATCH ${set} finance ${id.slice(0, 50)}`));
    }
    expect(problems).toEqual([]);
  });

  it.each([['accounts', 'FB_ACCOUNT_NOT_FOUND'], ['contacts', 'FB_CONTACT_NOT_FOUND']])('a well-formed GUID nobody has (%s): 404 %s, in upper case too', async (set, code) => {
    for (const id of ['00000000-0000-4000-8000-000000000000', GUID.toUpperCase()]) {
      const res = await call('GET', `/api/v1/${set}/${id}/finance`, 'sales');
      expect([res.statusCode, res.json<{ error: { code: string } }>().error.code]).toEqual([404, code]);
    }
  });

  it('table and row id of the record sync status and its retry', async () => {
    const problems: string[] = [];
    for (const x of HOSTILE) {
      for (const [table, id] of [[x, GUID], ['account', x], [x, x]]) {
        problems.push(...check(await call('GET', `/api/v1/sync/records/${table}/${id}`, 'admin'), `status ${table.slice(0, 40)}/${id.slice(0, 40)}`));
        problems.push(...check(await call('POST', `/api/v1/admin/sync/records/${table}/${id}/retry`, 'admin'), `retry ${table.slice(0, 40)}/${id.slice(0, 40)}`));
      }
    }
    expect(problems).toEqual([]);
  });

  it('map names of pause, resume and initial sync', async () => {
    const problems: string[] = [];
    for (const name of [...HOSTILE, 'Customers-Accounts', 'customers-accounts%00', 'customers-accounts/..', 'no-such-map']) {
      for (const [method, suffix] of [['POST', 'pause'], ['POST', 'resume'], ['POST', 'initial-sync'], ['GET', 'initial-sync']] as const) {
        problems.push(...check(await call(method, `/api/v1/admin/maps/${name}/${suffix}`, 'admin', method === 'POST' ? {} : undefined), `${suffix} ${name.slice(0, 50)}`));
      }
    }
    expect(problems).toEqual([]);
  });

  it('error and conflict ids of retry and dismiss', async () => {
    const problems: string[] = [];
    for (const id of [...HOSTILE, GUID]) {
      for (const path of [`errors/${id}/retry`, `errors/${id}/dismiss`, `conflicts/${id}/dismiss`]) {
        problems.push(...check(await call('POST', `/api/v1/admin/${path}`, 'admin'), path.slice(0, 60)));
      }
    }
    expect(problems).toEqual([]);
  });

  it('list queries (map filter, limit, includeDismissed): bound parameters, never 5xx', async () => {
    const problems: string[] = [];
    for (const v of HOSTILE) {
      for (const q of [`map=${v}`, `limit=${v}`, `includeDismissed=${v}`, `map=${v}&map=${v}`, `limit=${v}&limit=1`]) {
        problems.push(...check(await call('GET', `/api/v1/admin/errors?${q}`, 'admin'), `errors?${q.slice(0, 50)}`, true));
        problems.push(...check(await call('GET', `/api/v1/admin/conflicts?${q}`, 'admin'), `conflicts?${q.slice(0, 50)}`, true));
      }
    }
    for (const q of ['limit=0', 'limit=-1', 'limit=1001', 'limit=1e400', 'limit=NaN', 'limit=1.5']) {
      const res = await call('GET', `/api/v1/admin/errors?${q}`, 'admin');
      problems.push(...check(res, `errors?${q}`));
    }
    expect(problems).toEqual([]);
  });

  it('property: any path segment as account id, table, row id or map name is a 4xx (fast-check)', async () => {
    const seg = fc.string({ unit: 'binary', maxLength: 80 }).map((s) => encodeURIComponent(s)).filter((s) => s.length > 0);
    await fc.assert(fc.asyncProperty(seg, async (s) => {
      const results = [
        await call('GET', `/api/v1/accounts/${s}/finance`, 'sales'),
        await call('GET', `/api/v1/sync/records/${s}/${s}`, 'admin'),
        await call('POST', `/api/v1/admin/maps/${s}/pause`, 'admin'),
      ];
      return results.every((r) => r.statusCode >= 400 && r.statusCode < 500);
    }), { numRuns: 150 });
  }, 60_000); // 450 requests: seconds on a quiet machine, more on a busy 2-core one
});

describe('router errors (bad percent-encoding, ids over 100 characters)', () => {
  // Fastify raises these in its router, before any handler: app.ts's `frameworkErrors` gives them the
  // bridge's ErrorBody too.
  it('answer with the bridge ErrorBody', async () => {
    for (const url of ['/api/v1/accounts/%C0%AE/finance', `/api/v1/admin/maps/${'x'.repeat(101)}/pause`]) {
      const res = await call('GET', url, 'sales');
      expect(res.statusCode).toBeLessThan(500);
      expect(res.json<{ error: { code: string } }>().error.code).toMatch(/^FB_/);
    }
  });

  it('never show the router error body of Fastify', () => {
    expect([...routerErrors]).toEqual([]);
  });
});

describe('property: InitialSyncOptions bodies that are not valid are 400 (fast-check)', () => {
  it('arbitrary JSON to POST /admin/maps/customers-accounts/initial-sync', async () => {
    const invalid = (v: unknown) => !InitialSyncOptions.optional().safeParse(v).success;
    const almost = fc.record({
      winner: fc.oneof(fc.constantFrom('fno', 'dataverse'), fc.string()),
      legalEntities: fc.oneof(fc.array(fc.string({ maxLength: 20 })), fc.string()),
      failedOnly: fc.oneof(fc.boolean(), fc.string()),
      pageSize: fc.oneof(fc.integer(), fc.double()),
      restart: fc.jsonValue({ maxDepth: 1 }),
      extra: fc.jsonValue({ maxDepth: 1 }),
    }, { requiredKeys: [] });
    await fc.assert(fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 3 }), almost).filter(invalid), async (v) => {
      const res = await call('POST', '/api/v1/admin/maps/customers-accounts/initial-sync', 'admin', v);
      return res.statusCode === 400;
    }), { numRuns: 200 });
  });
});

describe('after all hostile ids', () => {
  it('no log line holds a token, the webhook key or the client secret', () => {
    expect(h.logs.length).toBeGreaterThan(10);
    expect(secretsInLogs(h)).toEqual([]);
  });

  it('nothing was written to F&O, Dataverse or the audit log', async () => {
    expect(await h.writes()).toEqual(before);
  });
});
