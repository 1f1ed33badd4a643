import { describe, expect, it } from '@jest/globals';
import type { FastifyPluginAsync } from 'fastify';
import { buildApp } from '../src/app';
import { openStore } from '../src/db/connection';
import { createTokenVerifier } from '../src/auth/verifier';
import type { BridgeExtension } from '../src/extensions';
import { testConfig } from './support/config';
import { makeKeys, sign, userClaims } from './support/tokens';

describe('app lifecycle and extension slot', () => {
  it('starts and stops extensions with the app, drains a request in flight, then closes the store', async () => {
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const routes: FastifyPluginAsync = async (app) => {
      app.post('/webhooks/test', async () => {
        events.push('request started');
        await gate;
        events.push('request finished');
        return { ok: true };
      });
    };
    const ext: BridgeExtension = {
      name: 'test', routes: () => routes,
      apiRoutes: () => async (app) => { app.get('/sync/ping', async () => ({ pong: true })); },
      start: async () => { events.push('start'); },
      stop: async () => { events.push('stop'); },
    };
    const store = await openStore({ sqliteFile: ':memory:' });
    const keys = await makeKeys();
    const app = await buildApp(testConfig({ LOG_LEVEL: 'silent' }), {
      store, extensions: [ext], verifier: createTokenVerifier({ ...testConfig().auth, keys: keys.jwks }),
    });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    expect(events).toEqual(['start']);
    expect((await app.inject('/api/v1/sync/ping')).json()).toEqual({ pong: true });
    const inFlight = fetch(`${address}/webhooks/test`, { method: 'POST' });
    while (!events.includes('request started')) await new Promise((r) => setTimeout(r, 5));
    const closing = app.close();
    setTimeout(release, 50);
    const res = await inFlight;
    expect(res.status).toBe(200);
    await closing;
    expect(events).toEqual(['start', 'request started', 'request finished', 'stop']);
    await expect(store.ping()).rejects.toThrow();
  });

  it('rate-limits per principal with 429 FB_RATE_LIMITED and Retry-After', async () => {
    const keys = await makeKeys();
    const app = await buildApp(testConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_MAX: '2' }), {
      store: await openStore({ sqliteFile: ':memory:' }), extensions: [],
      verifier: createTokenVerifier({ ...testConfig().auth, keys: keys.jwks }),
    });
    const a = await sign(keys.privateKey, userClaims('11111111-aaaa-4aaa-8aaa-00000000000a', []));
    const b = await sign(keys.privateKey, userClaims('11111111-aaaa-4aaa-8aaa-00000000000b', []));
    const hit = (t: string) => app.inject({ url: '/api/v1/accounts/6f3c1f2e-5b7a-4c19-9e3f-1a2b3c4d5e6f/finance', headers: { authorization: `Bearer ${t}` } });
    expect((await hit(a)).statusCode).toBe(403);
    expect((await hit(a)).statusCode).toBe(403);
    const third = await hit(a);
    expect(third.statusCode).toBe(429);
    expect(third.json().error.code).toBe('FB_RATE_LIMITED');
    expect(third.headers['retry-after']).toBeDefined();
    expect((await hit(b)).statusCode).toBe(403); // another principal has its own budget
    await app.close();
  });

  it('counts requests before any token is looked at by client address: new token strings buy no new budget', async () => {
    const app = await buildApp(testConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_ADDRESS_MAX: '3' }), { store: await openStore({ sqliteFile: ':memory:' }), extensions: [] });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      codes.push((await app.inject({ url: '/api/v1/accounts/6f3c1f2e-5b7a-4c19-9e3f-1a2b3c4d5e6f/finance', headers: { authorization: `Bearer garbage-${i}` } })).statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 429, 429]);
    // Another address has its own budget.
    expect((await app.inject({ url: '/api/v1/accounts/6f3c1f2e-5b7a-4c19-9e3f-1a2b3c4d5e6f/finance', remoteAddress: '10.1.2.3', headers: { authorization: 'Bearer garbage' } })).statusCode).toBe(401);
    await app.close();
  });
});
