// What the MsalLibrary control (controls/MsalLibrary) carries: the only code of the controls that imports
// @azure/msal-browser at run time. FinancePanel and SyncStatus do not bundle it: they declare the library
// control as an on-demand dependency and load it through msal-token-provider.ts when a token is first
// needed, so MSAL is downloaded once for both controls and only on a Dynamics org (the local preview gets its
// tokens from the hosting page). The library publishes itself on window under MSAL_LIBRARY_GLOBAL.
import { BrowserAuthError, InteractionRequiredAuthError, PublicClientApplication } from '@azure/msal-browser';
import { MSAL_LIBRARY_GLOBAL, type MsalClient, type MsalLibrary, type MsalTokenOptions } from './msal-token-provider';

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

/** Pure: what an MSAL failure means for the control, by stage (it needs MSAL's error classes, so it lives here). */
export function msalFailureKind(e: unknown, stage: 'silent' | 'popup'): 'interaction_required' | 'failed' {
  if (stage === 'silent') {
    if (e instanceof InteractionRequiredAuthError) return 'interaction_required';
    return e instanceof BrowserAuthError && SILENT_NEEDS_USER.test(e.errorCode) ? 'interaction_required' : 'failed';
  }
  return e instanceof BrowserAuthError && POPUP_RETRYABLE.test(e.errorCode) ? 'interaction_required' : 'failed';
}

export const msalLibrary: MsalLibrary = { apiVersion: 1, createClient: createMsalClient, failureKind: msalFailureKind };

/** Puts the library on window, where the controls' loader finds it once the platform has run this bundle. */
export function publishMsalLibrary(win: Window = window): void {
  (win as unknown as Record<string, unknown>)[MSAL_LIBRARY_GLOBAL] = msalLibrary;
}
