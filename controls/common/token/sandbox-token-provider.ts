// The local preview's token source: the sandbox issuer's resource-owner password grant with a demo
// user. Only ever built for a loopback issuer (see config.ts).
import { TokenError, type TokenProvider, type TokenRequest } from './token-provider';

export interface SandboxTokenOptions {
  /** Issuer base, e.g. http://127.0.0.1:4003/<tenant>; the token endpoint is <issuer>/oauth2/v2.0/token. */
  issuer: string;
  clientId: string;
  username: string;
  password: string;
  scope: string;
  fetchImpl?: typeof fetch;
  now?: () => number;
}

const EXPIRY_MARGIN_MS = 60_000;

export class SandboxTokenProvider implements TokenProvider {
  private cached: { token: string; expiresAt: number } | null = null;

  constructor(private readonly opts: SandboxTokenOptions) {}

  async getToken(request: TokenRequest = {}): Promise<string> {
    const now = (this.opts.now ?? Date.now)();
    if (!request.forceRefresh && this.cached && this.cached.expiresAt - EXPIRY_MARGIN_MS > now) return this.cached.token;
    const doFetch = this.opts.fetchImpl ?? fetch;
    const body = new URLSearchParams({
      grant_type: 'password',
      client_id: this.opts.clientId,
      username: this.opts.username,
      password: this.opts.password,
      scope: this.opts.scope,
    });
    let res: Response;
    try {
      res = await doFetch(`${this.opts.issuer.replace(/\/+$/, '')}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
      });
    } catch (e) {
      throw new TokenError('failed', `The sandbox issuer cannot be reached: ${(e as Error).message}`);
    }
    const json = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error_description?: string };
    if (!res.ok || !json.access_token) {
      throw new TokenError('failed', json.error_description ?? `The sandbox issuer answered ${res.status}.`);
    }
    this.cached = { token: json.access_token, expiresAt: now + (json.expires_in ?? 300) * 1000 };
    return json.access_token;
  }
}
