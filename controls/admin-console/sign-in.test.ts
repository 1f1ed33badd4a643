import { describe, expect, it } from '@jest/globals';
import { signInMethod, type ConsoleConfig } from './sign-in';

const SIGN_IN = { clientId: '3f6b2a1e-9c4d-4e8f-a7b2-5d1c0e9f8a71', authority: 'https://login.microsoftonline.com/t', scope: 'api://finops-bridge/user_impersonation' };
const users = [{ name: 'alex@contoso.example', displayName: 'admin (Alex)' }];

function page(hostname: string): Window {
  return { location: { hostname } } as unknown as Window;
}

describe('how the console signs in', () => {
  it('uses the host script demo users on a loopback address, asking tokens for the bridge scope', async () => {
    const win = page('127.0.0.1');
    const asked: unknown[] = [];
    const load = async (src: string) => {
      expect(src).toBe('/preview/host/admin-sign-in.js');
      (win as unknown as Record<string, unknown>).finOpsBridgeHost = {
        users: async () => users,
        getToken: async (r: unknown) => { asked.push(r); return 'demo-token'; },
      };
    };
    const method = await signInMethod({ signIn: SIGN_IN, hostScript: '/preview/host/admin-sign-in.js' }, win, load);
    if (method.kind !== 'demo') throw new Error(`expected the demo sign-in, got ${method.kind}`);
    expect(method.users).toEqual(users);
    const session = method.signIn(users[0]);
    expect(session.name).toBe('admin (Alex)');
    expect(await session.getToken(true)).toBe('demo-token');
    expect(asked).toEqual([{ scope: SIGN_IN.scope, userName: 'alex@contoso.example', forceRefresh: true }]);
  });

  it('ignores a host script anywhere but on this machine, and uses MSAL', async () => {
    let loaded = false;
    const method = await signInMethod({ signIn: SIGN_IN, hostScript: '/preview/host/admin-sign-in.js' }, page('bridge.contoso.com'), async () => { loaded = true; });
    expect(method.kind).toBe('msal');
    expect(loaded).toBe(false);
  });

  it('says sign-in is not configured without a client id', async () => {
    const config: ConsoleConfig = { signIn: { ...SIGN_IN, clientId: null }, hostScript: null };
    expect((await signInMethod(config, page('bridge.contoso.com'))).kind).toBe('unconfigured');
  });
});
