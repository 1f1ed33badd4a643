// Hostile request bodies and headers on PATCH /api/v1/accounts/{id}/finance with a valid token and the
// current etag: invalid JSON, wrong types, non-finite and out-of-range numbers, huge and deeply nested
// bodies, prototype pollution, unknown fields, and fast-check's arbitrary JSON. Each is a 4xx with an
// ErrorBody, never a 5xx, and nothing reaches F&O, Dataverse or the audit log.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { FinanceEdit } from '@finops-bridge/bridge-service/contracts';
import { startHarness, fiveXx, type Harness, type WriteCounters, secretsInLogs } from './support/harness';

let h: Harness;
let token: string;
let etag: string;
let before: WriteCounters;

beforeAll(async () => {
  h = await startHarness();
  token = await h.bearer('controller');
  const s = await h.app.inject({ url: url(), headers: { authorization: `Bearer ${token}` } });
  expect(s.statusCode).toBe(200);
  etag = s.json<{ etag: string }>().etag;
  before = await h.writes();
}, 60_000);

afterAll(async () => {
  await h?.close();
});

function url(company = 'nlmf'): string {
  return `/api/v1/accounts/${h.accounts[company].accountid}/finance`;
}

async function send(payload: string | Buffer, headers: Record<string, string> = {}) {
  return h.app.inject({
    method: 'PATCH', url: url(), payload,
    headers: { authorization: `Bearer ${token}`, 'if-match': etag, 'content-type': 'application/json', ...headers },
  });
}

/** A 4xx with an ErrorBody whose message says something; returns the code. */
function expect4xx(res: { statusCode: number; body: string }, what: string, status?: number): string {
  expect({ what, status: res.statusCode }).toEqual({ what, status: status ?? expect.any(Number) });
  expect(res.statusCode >= 400 && res.statusCode < 500 ? '' : `${what} -> ${res.statusCode} ${res.body.slice(0, 200)}`).toBe('');
  const body = JSON.parse(res.body) as { error: { code: string; message: string } };
  expect(body.error.code).toMatch(/^FB_/);
  expect(body.error.message.length).toBeGreaterThan(20);
  return body.error.code;
}

