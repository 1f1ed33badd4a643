// Entra ID single sign-on for the bridge token in a model-driven app: ssoSilent with the signed-in
// user's name as login hint, a popup only when the user asks for it. The cache is memory only (PCF
// guidance forbids localStorage and sessionStorage).
import { BrowserAuthError, InteractionRequiredAuthError, PublicClientApplication, type AccountInfo } from '@azure/msal-browser';
import { TokenError, type TokenProvider, type TokenRequest } from './token-provider';

export interface MsalTokenOptions {
  clientId: string;
  authority: string;
  scope: string;
  loginHint: string;
}

export class MsalTokenProvider implements TokenProvider {
  private app: Promise<PublicClientApplication> | null = null;
  private account: AccountInfo | null = null;

  constructor(private readonly opts: MsalTokenOptions) {}

  private client(): Promise<PublicClientApplication> {
    this.app ??= (async () => {
      const pca = new PublicClientApplication({
        auth: { clientId: this.opts.clientId, authority: this.opts.authority, redirectUri: window.location.origin },
        cache: { cacheLocation: 'memoryStorage', temporaryCacheLocation: 'memoryStorage' },
      });
      await pca.initialize();
      return pca;
    })();
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
        if (!isInteractionNeeded(e)) throw asTokenError(e);
      }
    }
    try {
      const r = await pca.ssoSilent({ scopes, loginHint: this.opts.loginHint });
      this.account = r.account;
      return r.accessToken;
    } catch (e) {
      if (!isInteractionNeeded(e)) throw asTokenError(e);
    }
    // Browsers block popups that no click opened: ask the UI to offer a sign-in button instead.
    if (!request.interactive) throw new TokenError('interaction_required', 'Sign-in is needed.');
    try {
      const r = await pca.acquireTokenPopup({ scopes, loginHint: this.opts.loginHint });
      this.account = r.account;
      return r.accessToken;
    } catch (e) {
      throw asTokenError(e);
    }
  }
}

function isInteractionNeeded(e: unknown): boolean {
  return e instanceof InteractionRequiredAuthError || (e instanceof BrowserAuthError && /interaction|silent|timed_out|monitor_window/i.test(e.errorCode));
}

function asTokenError(e: unknown): TokenError {
  return new TokenError('failed', e instanceof Error ? e.message : String(e));
}
