// The ONE failure classifier of the bridge: whether a failed request or job may succeed if tried again, how
// long the service asked us to wait (Retry-After), and what happened in words an admin can act on. The
// HTTP client (its own short retries), the worker (retry or park a job) and the initial sync (retry a page
// or a batch) all decide here; nothing else matches status codes or error messages.
import { HttpTransportError, UpstreamError } from './upstream-error';
import { TokenError } from './token-provider';

export type ErrorClass = 'transient' | 'permanent';

/** Why something failed, as far as retrying is concerned. */
export type FailureReason =
  | 'network' // no answer: connection refused or reset, DNS, timeout
  | 'throttled' // 429: service protection; Retry-After says when to come back
  | 'unavailable' // 408, 500, 502, 503, 504: the service had a temporary problem
  | 'changed' // 412 where the caller re-reads and retries (optimistic concurrency)
  | 'lookup' // a related row is missing (it may be synced a moment later)
  | 'token' // no token for the service (the token endpoint failed)
  | 'rejected' // any other answer: the service refused the request or the data
  | 'refused' // the bridge itself refused to send it (a link to another origin)
  | 'invalid' // the record could not be mapped
  | 'unexpected'; // anything else (a bug): retried by the worker, never by the initial sync

export interface Failure {
  class: ErrorClass;
  reason: FailureReason;
  /** In plain words, with what to do. */
  message: string;
  /** A missing related row: transient for a few attempts, then parked. */
  lookup: boolean;
  /** The wait the service named in Retry-After, when it gave one. */
  retryAfterMs?: number;
}

/** Statuses that say "try again later": the request may succeed unchanged. */
const TRANSIENT_STATUS: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ABORT_ERR', 'TimeoutError',
]);

/** Parses Retry-After (seconds or an HTTP date) into milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value === null || value.trim() === '') return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Whether the HTTP client may send a request again at once after this status: 429 and 503 always (the
 * request was not processed), 502 and 504 only when it is idempotent (it may have been). 408 and 500 are
 * left to the caller (worker or initial sync), which retries later with the whole job or page.
 */
export function isRetryableStatus(status: number, idempotent: boolean): boolean {
  return status === 429 || status === 503 || (idempotent && (status === 502 || status === 504));
}

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

export interface FailureInput {
  /** HTTP status from F&O or Dataverse, when the failure was an HTTP answer. */
  status?: number;
  /** Node/undici error code (ECONNRESET, UND_ERR_CONNECT_TIMEOUT, ...), when the request never got an answer. */
  code?: string;
  /** Readable text from the service (F&O: error.innererror.message; Dataverse: error.message). */
  serviceMessage?: string;
  /** Which side was written: used in the message. */
  side?: 'fno' | 'dataverse';
  /** A mapping or validation problem found before any request. */
  validation?: string;
  /** A 412 where the caller will re-read and retry (optimistic concurrency). */
  retryOnPreconditionFailed?: boolean;
}

type Words = Pick<Failure, 'class' | 'reason' | 'message'>;

