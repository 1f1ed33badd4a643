// Turns what apply threw into the sync core's classification (sync/errors.ts): transient failures are
// retried with backoff, permanent ones parked with a message an admin can act on.
import { UpstreamError } from './upstream-error';
import { HttpTransportError } from './http';
import { TokenError } from './token-provider';
import { classifyFailure, type ClassifiedError } from './failure-words';

/** A value the map cannot translate, or a map that cannot write this row: retrying will not help. */
export class PermanentSyncError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentSyncError';
  }
}

/** A related row is missing: it may be synced a moment later, so it is retried a few times before parking. */
export class MissingLookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingLookupError';
  }
}

export interface EngineFailure extends ClassifiedError {
  /** A missing related row: transient for a few attempts, then parked. */
  lookup: boolean;
  /** Retry-After named by the service, when it gave one. */
  retryAfterMs?: number;
}

function codeOf(err: unknown): string | undefined {
  const c = (err as { code?: unknown; cause?: { code?: unknown } } | undefined);
  const code = c?.code ?? c?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

export function classify(err: unknown): EngineFailure {
  if (err instanceof PermanentSyncError) return { ...classifyFailure({ validation: err.message }), lookup: false };
  if (err instanceof MissingLookupError) {
    return { class: 'transient', message: `A related record is missing: ${err.message}. The bridge retries; if it persists, sync that record first.`, lookup: true };
  }
  if (err instanceof UpstreamError) {
    return { ...classifyFailure({ status: err.status, serviceMessage: err.message, side: err.service, retryOnPreconditionFailed: true }), lookup: false, retryAfterMs: err.retryAfterMs };
  }
  if (err instanceof HttpTransportError) {
    return { ...classifyFailure({ code: err.timedOut ? 'TimeoutError' : codeOf(err) ?? 'ECONNRESET', side: err.service === 'fno' ? 'fno' : 'dataverse' }), lookup: false };
  }
  if (err instanceof TokenError) {
    return { class: 'transient', message: `The bridge could not get a token for ${err.resource}: ${err.message}. It will retry; check CLIENT_ID, CLIENT_SECRET and TOKEN_URL if this persists.`, lookup: false };
  }
  const text = err instanceof Error ? err.message : String(err);
  return { class: 'transient', message: `Unexpected failure: ${text}. The bridge will retry on its own.`, lookup: false };
}
