// One interface for bridge tokens; MSAL in a real app, the sandbox issuer in the local preview.
export interface TokenRequest {
  /** Skip any cached token (after a 401). */
  forceRefresh?: boolean;
  /** The user clicked: a popup may be opened. */
  interactive?: boolean;
}

export interface TokenProvider {
  getToken(request?: TokenRequest): Promise<string>;
}

export type TokenErrorKind = 'interaction_required' | 'failed';

export class TokenError extends Error {
  constructor(readonly kind: TokenErrorKind, message: string) {
    super(message);
    this.name = 'TokenError';
  }
}
