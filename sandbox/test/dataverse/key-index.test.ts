/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are parsed JSON; the assertions check them */
// The alternate-key index seen through the Web API: uniqueness, key reads and $filter stay right after
// creates, key updates, deletes and rolled-back $batch changesets.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startDv, type DvHarness } from './helpers';
import { companyId } from '../../src/dataverse';

let h: DvHarness;
beforeAll(async () => { h = await startDv({ serviceProtection: { maxRequests: 100000, windowSeconds: 300 } }); });
afterAll(async () => { await h.close(); });

const US = companyId('usmf');
const NL = companyId('nlmf');
const DUPLICATE = { error: { code: '0x80040237', message: 'A record with matching key values already exists.' } };
const account = (num: string, co = US) => ({ name: num, accountnumber: num, 'msdyn_company@odata.bind': `/cdm_companies(${co})` });
const byKey = (num: string, co = US) => `accounts(accountnumber='${num}',_msdyn_company_value=${co})`;

async function create(num: string, co = US): Promise<{ status: number; body: any; id?: string }> {
  const r = await h.call('bridge', 'POST', 'accounts', { body: account(num, co) });
  return { status: r.status, body: r.body, id: /\(([^)]+)\)$/.exec(r.headers.get('odata-entityid') ?? '')?.[1] };
}

async function filtered(num: string): Promise<string[]> {
  const r = await h.call('bridge', 'GET', `accounts?$select=accountnumber&$filter=accountnumber eq '${num}'`);
  return (r.body.value as { accountid: string }[]).map((row) => row.accountid);
}

/** A $batch with one changeset whose last request fails (unknown column), so the whole changeset rolls back. */
async function failingChangeset(requests: { method: string; url: string; body?: unknown }[]): Promise<string> {
  const cs = 'changeset_k';
  const parts = [...requests, { method: 'POST', url: 'accounts', body: { name: 'x', nosuchcolumn: 1 } }].map((r, i) => [`--${cs}`,
    'Content-Type: application/http', 'Content-Transfer-Encoding: binary', `Content-ID: ${i + 1}`, '',
    `${r.method} ${h.dv.apiUrl}/${r.url} HTTP/1.1`, 'Content-Type: application/json', '', JSON.stringify(r.body ?? {})].join('\r\n'));
  const body = ['--batch_k', `Content-Type: multipart/mixed; boundary=${cs}`, '', ...parts, `--${cs}--`, '--batch_k--', ''].join('\r\n');
  const r = await h.call('bridge', 'POST', '$batch', { body, headers: { 'content-type': 'multipart/mixed; boundary=batch_k', prefer: 'odata.continue-on-error' } });
  expect(r.status).toBe(200);
  return r.body as string;
}

describe('Dataverse alternate-key index through the Web API', () => {
  it('refuses a duplicate alternate key with the same 412 body as before, whatever the case', async () => {
    const first = await create('IX-DUP');
    expect(first.status).toBe(204);
    for (const num of ['IX-DUP', 'ix-dup']) {
      const dup = await create(num);
      expect(dup.status).toBe(412);
      expect(dup.body).toEqual(DUPLICATE);
    }
    expect((await create('IX-DUP', NL)).status).toBe(204); // same number, other company: a different key
  });

  it('frees the old key and takes the new one when a PATCH changes the key column', async () => {
    const { id } = await create('IX-OLD');
    expect((await h.call('bridge', 'PATCH', `accounts(${id})`, { body: { accountnumber: 'IX-NEW' } })).status).toBe(204);
    expect((await h.call('bridge', 'GET', byKey('IX-OLD'))).status).toBe(404);
    expect((await h.call('bridge', 'GET', `${byKey('IX-NEW')}?$select=accountid`)).body.accountid).toBe(id);
    expect(await filtered('IX-NEW')).toEqual([id]);
    expect((await create('IX-NEW')).body).toEqual(DUPLICATE);
    expect((await create('IX-OLD')).status).toBe(204);
  });

  it('frees the key of a deleted row', async () => {
    const { id } = await create('IX-DEL');
    expect((await h.call('bridge', 'DELETE', `accounts(${id})`)).status).toBe(204);
    expect(await filtered('IX-DEL')).toEqual([]);
    expect((await create('IX-DEL')).status).toBe(204);
  });

  it('upserts by alternate key: PATCH creates once, then updates the same row', async () => {
    const first = await h.call('bridge', 'PATCH', byKey('IX-UPS'), { body: { name: 'one' } });
    expect(first.status).toBe(204);
    const second = await h.call('bridge', 'PATCH', byKey('ix-ups'), { body: { name: 'two' }, headers: { prefer: 'return=representation' } });
    expect(second.status).toBe(200);
    expect(second.body.name).toBe('two');
    expect(await filtered('IX-UPS')).toHaveLength(1);
  });

  it('is restored when a $batch changeset rolls back its create, key update and delete', async () => {
    const kept = await create('IX-KEEP');
    const gone = await create('IX-GONE');
    const out = await failingChangeset([
      { method: 'POST', url: 'accounts', body: account('IX-ROLLED') },
      { method: 'PATCH', url: `accounts(${kept.id})`, body: { accountnumber: 'IX-MOVED' } },
      { method: 'DELETE', url: `accounts(${gone.id})` },
    ]);
    expect(out).toContain('HTTP/1.1 400');
    expect(await filtered('IX-ROLLED')).toEqual([]);
    expect(await filtered('IX-MOVED')).toEqual([]);
    expect(await filtered('IX-KEEP')).toEqual([kept.id]);
    expect(await filtered('IX-GONE')).toEqual([gone.id]);
    expect((await create('IX-ROLLED')).status).toBe(204);
    expect((await create('IX-MOVED')).status).toBe(204);
    expect((await create('IX-KEEP')).body).toEqual(DUPLICATE);
    expect((await create('IX-GONE')).body).toEqual(DUPLICATE);
  });

  it('refuses a duplicate created earlier in the same changeset', async () => {
    const out = await failingChangeset([
      { method: 'POST', url: 'accounts', body: account('IX-TWICE') },
      { method: 'POST', url: 'accounts', body: account('IX-TWICE') },
    ]);
    expect(out).toContain('HTTP/1.1 412');
    expect(out).toContain(JSON.stringify(DUPLICATE));
    expect(await filtered('IX-TWICE')).toEqual([]);
  });
});
