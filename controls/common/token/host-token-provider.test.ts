import { describe, it, expect } from '@jest/globals';
import { HostTokenProvider, hostTokenSource } from './host-token-provider';
import { TokenError } from './token-provider';

const page = (href: string, source?: unknown) => ({ location: new URL(href), finOpsBridgeHost: source }) as unknown as Window;
const source = { getToken: async (r: { scope: string; userName: string; forceRefresh: boolean }) => `${r.userName}|${r.scope}|${r.forceRefresh}` };

describe('the hosting page as token source', () => {
  it('is used only on a loopback page (the local preview), never on a Dynamics org', () => {
    expect(hostTokenSource(page('http://127.0.0.1:4000/preview/', source))).toBe(source);
    expect(hostTokenSource(page('http://localhost:8181/', source))).toBe(source);
    expect(hostTokenSource(page('https://contoso.crm4.dynamics.com/main.aspx', source))).toBeNull();
    expect(hostTokenSource(page('http://127.0.0.1:4000/preview/'))).toBeNull();
    expect(hostTokenSource(page('http://127.0.0.1:4000/preview/', { getToken: 'nope' }))).toBeNull();
  });

  it('asks the page for the bridge scope as the signed-in user and reports its failure as a token error', async () => {
    expect(await new HostTokenProvider(source, 'api://b/user_impersonation', 'sales').getToken({ forceRefresh: true })).toBe('sales|api://b/user_impersonation|true');
    const failing = new HostTokenProvider({ getToken: async () => { throw new Error('issuer down'); } }, 's', 'u');
    await expect(failing.getToken()).rejects.toEqual(new TokenError('failed', 'issuer down'));
  });
});