describe('hostile bodies on PATCH finance', () => {
  it.each([
    ['truncated JSON', '{"creditLimit": 5'],
    ['a missing value', '{"creditLimit": }'],
    ['single quotes', "{'creditLimit': 5}"],
    ['a trailing comma', '{"creditLimit": 5,}'],
    ['an empty body', ''],
    ['a bare string', '"creditLimit"'],
    ['NaN literal', '{"creditLimit": NaN}'],
    ['Infinity literal', '{"creditLimit": Infinity}'],
    ['a comment', '{"creditLimit": 5 /* x */}'],
    ['a lone surrogate', '{"onHoldStatus": "\\ud800"}'],
    ['a NUL byte', '{"onHoldStatus": "No\u0000"}'],
  ])('invalid JSON (%s): 400', async (what, payload) => {
    expect4xx(await send(payload), what, 400);
  });

  it.each<[string, unknown]>([
    ['credit limit as a string', { creditLimit: '100' }],
    ['credit limit as a boolean', { creditLimit: true }],
    ['credit limit null', { creditLimit: null }],
    ['credit limit as a list', { creditLimit: [5] }],
    ['credit limit as an object', { creditLimit: { value: 5 } }],
    ['credit limit negative', { creditLimit: -1 }],
    ['credit limit above the maximum', { creditLimit: 1e13 }],
    ['credit limit MAX_VALUE', { creditLimit: Number.MAX_VALUE }],
    ['credit limit "NaN"', { creditLimit: 'NaN' }],
    ['credit limit "Infinity"', { creditLimit: 'Infinity' }],
    ['on-hold as a number', { onHoldStatus: 2 }],
    ['on-hold lower case', { onHoldStatus: 'all' }],
    ['on-hold OData enum literal', { onHoldStatus: "Microsoft.Dynamics.DataEntities.CustVendorBlocked'All'" }],
    ['on-hold with an injection', { onHoldStatus: "All' or 1 eq 1" }],
    ['an empty edit', {}],
    ['an unknown field', { creditLimit: 5, OrganizationName: 'pwned' }],
    ['an F&O field name', { CreditLimit: 5 }],
    ['a list', [{ creditLimit: 5 }]],
    ['null', null],
    ['a number', 5],
  ])('wrong shape (%s): 400 FB_VALIDATION', async (what, body) => {
    expect(expect4xx(await send(JSON.stringify(body)), what, 400)).toBe('FB_VALIDATION');
  });

  it('numbers beyond double range (1e400 -> Infinity, -1e400) and 1e-400: 400 or accepted-as-0 never 5xx', async () => {
    expect4xx(await send('{"creditLimit": 1e400}'), '1e400', 400);
    expect4xx(await send('{"creditLimit": -1e400}'), '-1e400', 400);
    // 1e-400 parses to 0, a valid limit; send it with a stale etag so nothing is written: 412.
    const r = await send('{"creditLimit": 1e-400}', { 'if-match': 'W/"stale"' });
    expect(fiveXx(r, '1e-400')).toEqual([]);
  });

  it('a body above the limit: 413 FB_PAYLOAD_TOO_LARGE', async () => {
    const big = JSON.stringify({ creditLimit: 5, pad: 'x'.repeat(h.config.bodyLimit + 10) });
    expect(expect4xx(await send(big), 'huge', 413)).toBe('FB_PAYLOAD_TOO_LARGE');
    const bigNumber = `{"creditLimit": ${'9'.repeat(h.config.bodyLimit + 10)}}`;
    expect(expect4xx(await send(bigNumber), 'huge number', 413)).toBe('FB_PAYLOAD_TOO_LARGE');
  });

  it('deeply nested JSON just under the limit: 400, not a stack overflow', async () => {
    const depth = Math.floor((h.config.bodyLimit - 100) / 6);
    expect4xx(await send(`${'['.repeat(depth)}${']'.repeat(depth)}`), 'nested arrays', 400);
    expect4xx(await send(`{"creditLimit": ${'{"a":'.repeat(depth / 2)}1${'}'.repeat(depth / 2)}}`), 'nested objects', 400);
    expect4xx(await send(`${'{"a":'.repeat(depth / 2)}1${'}'.repeat(depth / 2)}`), 'nested objects at the root', 400);
  });

  it('prototype pollution (__proto__, constructor.prototype, escaped key): 400 and Object.prototype untouched', async () => {
    for (const payload of [
      '{"creditLimit": 5, "__proto__": {"polluted": true}}',
      '{"__proto__": {"creditLimit": 5, "polluted": true}}',
      '{"constructor": {"prototype": {"polluted": true}}, "creditLimit": 5}',
      '{"\\u005f_proto__": {"polluted": true}, "creditLimit": 5}',
      '{"creditLimit": 5, "prototype": {"polluted": true}}',
    ]) {
      expect4xx(await send(payload), payload, 400);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('text/plain (Fastify parses it as a string): 400, not applied', async () => {
    expect(expect4xx(await send('{"creditLimit": 5}', { 'content-type': 'text/plain' }), 'text/plain', 400)).toBe('FB_VALIDATION');
  });

  it.each([
    ['application/x-www-form-urlencoded', 'creditLimit=5'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="creditLimit"\r\n\r\n5\r\n--x--'],
    ['application/xml', '<creditLimit>5</creditLimit>'],
  ])('content type %s: 415', async (type, payload) => {
    expect(expect4xx(await send(payload, { 'content-type': type }), type, 415)).toBe('FB_UNSUPPORTED_MEDIA_TYPE');
  });

  it('hostile headers: If-Match with OData and quotes, an oversized Idempotency-Key, non-ASCII keys: 4xx', async () => {
    const body = JSON.stringify({ creditLimit: 7 });
    for (const ifMatch of [`W/"x' or 1 eq 1"`, "'", '*', 'x'.repeat(8000), `${etag}, W/"other"`]) {
      expect4xx(await send(body, { 'if-match': ifMatch }), `if-match ${ifMatch.slice(0, 40)}`);
    }
    expect(expect4xx(await send(body, { 'idempotency-key': 'k'.repeat(201) }), 'long key', 400)).toBe('FB_VALIDATION');
    expect(expect4xx(await send(body, { 'idempotency-key': 'short' }), 'short key', 400)).toBe('FB_VALIDATION');
    expect(expect4xx(await send(body, { 'idempotency-key': 'key with spaces in it' }), 'spaced key', 400)).toBe('FB_VALIDATION');
  });
});

describe('property: any JSON body is a 4xx and writes nothing', () => {
  const notValidEdit = (v: unknown) => !FinanceEdit.safeParse(v).success;

  it('arbitrary JSON values (fast-check)', async () => {
    await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }).filter(notValidEdit), async (v) => {
      const res = await send(JSON.stringify(v));
      return res.statusCode === 400;
    }), { numRuns: 250 });
  });

  it('objects shaped almost like an edit (fast-check)', async () => {
    const almost = fc.record({
      creditLimit: fc.oneof(fc.double(), fc.integer(), fc.string(), fc.constant(null), fc.boolean(), fc.constant('1e400')),
      onHoldStatus: fc.oneof(fc.constantFrom('No', 'Invoice', 'All', 'Payment', 'Requisition', 'Never', 'PurchOrder'), fc.string(), fc.integer()),
      extra: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }),
    }, { requiredKeys: [] }).map(({ extra, ...rest }) => ({ ...extra, ...rest })).filter(notValidEdit);
    await fc.assert(fc.asyncProperty(almost, async (v) => (await send(JSON.stringify(v))).statusCode === 400), { numRuns: 250 });
  });

  it('arbitrary bytes as the body (fast-check)', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
      const buf = Buffer.from(bytes);
      try {
        if (notValidEdit(JSON.parse(buf.toString('utf8')))) return (await send(buf)).statusCode === 400;
        return true;
      } catch {
        const res = await send(buf);
        return res.statusCode >= 400 && res.statusCode < 500;
      }
    }), { numRuns: 200 });
  });

  it('valid edits with a stale etag: 412, never 5xx, and F&O is not written', async () => {
    const fnoBefore = (await h.writes()).fno;
    await fc.assert(fc.asyncProperty(fc.oneof(
      fc.record({ creditLimit: fc.double({ min: 0, max: 999_999_999_999, noNaN: true }) }),
      fc.record({ onHoldStatus: fc.constantFrom('No', 'Invoice', 'All', 'Payment', 'Requisition', 'Never', 'PurchOrder') }),
    ), async (v) => {
      const res = await send(JSON.stringify(v), { 'if-match': 'W/"stale-etag"' });
      return res.statusCode === 412 || res.statusCode === 400;
    }), { numRuns: 20 });
    expect((await h.writes()).fno).toBe(fnoBefore);
  });
});

describe('after all hostile bodies', () => {
  it('no log line holds a token, the webhook key or the client secret', () => {
    expect(h.logs.length).toBeGreaterThan(10);
    expect(secretsInLogs(h)).toEqual([]);
  });

  it('F&O and Dataverse were never written, and only the stale-etag edits reached the audit log', async () => {
    const after = await h.writes();
    expect({ fno: after.fno, dataverse: after.dataverse }).toEqual({ fno: before.fno, dataverse: before.dataverse });
  });

  it('the record is unchanged: its etag still matches', async () => {
    const s = await h.app.inject({ url: url(), headers: { authorization: `Bearer ${token}` } });
    expect(s.json<{ etag: string }>().etag).toBe(etag);
  });
});
