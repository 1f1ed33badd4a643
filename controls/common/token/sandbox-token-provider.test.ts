import { describe, it, expect } from '@jest/globals';
import { SandboxTokenProvider } from './sandbox-token-provider';
import { scriptedFetch } from '../../test/helpers';

describe('SandboxTokenProvider', () => {
  it('uses the password grant, caches the token until near expiry and refreshes on demand', async () => {
    let n = 0;
    const f = scriptedFetch({ 'POST /tenant/oauth2/v2.0/token': () => ({ status: 200, body: { access_token: `t${++n}`, expires_in: 600 } }) });
    let now = 0;
    const p = new SandboxTokenProvider({ issuer: 'http://127.0.0.1:4003/tenant', clientId: 'c', username: 'sales', password: 'demo', scope: 's', fetchImpl: f.impl, now: () => now });
    expect(await p.getToken()).toBe('t1');
    expect(await p.getToken()).toBe('t1');
    expect(f.calls).toHaveLength(1);
    expect(new URLSearchParams(f.calls[0].body as string)).toEqual(new URLSearchParams('grant_type=password&client_id=c&username=sales&password=demo&scope=s'));
    now = 541_000;
    expect(await p.getToken()).toBe('t2');
    expect(await p.getToken({ forceRefresh: true })).toBe('t3');
  });

  it('explains a refused sign-in', async () => {
    const f = scriptedFetch({ 'POST /t/oauth2/v2.0/token': [{ status: 400, body: { error: 'invalid_grant', error_description: 'Wrong password' } }] });
    const p = new SandboxTokenProvider({ issuer: 'http://127.0.0.1:4003/t', clientId: 'c', username: 'x', password: 'y', scope: 's', fetchImpl: f.impl });
    await expect(p.getToken()).rejects.toThrow('Wrong password');
  });
});
