// Hostile and unusual webhook deliveries to /webhooks/dataverse and /webhooks/fno: no key, wrong key,
// truncated or odd JSON, tables nobody maps (acknowledged and ignored), replays (stored once), out of
// order. Never a 5xx; what is refused stores nothing. The worker is off, so nothing is written anywhere.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { TABLE_BY_NAME, buildContext } from '@finops-bridge/sandbox';
import { createSyncExtension } from '../../bridge-service/src/sync/runtime/extension';
import { startHarness, WEBHOOK_SECRET, type Harness, type WriteCounters, secretsInLogs } from './support/harness';

let h: Harness;
let before: WriteCounters;

beforeAll(async () => {
  h = await startHarness({
    extensions: () => [createSyncExtension({ env: {}, settings: { worker: false, registerWebhooks: 'false', sweepMs: 0 } })],
  });
  before = await h.writes();
}, 60_000);

afterAll(async () => {
  await h?.close();
});

async function storedEvents(): Promise<number> {
  const r = await sql<{ n: number | string }>`select count(*) as n from sync_events`.execute(h.app.bridge.store.db);
  return Number(r.rows[0].n);
}

/** A Dataverse RemoteExecutionContext as the sandbox (and Dataverse) send it, for an account update. */
function accountUpdate(opts: { id?: string; operationId?: string; creditlimit?: number; table?: string; mode?: 0 | 1 } = {}): Record<string, unknown> {
  const table = TABLE_BY_NAME.get(opts.table ?? 'account')!;
  const id = opts.id ?? h.accounts.usmf.accountid;
  const pk = `${table.logicalName}id`;
  return buildContext({
    table, message: 'Update', id, target: { [pk]: id, creditlimit: opts.creditlimit ?? 1234 },
    images: { pre: [], post: [] }, mode: opts.mode ?? 1, stage: 40, stepId: randomUUID(), stepName: 'step', userId: randomUUID(),
    initiatingUserId: randomUUID(), businessUnitId: randomUUID(), organizationId: randomUUID(), organizationName: 'org',
    correlationId: randomUUID(), operationId: opts.operationId ?? randomUUID(), requestId: null, now: new Date(),
  });
}

function businessEvent(controlNumber: number, account: string, id = 'CustomerChangedBusinessEvent'): Record<string, unknown> {
  return {
    BusinessEventId: id, BusinessEventLegalEntity: 'USMF', ControlNumber: controlNumber, EventId: randomUUID().toUpperCase(),
    EventTime: `/Date(${Date.now()})/`, EventTimeIso8601: new Date().toISOString(), InitiatingUserAADObjectId: `{${randomUUID()}}`,
    MajorVersion: 0, MinorVersion: 0, Account: account, LegalEntity: 'USMF', ParentContextRecordSubjects: [],
  };
}

async function post(path: '/webhooks/dataverse' | '/webhooks/fno', payload: string, headers: Record<string, string> = { 'x-bridge-webhook-key': WEBHOOK_SECRET }) {
  return h.app.inject({ method: 'POST', url: path, payload, headers: { 'content-type': 'application/json', ...headers } });
}

function errorCode(res: { body: string }): string {
  return (JSON.parse(res.body) as { error: { code: string } }).error.code;
}

