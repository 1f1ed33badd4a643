// Entra ID single sign-on for the bridge token in a model-driven app: ssoSilent with the signed-in
// user's name as login hint, a popup only when the user asks for it. The cache is memory only (PCF
// guidance forbids localStorage and sessionStorage).
//
// Silent sign-in runs in a hidden iframe on login.microsoftonline.com, which needs that site's cookies: a
// browser that blocks third-party cookies (Safari by default, Chrome and Firefox by setting) makes it fail
// with login_required or a timed-out iframe. The control then shows a Sign in button (a popup opened by the
// click is allowed), and stops retrying silently until the user has signed in, so polling controls do not
// hang on an iframe every few seconds.
import { BrowserAuthError, InteractionRequiredAuthError, PublicClientApplication, type AccountInfo, type AuthenticationResult } from '@azure/msal-browser';
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

async function createMsalClient(opts: MsalTokenOptions): Promise<MsalClient> {
  const pca = new PublicClientApplication({
    // The org's own address: register it as a single-page-application redirect URI of the controls' app
    // registration, once per Dynamics org (see docs/admin-guide.md).
    auth: { clientId: opts.clientId, authority: opts.authority, redirectUri: window.location.origin },
    cache: { cacheLocation: 'memoryStorage', temporaryCacheLocation: 'memoryStorage' },
  });
  await pca.initialize();
  return pca;
}

/** Errors of silent sign-in that a user's click can fix (no session, consent, blocked third-party cookies). */
const SILENT_NEEDS_USER = /^(monitor_window_timeout|iframe_closed_prematurely|timed_out|block_iframe_reload|silent_prompt_value_error|interaction_in_progress)$/;
/** Errors of the popup after which the Sign in button should stay (blocked or closed popup). */
const POPUP_RETRYABLE = /^(popup_window_error|empty_window_error|user_cancelled|interaction_in_progress|monitor_window_timeout|timed_out)$/;

/** Pure: what an MSAL failure means for the control, by stage. */
export function msalFailureKind(e: unknown, stage: 'silent' | 'popup'): 'interaction_required' | 'failed' {
  if (stage === 'silent') {
    if (e instanceof InteractionRequiredAuthError) return 'interaction_required';
    return e instanceof BrowserAuthError && SILENT_NEEDS_USER.test(e.errorCode) ? 'interaction_required' : 'failed';
  }
  return e instanceof BrowserAuthError && POPUP_RETRYABLE.test(e.errorCode) ? 'interaction_required' : 'failed';
}

export class MsalTokenProvider implements TokenProvider {
  private app: Promise<MsalClient> | null = null;
  private account: AccountInfo | null = null;
  /** Silent sign-in failed for want of the user: do not try again until the user signed in. */
  private silentBlocked = false;

  constructor(private readonly opts: MsalTokenOptions, private readonly create: (opts: MsalTokenOptions) => Promise<MsalClient> = createMsalClient) {}

  private client(): Promise<MsalClient> {
    this.app ??= this.create(this.opts);
    return this.app;
  }

  async getToken(request: TokenRequest = {}): Promise<string> {
    const pca = await this.client();
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
