// Who is using the console. In production: Entra ID through MSAL (a popup the Sign in button opens), for the bridge
// API's user_impersonation scope, with the settings /admin/config.json derives from the bridge's AUTH_* values.
// In the local demo: the sandbox's demo users, offered by a host script on window.finOpsBridgeHost, the same hook
// the controls use on the preview page (honoured on a loopback address only).
import { PublicClientApplication, type AccountInfo } from '@azure/msal-browser';
import { hostTokenSource, type HostTokenSource } from '../common/token/host-token-provider';

export interface ConsoleConfig {
  signIn: { clientId: string | null; authority: string; scope: string | null };
  hostScript: string | null;
}

export interface SignedIn {
  /** The name shown in the header. */
  name: string;
  getToken(forceRefresh: boolean): Promise<string>;
  signOut(): Promise<void>;
}

export interface DemoUser { name: string; displayName: string }

/** A host that also lists the users one may sign in as (the demo's). */
export interface DemoHost extends HostTokenSource {
  users(): Promise<DemoUser[]>;
}

export type SignInMethod =
  | { kind: 'demo'; users: DemoUser[]; signIn(user: DemoUser): SignedIn }
  | { kind: 'msal'; signIn(): Promise<SignedIn> }
  | { kind: 'unconfigured' };

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error(`cannot load ${src}`));
    document.head.appendChild(s);
  });
}

export async function signInMethod(config: ConsoleConfig, win: Window = window, load: (src: string) => Promise<void> = loadScript): Promise<SignInMethod> {
  if (config.hostScript && ['127.0.0.1', 'localhost', '[::1]'].includes(win.location.hostname)) {
    await load(config.hostScript);
    const host = hostTokenSource(win) as DemoHost | null;
    if (host && typeof host.users === 'function' && config.signIn.scope) {
      const scope = config.signIn.scope;
      return {
        kind: 'demo',
        users: await host.users(),
        signIn: (user) => ({
          name: user.displayName,
          getToken: (forceRefresh) => host.getToken({ scope, userName: user.name, forceRefresh }),
          signOut: async () => undefined,
        }),
      };
    }
  }
  const { clientId, authority, scope } = config.signIn;
  if (!clientId || !scope) return { kind: 'unconfigured' };
  return { kind: 'msal', signIn: () => msalSignIn(clientId, authority, scope) };
}

async function msalSignIn(clientId: string, authority: string, scope: string): Promise<SignedIn> {
  const pca = new PublicClientApplication({
    // Register <bridge>/admin/ as a single-page-application redirect URI of the bridge API's app registration.
    auth: { clientId, authority, redirectUri: `${window.location.origin}/admin/` },
    cache: { cacheLocation: 'sessionStorage' },
  });
  await pca.initialize();
  const scopes = [scope];
  const login = await pca.loginPopup({ scopes });
  const account: AccountInfo = login.account;
  return {
    name: account.name ?? account.username,
    getToken: async (forceRefresh) => {
      try {
        return (await pca.acquireTokenSilent({ scopes, account, forceRefresh })).accessToken;
      } catch {
        return (await pca.acquireTokenPopup({ scopes, account })).accessToken;
      }
    },
    signOut: () => pca.logoutPopup({ account }),
  };
}