describe('webhook authentication', () => {
  const body = () => JSON.stringify(accountUpdate());

  it.each<[string, Record<string, string>]>([
    ['no key', {}],
    ['an empty key', { 'x-bridge-webhook-key': '' }],
    ['a wrong key of the same length', { 'x-bridge-webhook-key': WEBHOOK_SECRET.replace(/.$/, 'X') }],
    ['a prefix of the key', { 'x-bridge-webhook-key': WEBHOOK_SECRET.slice(0, 16) }],
    ['the key with a suffix', { 'x-bridge-webhook-key': `${WEBHOOK_SECRET}x` }],
    ['the key in upper case', { 'x-bridge-webhook-key': WEBHOOK_SECRET.toUpperCase() }],
    ['the key in another header', { 'x-api-key': WEBHOOK_SECRET, authorization: `Bearer ${WEBHOOK_SECRET}` }],
  ])('%s: 401, nothing stored', async (_what, headers) => {
    const n = await storedEvents();
    for (const path of ['/webhooks/dataverse', '/webhooks/fno'] as const) {
      const res = await post(path, path === '/webhooks/dataverse' ? body() : JSON.stringify(businessEvent(1, 'US-001')), headers);
      expect([res.statusCode, errorCode(res)]).toEqual([401, 'FB_WEBHOOK_KEY_INVALID']);
      expect(JSON.parse(res.body).error.message).toMatch(/x-bridge-webhook-key/);
    }
    expect(await storedEvents()).toBe(n);
  });

  it('the key as ?code= in the query (WebhookKey style) is not accepted either: 401', async () => {
    const res = await h.app.inject({ method: 'POST', url: `/webhooks/dataverse?code=${WEBHOOK_SECRET}`, payload: body(), headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(401);
  });

  it('F&O may send the key as ?code= (its HTTPS endpoint sends no custom header); a wrong code is refused', async () => {
    const post = (code: string) => h.app.inject({ method: 'POST', url: `/webhooks/fno?code=${encodeURIComponent(code)}`, payload: JSON.stringify(businessEvent(7, 'US-001')), headers: { 'content-type': 'application/json' } });
    expect((await post(WEBHOOK_SECRET)).statusCode).toBeLessThan(300);
    const wrong = await post(WEBHOOK_SECRET.replace(/.$/, 'X'));
    expect([wrong.statusCode, errorCode(wrong)]).toEqual([401, 'FB_WEBHOOK_KEY_INVALID']);
  });

  it('checks the key before reading the body: without it, malformed, oversized or mistyped bodies all get 401', async () => {
    const attempts: Array<{ payload: string; type: string }> = [
      { payload: '{"broken": ', type: 'application/json' },
      { payload: 'x'.repeat(3 * 1024 * 1024), type: 'application/json' },
      { payload: '<xml/>', type: 'application/xml' },
    ];
    for (const path of ['/webhooks/dataverse', '/webhooks/fno'] as const) {
      for (const a of attempts) {
        const res = await h.app.inject({ method: 'POST', url: path, payload: a.payload, headers: { 'content-type': a.type } });
        expect({ path, size: a.payload.length, status: res.statusCode, code: errorCode(res) }).toEqual({ path, size: a.payload.length, status: 401, code: 'FB_WEBHOOK_KEY_INVALID' });
      }
    }
  });

  it('a bridge user token is not a webhook key: 401', async () => {
    const res = await post('/webhooks/dataverse', body(), { authorization: `Bearer ${await h.bearer('admin')}` });
    expect(res.statusCode).toBe(401);
  });
});

describe('webhook bodies', () => {
  it.each<[string, string]>([
    ['truncated JSON', JSON.stringify({ MessageName: 'Update', PrimaryEntityName: 'account' }).slice(0, 30)],
    ['an empty body', ''],
    ['not JSON', 'MessageName=Update'],
    ['JSON null', 'null'],
    ['a JSON string', '"Update"'],
    ['an empty object', '{}'],
    ['an empty list', '[]'],
    ['a context without a target id', JSON.stringify({ MessageName: 'Update', PrimaryEntityName: 'account', InputParameters: [] })],
    ['a context with an unknown message', JSON.stringify({ MessageName: 'Merge', PrimaryEntityName: 'account', PrimaryEntityId: 'x', InputParameters: [] })],
  ])('%s: 4xx, nothing stored', async (_what, payload) => {
    const n = await storedEvents();
    for (const path of ['/webhooks/dataverse', '/webhooks/fno'] as const) {
      const res = await post(path, payload);
      expect(res.statusCode >= 400 && res.statusCode < 500 ? res.statusCode : `${path} ${res.statusCode} ${res.body}`).toBe(res.statusCode);
      if (res.statusCode >= 400) expect(errorCode(res)).toMatch(/^FB_/);
    }
    expect(await storedEvents()).toBe(n);
  });

  it('a real body cut at every tenth of its length: 4xx each time, nothing stored', async () => {
    const full = JSON.stringify(accountUpdate());
    const n = await storedEvents();
    for (let i = 1; i < 10; i++) {
      const res = await post('/webhooks/dataverse', full.slice(0, Math.floor((full.length * i) / 10)));
      expect(res.statusCode).toBe(400);
    }
    expect(await storedEvents()).toBe(n);
  });

  it('a body above 2 MB: 413; deeply nested JSON: 4xx, never a stack overflow', async () => {
    const huge = JSON.stringify({ ...accountUpdate(), pad: 'x'.repeat(2 * 1024 * 1024 + 10) });
    expect((await post('/webhooks/dataverse', huge)).statusCode).toBe(413);
    const depth = 200_000;
    const nested = `{"MessageName":"Update","InputParameters":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const res = await post('/webhooks/dataverse', nested);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
  });

  it('prototype pollution through attribute names and keys: no pollution, no 5xx', async () => {
    const ctx = accountUpdate();
    const target = (ctx.InputParameters as { key: string; value: { Attributes: { key: string; value: unknown }[] } }[])[0].value;
    target.Attributes.push({ key: '__proto__', value: { polluted: true } }, { key: 'constructor', value: { prototype: { polluted: true } } });
    const raw = JSON.stringify(ctx).replace('"SharedVariables":[]', '"SharedVariables":[],"__proto__":{"polluted":true}');
    const res = await post('/webhooks/dataverse', raw);
    expect(res.statusCode).toBeLessThan(500);
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a table no map reads: acknowledged (200, ignored) and not stored', async () => {
    const n = await storedEvents();
    for (const table of ['incident', 'systemuser']) {
      if (!TABLE_BY_NAME.has(table)) continue;
      const res = await post('/webhooks/dataverse', JSON.stringify(accountUpdate({ table, id: randomUUID() })));
      expect([res.statusCode, res.json()]).toEqual([200, { received: 0, new: 0, ignored: true }]);
    }
    const unknown: Record<string, unknown> = { ...accountUpdate(), PrimaryEntityName: 'new_nobodymapsthis' };
    ((unknown.InputParameters as { value: { LogicalName: string } }[])[0].value).LogicalName = 'new_nobodymapsthis';
    const res = await post('/webhooks/dataverse', JSON.stringify(unknown));
    expect(res.statusCode).toBe(200);
    expect(res.json<{ ignored: boolean }>().ignored).toBe(true);
    const be = await post('/webhooks/fno', JSON.stringify(businessEvent(42, 'US-001', 'SalesInvoicePostedBusinessEvent')));
    expect(be.statusCode).toBe(200);
    expect(await storedEvents()).toBe(n);
  });
});

describe('replays and order', () => {
  it('the same Dataverse delivery three times (async and sync step shapes): stored once', async () => {
    for (const mode of [1, 0] as const) {
      const body = JSON.stringify(accountUpdate({ mode }));
      const n = await storedEvents();
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push((await post('/webhooks/dataverse', body)).json<{ new: number }>().new);
      expect(answers).toEqual([1, 0, 0]);
      expect(await storedEvents()).toBe(n + 1);
    }
  });

  it('the same delivery sent concurrently ten times: stored once', async () => {
    const body = JSON.stringify(accountUpdate());
    const n = await storedEvents();
    const res = await Promise.all(Array.from({ length: 10 }, () => post('/webhooks/dataverse', body)));
    expect(res.every((r) => r.statusCode === 202)).toBe(true);
    expect(res.reduce((s, r) => s + r.json<{ new: number }>().new, 0)).toBe(1);
    expect(await storedEvents()).toBe(n + 1);
  });

  it('F&O business events out of order and replayed: each control number stored once, one job per record', async () => {
    const account = h.accounts.usmf.accountnumber;
    const n = await storedEvents();
    // One customer event concerns every map that reads CustomersV3 (accounts and contacts): k events each.
    const first = await post('/webhooks/fno', JSON.stringify(businessEvent(900_007, account)));
    const k = first.json<{ new: number }>().new;
    expect(k).toBeGreaterThanOrEqual(1);
    const answers = [];
    for (const c of [900_003, 900_007, 900_005, 900_003]) answers.push((await post('/webhooks/fno', JSON.stringify(businessEvent(c, account)))).json<{ new: number }>().new);
    expect(answers).toEqual([k, 0, k, 0]);
    // A batch of events in one body, with a replay inside it.
    const batch = await post('/webhooks/fno', JSON.stringify([businessEvent(900_009, account), businessEvent(900_005, account)]));
    expect(batch.json<{ new: number }>().new).toBe(k);
    expect(await storedEvents()).toBe(n + 4 * k);
    const jobs = await sql<{ n: number | string }>`select count(*) as n from sync_jobs where side = 'fno' and record_key like ${`%${account}%`}`.execute(h.app.bridge.store.db);
    expect(Number(jobs.rows[0].n)).toBe(k);
  });

  it('Dataverse updates delivered newest first: both stored, coalesced into one job for the record', async () => {
    const id = h.accounts.nlmf.accountid;
    const n = await storedEvents();
    for (const creditlimit of [300, 200, 100]) expect((await post('/webhooks/dataverse', JSON.stringify(accountUpdate({ id, creditlimit })))).statusCode).toBe(202);
    expect(await storedEvents()).toBe(n + 3);
    const jobs = await sql<{ n: number | string }>`select count(*) as n from sync_jobs where side = 'dataverse' and record_key = ${id.toLowerCase()}`.execute(h.app.bridge.store.db);
    expect(Number(jobs.rows[0].n)).toBe(1);
  });
});

describe('durability of the 202', () => {
  it('a new change is answered only after the store synced it to disk; a sync that fails is a 503 the sender retries', async () => {
    const store = h.app.bridge.store;
    const flush = store.flush;
    let calls = 0;
    let release!: () => void;
    store.flush = () => {
      calls++;
      return new Promise<void>((r) => (release = r));
    };
    try {
      const body = JSON.stringify(accountUpdate());
      let answered = false;
      const pending = post('/webhooks/dataverse', body).then((r) => ((answered = true), r));
      for (let i = 0; i < 400 && calls === 0 && !answered; i++) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 50));
      expect([calls, answered]).toEqual([1, false]);
      release();
      expect((await pending).statusCode).toBe(202);
      // A replay stores nothing new, so it has nothing to sync.
      expect((await post('/webhooks/dataverse', body)).statusCode).toBe(202);
      expect(calls).toBe(1);

      store.flush = () => Promise.reject(new Error('EIO: i/o error, fsync'));
      const res = await post('/webhooks/dataverse', JSON.stringify(accountUpdate()));
      expect([res.statusCode, errorCode(res), res.headers['retry-after']]).toEqual([503, 'FB_STORE_UNAVAILABLE', '5']);
    } finally {
      store.flush = flush;
    }
  });
});

describe('property: arbitrary JSON with the right key is never a 5xx (fast-check)', () => {
  it('both webhook routes', async () => {
    await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), async (v, dv) => {
      const res = await post(dv ? '/webhooks/dataverse' : '/webhooks/fno', JSON.stringify(v));
      return res.statusCode < 500;
    }), { numRuns: 200 });
  });

  it('contexts with arbitrary attribute values and names', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 })), { maxLength: 5 }), fc.string({ maxLength: 40 }), async (attrs, id) => {
      const ctx = accountUpdate({ id: id || randomUUID() });
      const target = (ctx.InputParameters as { value: { Attributes: unknown[] } }[])[0].value;
      target.Attributes = attrs.map(([key, value]) => ({ key, value }));
      return (await post('/webhooks/dataverse', JSON.stringify(ctx))).statusCode < 500;
    }), { numRuns: 150 });
  });
});

describe('after all deliveries', () => {
  it('no log line holds a token, the webhook key or the client secret', () => {
    expect(h.logs.length).toBeGreaterThan(10);
    expect(secretsInLogs(h)).toEqual([]);
  });

  it('nothing was written to F&O, Dataverse or the audit log (the worker is off)', async () => {
    expect(await h.writes()).toEqual(before);
  });

  it('a webhook key sent under a wrong header name is not logged either (bug fixed in logger.ts)', () => {
    const lines = h.logs.filter((l) => l.includes('"x-api-key"'));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).not.toContain(WEBHOOK_SECRET);
  });

  it('the webhook secret and client secret never reached the log', () => {
    const text = h.logs.join('');
    expect(text).not.toContain(WEBHOOK_SECRET);
    expect(text).not.toContain(h.config.outbound.clientSecret);
    expect(text.length).toBeGreaterThan(1000);
  });
});
