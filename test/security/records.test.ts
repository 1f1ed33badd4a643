// Record-level checks on the routes that name a Dataverse row besides the finance route: the record sync status
// (what the badge shows) and the admin's retry of one record. Each asks Dataverse whether the caller may read the
// row now; a row they may not read and a row that does not exist get the same 404, so nothing is revealed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createSyncExtension } from '../../bridge-service/src/sync/runtime/extension';
import { startHarness, type Harness } from './support/harness';

let h: Harness;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness({
    extensions: () => [createSyncExtension({ env: {}, settings: { worker: false, registerWebhooks: 'false', sweepMs: 0 } })],
  });
  for (const who of ['sales', 'controller', 'admin', 'guest'] as const) tokens[who] = await h.bearer(who);
}, 60_000);

afterAll(async () => {
  await h?.close();
});

/** Shaped as Dataverse makes ids (not RFC 4122 v4). */
const MISSING = 'ec4e2f7d-9d60-e811-a95a-000d3af24950';
const status = (id: string, who: string) =>
  h.app.inject({ url: `/api/v1/sync/records/account/${id}`, headers: { authorization: `Bearer ${tokens[who]}` } });
/** The answer with the row's id taken out, to compare a refused row with a missing one. */
const shape = (r: { statusCode: number; body: string }, id: string) => ({ status: r.statusCode, body: r.body.replaceAll(id, '<id>').replace(/"requestId":"[^"]*"/, '') });

describe('GET /api/v1/sync/records/account/:id', () => {
  it('answers a sales user for an account of a company they may read (nlmf)', async () => {
    const r = await status(h.accounts.nlmf.accountid, 'sales');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ table: 'account', linkedKey: { dataAreaId: 'nlmf', CustomerAccount: h.accounts.nlmf.accountnumber } });
  });

  it('answers a sales user 404 for an account of a company they may not read (semf), exactly as for a missing id', async () => {
    const refused = await status(h.accounts.semf.accountid, 'sales');
    expect(refused.statusCode).toBe(404);
    expect(refused.body).not.toContain(h.accounts.semf.accountnumber);
    expect(refused.body).not.toContain('semf');
    expect(shape(refused, h.accounts.semf.accountid)).toEqual(shape(await status(MISSING, 'sales'), MISSING));
  });

  it('answers a user without any app role 403 before looking at the row', async () => {
    expect((await status(h.accounts.nlmf.accountid, 'guest')).statusCode).toBe(403);
  });
});

describe('authentication before parsing', () => {
  it('answers 401 to a caller without a token, whatever is wrong with the id, map name or body', async () => {
    const attempts = await Promise.all([
      h.app.inject({ url: '/api/v1/sync/records/account/not-a-guid' }),
      h.app.inject({ url: "/api/v1/sync/records/x'/1" }),
      h.app.inject({ method: 'POST', url: '/api/v1/admin/maps/x%27/initial-sync', headers: { 'content-type': 'application/json' }, payload: '[' }),
      h.app.inject({ method: 'POST', url: '/api/v1/admin/errors/not-an-id/retry' }),
      h.app.inject({ method: 'GET', url: '/api/v1/admin/errors?limit=-5' }),
    ]);
    for (const r of attempts) expect({ status: r.statusCode, code: r.json<{ error: { code: string } }>().error.code }).toEqual({ status: 401, code: 'FB_AUTH_MISSING_TOKEN' });
  });
});

describe('POST /api/v1/admin/sync/records/account/:id/retry', () => {
  it('answers 404 for a row that does not exist, and queues nothing', async () => {
    const jobs = async () => Number((await sql<{ n: number | string }>`select count(*) as n from sync_jobs`.execute(h.app.bridge.store.db)).rows[0].n);
    const before = await jobs();
    const r = await h.app.inject({ method: 'POST', url: `/api/v1/admin/sync/records/account/${MISSING}/retry`, headers: { authorization: `Bearer ${tokens.admin}` } });
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('FB_NOT_FOUND');
    expect(await jobs()).toBe(before);
  });

  it('lets an admin who may read the row retry it', async () => {
    const r = await h.app.inject({ method: 'POST', url: `/api/v1/admin/sync/records/account/${h.accounts.semf.accountid}/retry`, headers: { authorization: `Bearer ${tokens.admin}` } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ ok: true });
  });
});
