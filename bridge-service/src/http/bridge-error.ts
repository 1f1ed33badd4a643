// The error the bridge answers with (thrown anywhere, turned into an ErrorBody by http/plugins/error-handler.ts).
// Codes, statuses and messages come from the catalogue in contracts/errors.ts.
import { ERROR_CATALOGUE, type CatalogueEntry, type ErrorCode } from '../contracts/errors';

export type { ErrorCode };

/** An error the bridge answers with: stable code, HTTP status, readable message, optional details. */
export class BridgeError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly details?: unknown;
  /** Extra response headers (for example Retry-After). */
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, detail?: string, opts: { details?: unknown; cause?: unknown; headers?: Record<string, string> } = {}) {
    const entry: CatalogueEntry = ERROR_CATALOGUE[code];
    super(entry.message.replace('%s', detail ?? 'no detail'), { cause: opts.cause });
    this.name = 'BridgeError';
    this.code = code;
    this.statusCode = entry.status;
    this.details = opts.details;
    this.headers = opts.headers;
  }
}

/** Shorthand: `bridgeError('FB_NOT_FOUND', 'no such route')`. */
export function bridgeError(code: ErrorCode, detail?: string, opts?: ConstructorParameters<typeof BridgeError>[2]): BridgeError {
  return new BridgeError(code, detail, opts);
}

export function isBridgeError(e: unknown): e is BridgeError {
  return e instanceof BridgeError;
}
