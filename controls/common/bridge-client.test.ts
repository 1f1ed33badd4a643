import { describe, it, expect } from '@jest/globals';
import { BridgeClient, classifyFailure, newIdempotencyKey } from './bridge-client';
import { TokenError } from './token/token-provider';
import { scriptedFetch, summary, ACCOUNT_ID } from '../test/helpers';

describe('classifyFailure', () => {
  it('names each failure the user can meet', () => {
    expect(classifyFailure(404, { error: { code: 'FB_ACCOUNT_NOT_LINKED', message: 'x' } }).kind).toBe('not_linked');
    expect(classifyFailure(404, { error: { code: 'FB_SOMETHING', message: 'x' } }).kind).toBe('error');
    expect(classifyFailure(403, null).kind).toBe('forbidden');
    expect(classifyFailure(404, { error: { code: 'FB_ACCOUNT_NOT_FOUND', message: 'x' } }).kind).toBe('not_found');
    expect(classifyFailure(429, { error: { code: 'FB_RATE_LIMITED', message: 'x' } }).kind).toBe('busy');
    expect(classifyFailure(502, { error: { code: 'FB_UPSTREAM_FNO', message: 'x' } }).kind).toBe('upstream');
    expect(classifyFailure(401, null).kind).toBe('unauthorized');
    expect(classifyFailure(502, null).kind).toBe('unreachable');
    expect(classifyFailure(500, null).kind).toBe('unreachable');
    expect(classifyFailure(500, { error: { code: 'FB_INTERNAL', message: 'boom' } })).toEqual({ kind: 'error', code: 'FB_INTERNAL', message: 'boom', status: 500 });
    const current = summary({ creditLimit: 1 });
    expect(classifyFailure(412, { error: { code: 'FB_CONFLICT_ETAG', message: 'changed', details: current } })).toEqual({ kind: 'conflict', message: 'changed', current });
  });
});

describe('BridgeClient', () => {
  it('sends the bearer token, If-Match and Idempotency-Key on a PATCH', async () => {
    const f = scriptedFetch({ [`PATCH /api/v1/accounts/${ACCOUNT_ID}/finance`]: [{ status: 200, body: summary({ creditLimit: 30000 }) }] });
    const client = new BridgeClient('http://bridge', { getToken: async () => 'tok' }, f.impl);
    const r = await client.patchFinance(ACCOUNT_ID, 'W/"7"', { creditLimit: 30000 }, 'key-1');
    expect(r).toMatchObject({ kind: 'ok', data: { creditLimit: 30000 } });
    expect(f.calls[0].headers).toMatchObject({ Authorization: 'Bearer tok', 'If-Match': 'W/"7"', 'Idempotency-Key': 'key-1', 'Content-Type': 'application/json' });
    expect(f.calls[0].body).toEqual({ creditLimit: 30000 });
  });

  it('retries once with a fresh token after a 401', async () => {
    const f = scriptedFetch({ [`GET /api/v1/accounts/${ACCOUNT_ID}/finance`]: [{ status: 401 }, { status: 200, body: summary() }] });
    const requests: unknown[] = [];
    const client = new BridgeClient('http://bridge', { getToken: async (r) => { requests.push(r); return 't'; } }, f.impl);
    expect((await client.getFinance(ACCOUNT_ID)).kind).toBe('ok');
    expect(requests).toEqual([{ forceRefresh: false }, { forceRefresh: true }]);
  });

  it('turns a network failure into "unreachable" and a needed sign-in into "sign_in"', async () => {
    const f = scriptedFetch({ 'GET /api/v1/sync/records/account/x': [new TypeError('Failed to fetch')] });
    expect((await new BridgeClient('http://bridge', { getToken: async () => 't' }, f.impl).getSyncStatus('account', 'x')).kind).toBe('unreachable');
    const needsSignIn = new BridgeClient('http://bridge', { getToken: async () => { throw new TokenError('interaction_required', 'sign in'); } }, f.impl);
    expect((await needsSignIn.getSyncStatus('account', 'x')).kind).toBe('sign_in');
    // A blocked popup after the click leaves the Sign in action in place instead of an error.
    expect((await needsSignIn.signIn()).kind).toBe('sign_in');
  });

  it('takes the current values of a conflict from details.current, as the bridge sends them', () => {
    const current = { etag: 'W/"2"', creditLimit: 1112 };
    expect(classifyFailure(412, { error: { code: 'FB_CONFLICT_ETAG', message: 'changed', details: { current } } })).toEqual({ kind: 'conflict', message: 'changed', current });
  });

  it('lets a user-initiated read bypass the browser cache and an automatic one use it', async () => {
    const f = scriptedFetch({ 'GET /api/v1/accounts/a/finance': [{ status: 200, body: {} }] });
    const client = new BridgeClient('http://bridge', { getToken: async () => 't' }, f.impl);
    await client.getFinance('a');
    await client.getFinance('a', { fresh: true });
    expect(f.calls.map((c) => c.cache)).toEqual([undefined, 'no-cache']);
  });

  it('makes distinct v4 UUIDs as idempotency keys', () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newIdempotencyKey()).not.toBe(a);
  });
});
