// MSAL lives in the MsalLibrary control, loaded on demand: the loader asks the host (context.utils.loadDependency)
// for the library control once, only when a token is first needed, and reads what the control's bundle put on
// window. Here the host's loadDependency runs the library control's own entry (MsalLibrary/index.ts), as the
// platform runs its bundle.
import { describe, it, expect, afterEach, jest } from '@jest/globals';
import { createTokenProvider } from '../bridge-setup';
import { MSAL_LIBRARY_CONTROL, MSAL_LIBRARY_GLOBAL, loadMsalLibrary, type MsalClient, type MsalLibrary } from './msal-token-provider';
import { TokenError } from './token-provider';

const win = window as unknown as Record<string, unknown>;
afterEach(() => {
  delete win[MSAL_LIBRARY_GLOBAL];
});

/** The platform's loadDependency: runs the named library control's bundle (here: its entry module, fresh). */
function platformLoader() {
  const asked: string[] = [];
  const load = async (name: string) => {
    asked.push(name);
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- runs the library control's entry as its bundle would run
      require('../../MsalLibrary');
    });
  };
  return { asked, load };
}

describe('the MsalLibrary control, loaded on demand', () => {
  it('is loaded through loadDependency under the name the manifests declare, once, and publishes MSAL on window', async () => {
    const { asked, load } = platformLoader();
    expect(win[MSAL_LIBRARY_GLOBAL]).toBeUndefined();
    const lib = await loadMsalLibrary(load);
    expect(asked).toEqual([MSAL_LIBRARY_CONTROL]);
    expect(MSAL_LIBRARY_CONTROL).toBe('fob_FinOpsBridge.MsalLibrary');
    expect(lib.apiVersion).toBe(1);
    expect(typeof lib.createClient).toBe('function');
    // The library classifies errors of its own MSAL copy (the bundle's), which is why failureKind travels with it.
    expect(lib.failureKind(new Error('boom'), 'popup')).toBe('failed');
    // A second control on the page finds it already there.
    expect(await loadMsalLibrary(load)).toBe(lib);
    expect(asked).toHaveLength(1);
  });

  it('reports a host without loadDependency, a failed load, and a library that did not publish, as token errors', async () => {
    await expect(loadMsalLibrary(undefined)).rejects.toBeInstanceOf(TokenError);
    await expect(loadMsalLibrary(async () => { throw new Error('404'); })).rejects.toMatchObject({ kind: 'failed', message: expect.stringContaining('404') });
    await expect(loadMsalLibrary(async () => undefined)).rejects.toMatchObject({ kind: 'failed', message: expect.stringContaining(MSAL_LIBRARY_GLOBAL) });
  });
});

describe('the token provider on a Dynamics org (no hosting-page tokens)', () => {
  const config = { bridgeUrl: 'https://bridge.contoso.example', clientId: 'c', authority: 'https://login.microsoftonline.com/t', scope: 'api://b/user_impersonation' };
  const client: MsalClient = {
    ssoSilent: async () => ({ accessToken: 'from-sso', account: { homeAccountId: 'h' } }) as never,
    acquireTokenSilent: async () => ({ accessToken: 'from-cache', account: { homeAccountId: 'h' } }) as never,
    acquireTokenPopup: async () => { throw new Error('no popup here'); },
  };

  it('loads the library only for the first token, then keeps its client', async () => {
    const asked: string[] = [];
    const created: string[] = [];
    const load = async (name: string) => {
      asked.push(name);
      const lib: MsalLibrary = { apiVersion: 1, failureKind: () => 'failed', createClient: async (o) => { created.push(o.loginHint); return client; } };
      win[MSAL_LIBRARY_GLOBAL] = lib;
    };
    const provider = createTokenProvider(config, 'sales@contoso.example', load);
    expect(asked).toEqual([]);
    expect(await provider.getToken()).toBe('from-sso');
    expect(await provider.getToken()).toBe('from-cache');
    expect(asked).toEqual([MSAL_LIBRARY_CONTROL]);
    expect(created).toEqual(['sales@contoso.example']);
  });

  it('tries the load again on the next token after a failed one', async () => {
    let attempts = 0;
    const load = async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('network');
      win[MSAL_LIBRARY_GLOBAL] = { apiVersion: 1, failureKind: () => 'failed', createClient: async () => client } satisfies MsalLibrary;
    };
    const provider = createTokenProvider(config, 'sales@contoso.example', load);
    await expect(provider.getToken()).rejects.toMatchObject({ kind: 'failed' });
    expect(await provider.getToken()).toBe('from-sso');
    expect(attempts).toBe(2);
  });
});
