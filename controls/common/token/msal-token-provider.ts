// Entra ID single sign-on for the bridge token in a model-driven app: ssoSilent with the signed-in
// user's name as login hint, a popup only when the user asks for it. The cache is memory only (PCF
// guidance forbids localStorage and sessionStorage).
//
// Silent sign-in runs in a hidden iframe on login.microsoftonline.com, which needs that site's cookies: a
// browser that blocks third-party cookies (Safari by default, Chrome and Firefox by setting) makes it fail
// with login_required or a timed-out iframe. The control then shows a Sign in button (a popup opened by the
// click is allowed), and stops retrying silently until the user has signed in, so polling controls do not
// hang on an iframe every few seconds.
// MSAL itself is not in this file, nor in the controls' bundles: it lives in the MsalLibrary control
// (msal-library.ts), which FinancePanel and SyncStatus declare as an on-demand dependency
// (`<dependency type="control" name="fob_FinOpsBridge.MsalLibrary" load-type="onDemand" />`). The first
// getToken loads it through the platform (context.utils.loadDependency) and reads it from window; only type
// imports of @azure/msal-browser appear here, and TypeScript erases them.
import type { AccountInfo, AuthenticationResult } from '@azure/msal-browser';
import { TokenError, type TokenProvider, type TokenRequest } from './token-provider';

export interface MsalTokenOptions {
  clientId: string;
  authority: string;
  scope: string;
  loginHint: string;
}

/** The part of MSAL's PublicClientApplication used here (tests pass a fake). */
export interface MsalClient {
  acquireTokenSilent(request: { scopes: string[]; account: AccountInfo; forceRefresh?: boolean }): Promise<AuthenticationResult>;
  ssoSilent(request: { scopes: string[]; loginHint: string }): Promise<AuthenticationResult>;
  acquireTokenPopup(request: { scopes: string[]; loginHint: string }): Promise<AuthenticationResult>;
}

/** What the MsalLibrary control publishes on window (msal-library.ts). A breaking change needs a new global name. */
export interface MsalLibrary {
  apiVersion: 1;
  createClient: (opts: MsalTokenOptions) => Promise<MsalClient>;
  /** What an MSAL failure means for the control: MSAL's error classes are only in the library. */
  failureKind: (e: unknown, stage: 'silent' | 'popup') => 'interaction_required' | 'failed';
}

/** The library control's name as the solution names it (publisher prefix fob), as the manifests' dependency names it. */
export const MSAL_LIBRARY_CONTROL = 'fob_FinOpsBridge.MsalLibrary';
/** Where the library control puts the library (versioned: window is shared by every control on the page). */
export const MSAL_LIBRARY_GLOBAL = 'FinOpsBridgeMsalV1';

/** context.utils.loadDependency: the platform runs the named library control's bundle (on-demand dependency). */
export type LoadDependency = (dependencyName: string) => Promise<unknown>;

function publishedLibrary(win: Window): MsalLibrary | null {
  const lib = (win as unknown as Record<string, unknown>)[MSAL_LIBRARY_GLOBAL] as Partial<MsalLibrary> | undefined;
  return lib?.apiVersion === 1 && typeof lib.createClient === 'function' ? (lib as MsalLibrary) : null;
}

/**
 * Loads the MsalLibrary control on demand and returns what it published: at once when another control on the
 * page already loaded it, else through loadDependency (the platform's context.utils.loadDependency; the
 * local preview and the tests pass the same function of their own host).
 */
export async function loadMsalLibrary(loadDependency: LoadDependency | undefined, win: Window = window): Promise<MsalLibrary> {
  const present = publishedLibrary(win);
  if (present) return present;
  if (!loadDependency) {
    throw new TokenError('failed', `The sign-in library (${MSAL_LIBRARY_CONTROL}) is not loaded and this host cannot load control dependencies (context.utils.loadDependency). Import the whole FinOps Bridge solution, which contains it.`);
  }
  try {
    await loadDependency(MSAL_LIBRARY_CONTROL);
  } catch (e) {
    throw new TokenError('failed', `The sign-in library (${MSAL_LIBRARY_CONTROL}) did not load: ${e instanceof Error ? e.message : String(e)}`);
  }
  const loaded = publishedLibrary(win);
  if (!loaded) throw new TokenError('failed', `The sign-in library (${MSAL_LIBRARY_CONTROL}) loaded but did not publish window.${MSAL_LIBRARY_GLOBAL}: import the same version of the whole FinOps Bridge solution.`);
  return loaded;
}

export class MsalTokenProvider implements TokenProvider {
  private app: Promise<{ client: MsalClient; lib: MsalLibrary }> | null = null;
  private account: AccountInfo | null = null;
  /** Silent sign-in failed for want of the user: do not try again until the user signed in. */
  private silentBlocked = false;

  /** library: loads the MSAL library (loadMsalLibrary with the host's loadDependency); called on the first getToken only. */
  constructor(private readonly opts: MsalTokenOptions, private readonly library: () => Promise<MsalLibrary>) {}

  private client(): Promise<{ client: MsalClient; lib: MsalLibrary }> {
    if (!this.app) {
      const app = this.library().then(async (lib) => ({ client: await lib.createClient(this.opts), lib }));
      this.app = app;
      // A failed load is tried again by the next getToken (e.g. after a network blip), not remembered.
      app.catch(() => {
        if (this.app === app) this.app = null;
      });
    }
    return this.app;
  }

  async getToken(request: TokenRequest = {}): Promise<string> {
    const { client: pca, lib } = await this.client();
    const msalFailureKind = lib.failureKind;
    const scopes = [this.opts.scope];
    if (this.account) {
      try {
        const r = await pca.acquireTokenSilent({ scopes, account: this.account, forceRefresh: request.forceRefresh });
        return r.accessToken;
      } catch (e) {
        if (msalFailureKind(e, 'silent') === 'failed') throw asTokenError(e, 'failed');
      }
    }
    if (!this.silentBlocked || request.interactive) {
      try {
        const r = await pca.ssoSilent({ scopes, loginHint: this.opts.loginHint });
        this.account = r.account;
        this.silentBlocked = false;
        return r.accessToken;
      } catch (e) {
        if (msalFailureKind(e, 'silent') === 'failed') throw asTokenError(e, 'failed');
        this.silentBlocked = true;
      }
    }
    // Browsers block popups that no click opened: ask the UI to offer a sign-in button instead.
    if (!request.interactive) throw new TokenError('interaction_required', 'Sign-in is needed.');
    try {
      const r = await pca.acquireTokenPopup({ scopes, loginHint: this.opts.loginHint });
      this.account = r.account;
      this.silentBlocked = false;
      return r.accessToken;
    } catch (e) {
      throw asTokenError(e, msalFailureKind(e, 'popup'));
    }
  }
}

function asTokenError(e: unknown, kind: 'interaction_required' | 'failed'): TokenError {
  return new TokenError(kind, e instanceof Error ? e.message : String(e));
}
