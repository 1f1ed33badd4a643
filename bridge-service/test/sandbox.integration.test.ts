// The bridge against the real sandbox (issuer, F&O OData, Dataverse Web API) on ephemeral ports.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { sandboxEnv, startSandbox, type Sandbox } from '@finops-bridge/sandbox';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { openStore } from '../src/db/connection';
import { createAuditRepo } from '../src/db/repos/audit';
import { firstAccountPerCompany, linkAsTheSyncWould, type AccountsByCompany } from './support/accounts';

let sb: Sandbox;
let app: FastifyInstance;
const accounts: AccountsByCompany = {};

beforeAll(async () => {
  sb = await startSandbox({ quiet: true, customers: 40, seed: 7 });
  const config = loadConfig({ ...sandboxEnv(sb.urls), LOG_LEVEL: 'silent', DATA_DIR: '/tmp/unused' });
  app = await buildApp(config, { store: await openStore({ sqliteFile: ':memory:' }), extensions: [] });
  Object.assign(accounts, await firstAccountPerCompany(app.bridge.clients.dataverse));
  await linkAsTheSyncWould(app.bridge.repos.links, accounts);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await sb?.close();
});

const bearer = async (who: 'sales' | 'controller' | 'guest' | 'admin', version?: 'v1' | 'v2') =>
  ({ authorization: `Bearer ${await sb.getToken(who, 'bridge', version as never)}` });
const financeUrl = (company: string) => `/api/v1/accounts/${accounts[company].accountid}/finance`;

describe('bridge against the sandbox', () => {
  it('finds linked accounts in usmf and nlmf', () => {
    expect(accounts.usmf).toBeDefined();
    expect(accounts.nlmf).toBeDefined();
  });

  it('sales reads a usmf account: 200 with the customer credit limit from F&O', async () => {
    const res = await app.inject({ url: financeUrl('usmf'), headers: await bearer('sales') });
    expect([res.statusCode, res.statusCode === 200 ? '' : res.body]).toEqual([200, '']);
    const body = res.json();
    expect(body.company).toBe('usmf');
    expect(body.customerAccount).toBe(accounts.usmf.accountnumber);
    const fno = await app.bridge.clients.fno.getByKey('CustomersV3', { dataAreaId: 'usmf', CustomerAccount: accounts.usmf.accountnumber }, { crossCompany: true });
    expect(body.creditLimit).toBe(fno?.CreditLimit);
    expect(body.editableFields).toEqual([]);
  });

  it('guest gets 403, no token gets 401', async () => {
    expect((await app.inject({ url: financeUrl('usmf'), headers: await bearer('guest') })).statusCode).toBe(403);
    expect((await app.inject({ url: financeUrl('usmf') })).statusCode).toBe(401);
  });

  it('sales cannot see an account of a company outside their read list (404)', async () => {
    if (!accounts.semf) return;
    const res = await app.inject({ url: financeUrl('semf'), headers: await bearer('sales') });
    expect(res.statusCode).toBe(404);
  });

  it('controller changes the nlmf credit limit: it reaches F&O and leaves an audit row; a stale etag then gets 412', async () => {
    const h = await bearer('controller');
    const before = (await app.inject({ url: financeUrl('nlmf'), headers: h })).json();
    expect(before.editableFields).toEqual(['creditLimit', 'onHoldStatus']);
    const newLimit = before.creditLimit + 1234;
    const res = await app.inject({ method: 'PATCH', url: financeUrl('nlmf'), headers: { ...h, 'if-match': before.etag }, payload: { creditLimit: newLimit } });
    expect(res.statusCode).toBe(200);
    const fno = await app.bridge.clients.fno.getByKey('CustomersV3', { dataAreaId: 'nlmf', CustomerAccount: accounts.nlmf.accountnumber }, { crossCompany: true });
    expect(fno?.CreditLimit).toBe(newLimit);
    const audit = await createAuditRepo(app.bridge.store.db).listForAccount(accounts.nlmf.accountid);
    expect(audit[0]).toMatchObject({ result: 'applied', company: 'nlmf', changes: { CreditLimit: { before: before.creditLimit, after: newLimit } } });

    const stale = await app.inject({ method: 'PATCH', url: financeUrl('nlmf'), headers: { ...h, 'if-match': before.etag }, payload: { creditLimit: 1 } });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().error.details.current.creditLimit).toBe(newLimit);
  });

  it('controller may not write usmf (read only there): 403', async () => {
    const h = await bearer('controller');
    const s = (await app.inject({ url: financeUrl('usmf'), headers: h })).json();
    const res = await app.inject({ method: 'PATCH', url: financeUrl('usmf'), headers: { ...h, 'if-match': s.etag }, payload: { onHoldStatus: 'All' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FB_RECORD_FORBIDDEN');
  });

  it('accepts a v1 token from the sandbox issuer', async () => {
    const res = await app.inject({ url: financeUrl('usmf'), headers: await bearer('sales', 'v1') });
    expect(res.statusCode).toBe(200);
  });

  it('/ready reports store, F&O and Dataverse reachable', async () => {
    const res = await app.inject('/ready');
    expect(res.json()).toMatchObject({ status: 'ready' });
  });
});
