// Silent sign-in failing as it does when the browser blocks third-party cookies (login_required from the
// hidden iframe, or the iframe timing out): the control must get "sign in needed" (a visible button), not an
// error, stop retrying silently, and sign in through the popup the click opens.
import { describe, it, expect } from '@jest/globals';
import { BrowserAuthError, InteractionRequiredAuthError, type AccountInfo, type AuthenticationResult } from '@azure/msal-browser';
import { msalFailureKind, msalLibrary } from './msal-library';
import { MsalTokenProvider, type MsalClient } from './msal-token-provider';
import { TokenError } from './token-provider';

const account = { homeAccountId: 'h', environment: 'login.microsoftonline.com', tenantId: 't', username: 'sales@contoso.example', localAccountId: 'l' } as AccountInfo;
const result = (token: string) => ({ accessToken: token, account }) as AuthenticationResult;
const OPTS = { clientId: 'c', authority: 'https://login.microsoftonline.com/organizations', scope: 'api://b/user_impersonation', loginHint: 'sales@contoso.example' };

function fakeMsal(script: { silent: () => Promise<AuthenticationResult>; popup: () => Promise<AuthenticationResult> }) {
  const calls: string[] = [];
  const client: MsalClient = {
    ssoSilent: async () => { calls.push('ssoSilent'); return script.silent(); },
    acquireTokenPopup: async () => { calls.push('popup'); return script.popup(); },
    acquireTokenSilent: async () => { calls.push('cache'); return result('from-cache'); },
  };
  // The real library (its failure classification), with a fake MSAL client.
  return { calls, provider: new MsalTokenProvider(OPTS, async () => ({ ...msalLibrary, createClient: async () => client })) };
}

describe('MsalTokenProvider when third-party cookies are blocked', () => {
  for (const [label, error] of [
    ['login_required from the iframe', new InteractionRequiredAuthError('login_required', 'AADSTS50058: A silent sign-in request was sent but no user is signed in.')],
    ['a timed-out iframe', new BrowserAuthError('monitor_window_timeout')],
  ] as const) {
    it(`asks for a visible sign-in after ${label}, stops trying silently, and signs in through the popup`, async () => {
      const { calls, provider } = fakeMsal({ silent: async () => { throw error; }, popup: async () => result('from-popup') });
      await expect(provider.getToken()).rejects.toEqual(new TokenError('interaction_required', 'Sign-in is needed.'));
      await expect(provider.getToken()).rejects.toMatchObject({ kind: 'interaction_required' });
      expect(calls).toEqual(['ssoSilent']);
      expect(await provider.getToken({ interactive: true })).toBe('from-popup');
      expect(await provider.getToken()).toBe('from-cache');
    });
  }

  it('keeps the Sign in button when the popup is blocked or closed, and reports other failures as errors', async () => {
    const blocked = fakeMsal({ silent: async () => { throw new BrowserAuthError('monitor_window_timeout'); }, popup: async () => { throw new BrowserAuthError('popup_window_error'); } });
    await expect(blocked.provider.getToken({ interactive: true })).rejects.toMatchObject({ kind: 'interaction_required' });
    expect(msalFailureKind(new BrowserAuthError('user_cancelled'), 'popup')).toBe('interaction_required');
    expect(msalFailureKind(new BrowserAuthError('no_network_connectivity'), 'silent')).toBe('failed');
    expect(msalFailureKind(new Error('boom'), 'popup')).toBe('failed');
  });
});