/** The pure core: a failure described by its facts -> class, reason and words. */
export function classifyFailure(input: FailureInput): Words {
  const where = input.side === 'fno' ? 'Finance and Operations' : input.side === 'dataverse' ? 'Dataverse' : 'the other system';
  const detail = input.serviceMessage ? ` It said: "${input.serviceMessage.slice(0, 500)}"` : '';
  if (input.validation) {
    return { class: 'permanent', reason: 'invalid', message: `The record could not be mapped: ${input.validation}. Fix the data or the map, then retry.` };
  }
  const s = input.status;
  if (s === undefined) {
    if (input.code && NETWORK_CODES.has(input.code)) {
      return { class: 'transient', reason: 'network', message: `${where} could not be reached (${input.code}). The bridge will retry on its own.` };
    }
    return { class: 'transient', reason: 'network', message: `The write to ${where} failed before an answer came back${input.code ? ` (${input.code})` : ''}. The bridge will retry on its own.` };
  }
  if (s === 429) return { class: 'transient', reason: 'throttled', message: `${where} asked the bridge to slow down (service protection limit). The bridge will retry after the wait it named.` };
  if (TRANSIENT_STATUS.has(s)) return { class: 'transient', reason: 'unavailable', message: `${where} had a temporary problem (HTTP ${s}). The bridge will retry on its own.${detail}` };
  if (s === 412 && input.retryOnPreconditionFailed) {
    return { class: 'transient', reason: 'changed', message: `The record changed in ${where} while the bridge was writing it. The bridge will read it again and retry.` };
  }
  const rejected = (message: string): Words => ({ class: 'permanent', reason: 'rejected', message });
  if (s === 401 || s === 403) return rejected(`${where} refused the bridge's credentials or permissions (HTTP ${s}). Check the app registration and its roles, then retry.${detail}`);
  if (s === 404) return rejected(`The record or a record it refers to was not found in ${where} (HTTP 404). Check that it still exists, then retry or dismiss.${detail}`);
  if (s === 412) return rejected(`The record was changed by someone else in ${where} (HTTP 412). Retry to sync the latest version.${detail}`);
  if (s === 400 || s === 409 || s === 422) return rejected(`${where} rejected the data (HTTP ${s}).${detail} Fix the record, then retry.`);
  return rejected(`${where} answered HTTP ${s}.${detail} Check the record, then retry or dismiss.`);
}

function codeOf(err: unknown): string | undefined {
  const c = (err as { code?: unknown; cause?: { code?: unknown } } | undefined);
  const code = c?.code ?? c?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Whatever was thrown -> a Failure. `retryOnPreconditionFailed`: the caller re-reads on 412 (the worker does). */
export function classify(err: unknown, opts: { retryOnPreconditionFailed?: boolean } = { retryOnPreconditionFailed: true }): Failure {
  if (err instanceof PermanentSyncError) return { ...classifyFailure({ validation: err.message }), lookup: false };
  if (err instanceof MissingLookupError) {
    return { class: 'transient', reason: 'lookup', message: `A related record is missing: ${err.message}. The bridge retries; if it persists, sync that record first.`, lookup: true };
  }
  if (err instanceof UpstreamError) {
    const words = classifyFailure({ status: err.status, serviceMessage: err.message, side: err.service, retryOnPreconditionFailed: opts.retryOnPreconditionFailed });
    return { ...words, lookup: false, retryAfterMs: err.retryAfterMs };
  }
  if (err instanceof HttpTransportError) {
    const side = err.service === 'fno' ? 'fno' : 'dataverse';
    if (err.refused) return { class: 'permanent', reason: 'refused', message: `The bridge did not send a request to ${side === 'fno' ? 'Finance and Operations' : 'Dataverse'}: ${err.message}.`, lookup: false };
    return { ...classifyFailure({ code: err.timedOut ? 'TimeoutError' : codeOf(err) ?? 'ECONNRESET', side }), lookup: false };
  }
  if (err instanceof TokenError) {
    return { class: 'transient', reason: 'token', message: `The bridge could not get a token for ${err.resource}: ${err.message}. It will retry; if this persists, run finops-bridge doctor, which checks the bridge's credential.`, lookup: false };
  }
  const text = err instanceof Error ? err.message : String(err);
  return { class: 'transient', reason: 'unexpected', message: `Unexpected failure: ${text}. The bridge will retry on its own.`, lookup: false };
}

/** The service may answer next time: no answer, throttled, or a temporary server problem. */
export function serviceMayRecover(err: unknown): boolean {
  const { reason } = classify(err, { retryOnPreconditionFailed: false });
  return reason === 'network' || reason === 'throttled' || reason === 'unavailable';
}

/** A 429 that says when to come back: the service is pacing us, nothing failed. */
export function isThrottled(err: unknown): boolean {
  const f = classify(err, { retryOnPreconditionFailed: false });
  return f.reason === 'throttled' && f.retryAfterMs !== undefined;
}
