// Tokens handed over by the page that hosts the controls outside Dynamics: the local preview of the sandbox
// (controls/preview-host) signs its demo users in itself and offers their tokens on `window.finOpsBridgeHost`.
// Nothing in the manifest turns this on, and it is honoured only on a loopback page, so on a Dynamics org
// (always https on a public name) the controls use MSAL whatever a script puts on window.
import { TokenError, type TokenProvider, type TokenRequest } from './token-provider';

export interface HostTokenSource {
  getToken(request: { scope: string; userName: string; forceRefresh: boolean }): Promise<string>;
}

export const HOST_TOKEN_SOURCE_GLOBAL = 'finOpsBridgeHost';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The page's token source, when the page is on this machine and offers one. */
export function hostTokenSource(win: Window = window): HostTokenSource | null {
  if (!LOOPBACK.has(win.location.hostname)) return null;
  const source = (win as unknown as Record<string, unknown>)[HOST_TOKEN_SOURCE_GLOBAL] as Partial<HostTokenSource> | undefined;
  return typeof source?.getToken === 'function' ? (source as HostTokenSource) : null;
}

export class HostTokenProvider implements TokenProvider {
  constructor(private readonly source: HostTokenSource, private readonly scope: string, private readonly userName: string) {}

  async getToken(request: TokenRequest = {}): Promise<string> {
    try {
      return await this.source.getToken({ scope: this.scope, userName: this.userName, forceRefresh: Boolean(request.forceRefresh) });
    } catch (e) {
      throw new TokenError('failed', e instanceof Error ? e.message : String(e));
    }
  }
}
