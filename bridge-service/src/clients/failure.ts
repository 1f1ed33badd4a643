// The ONE failure classifier of the bridge: whether a failed request or job may succeed if tried again, how
// long the service asked us to wait (Retry-After), and what happened in words an admin can act on. The
// HTTP client (its own short retries), the worker (retry or park a job) and the initial sync (retry a page
// or a batch) all decide here; nothing else matches status codes or error messages.
import type { SyncErrorCode } from '../contracts/sync-errors';
import { HttpTransportError, UpstreamError } from './upstream-error';
import { TokenError } from './token-provider';

export type FailureParams = Record<string, string | number>;

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
  /** The same as a stable code with its parameters (contracts/sync-errors.ts): the controls say it in the user's language. */
  code: SyncErrorCode;
  params: FailureParams;
  /**
   * Says something about a service or the bridge, not about one record: counted by the alert rule that pauses a
   * map. A record's own bad data (one user's failing edits) parks that record and never pauses the map for all.
   */
  systemic: boolean;
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

/**
 * A record was not merged into one on the other side because nothing says they are the same (a new record matching
 * an unlinked one), or because that one is linked to another record. Parked for an admin; not systemic.
 */
export class MatchRefusedError extends Error {
  constructor(readonly code: 'SYNC_MATCHES_UNLINKED' | 'SYNC_KEY_TAKEN', readonly key: string, message: string) {
    super(message);
    this.name = 'MatchRefusedError';
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

type Words = Pick<Failure, 'class' | 'reason' | 'message' | 'code' | 'params'>;

/** The pure core: a failure described by its facts -> class, reason and words. */
export function classifyFailure(input: FailureInput): Words {
  const where = input.side === 'fno' ? 'Finance and Operations' : input.side === 'dataverse' ? 'Dataverse' : 'the other system';
  const detail = input.serviceMessage ? ` It said: "${input.serviceMessage.slice(0, 500)}"` : '';
  const side: FailureParams = input.side ? { side: input.side } : {};
  const said: FailureParams = input.serviceMessage ? { serviceMessage: input.serviceMessage.slice(0, 500) } : {};
  const words = (cls: ErrorClass, reason: FailureReason, code: SyncErrorCode, params: FailureParams, message: string): Words =>
    ({ class: cls, reason, code, params, message });
  if (input.validation) {
    return words('permanent', 'invalid', 'SYNC_MAPPING', { detail: input.validation }, `The record could not be mapped: ${input.validation}. Fix the data or the map, then retry.`);
  }
  const s = input.status;
  if (s === undefined) {
    if (input.code && NETWORK_CODES.has(input.code)) {
      return words('transient', 'network', 'SYNC_UNREACHABLE', { ...side, networkCode: input.code }, `${where} could not be reached (${input.code}). The bridge will retry on its own.`);
    }
    return words('transient', 'network', 'SYNC_NO_ANSWER', side, `The write to ${where} failed before an answer came back${input.code ? ` (${input.code})` : ''}. The bridge will retry on its own.`);
  }
  const withStatus = { ...side, status: s, ...said };
  if (s === 429) return words('transient', 'throttled', 'SYNC_THROTTLED', side, `${where} asked the bridge to slow down (service protection limit). The bridge will retry after the wait it named.`);
  if (TRANSIENT_STATUS.has(s)) return words('transient', 'unavailable', 'SYNC_TEMPORARY', withStatus, `${where} had a temporary problem (HTTP ${s}). The bridge will retry on its own.${detail}`);
  if (s === 412 && input.retryOnPreconditionFailed) {
    return words('transient', 'changed', 'SYNC_CHANGED_WHILE_WRITING', side, `The record changed in ${where} while the bridge was writing it. The bridge will read it again and retry.`);
  }
  if (s === 401 || s === 403) return words('permanent', 'rejected', 'SYNC_CREDENTIALS', withStatus, `${where} refused the bridge's credentials or permissions (HTTP ${s}). Check the app registration and its roles, then retry.${detail}`);
  if (s === 404) return words('permanent', 'rejected', 'SYNC_NOT_FOUND', { ...side, ...said }, `The record or a record it refers to was not found in ${where} (HTTP 404). Check that it still exists, then retry or dismiss.${detail}`);
  if (s === 412) return words('permanent', 'rejected', 'SYNC_CHANGED_ELSEWHERE', { ...side, ...said }, `The record was changed by someone else in ${where} (HTTP 412). Retry to sync the latest version.${detail}`);
  if (s === 400 || s === 409 || s === 422) return words('permanent', 'rejected', 'SYNC_REJECTED', withStatus, `${where} rejected the data (HTTP ${s}).${detail} Fix the record, then retry.`);
  return words('permanent', 'rejected', 'SYNC_HTTP', withStatus, `${where} answered HTTP ${s}.${detail} Check the record, then retry or dismiss.`);
}

/** Whether a failure says something about a service or the bridge rather than about one record's data. */
function isSystemic(w: Words): boolean {
  return w.reason === 'network' || w.reason === 'throttled' || w.reason === 'unavailable' || w.reason === 'token'
    || w.reason === 'refused' || w.reason === 'unexpected' || w.code === 'SYNC_CREDENTIALS';
}

const failure = (w: Words, extra: Partial<Failure> = {}): Failure => ({ ...w, lookup: false, systemic: isSystemic(w), ...extra });

function codeOf(err: unknown): string | undefined {
  const c = (err as { code?: unknown; cause?: { code?: unknown } } | undefined);
  const code = c?.code ?? c?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Whatever was thrown -> a Failure. `retryOnPreconditionFailed`: the caller re-reads on 412 (the worker does). */
export function classify(err: unknown, opts: { retryOnPreconditionFailed?: boolean } = { retryOnPreconditionFailed: true }): Failure {
  if (err instanceof PermanentSyncError) return failure(classifyFailure({ validation: err.message }));
  if (err instanceof MatchRefusedError) {
    return failure({ class: 'permanent', reason: 'invalid', code: err.code, params: { key: err.key }, message: err.message });
  }
  if (err instanceof MissingLookupError) {
    return failure({
      class: 'transient', reason: 'lookup', code: 'SYNC_LOOKUP_MISSING', params: { detail: err.message },
      message: `A related record is missing: ${err.message}. The bridge retries; if it persists, sync that record first.`,
    }, { lookup: true });
  }
  if (err instanceof UpstreamError) {
    const words = classifyFailure({ status: err.status, serviceMessage: err.message, side: err.service, retryOnPreconditionFailed: opts.retryOnPreconditionFailed });
    return failure(words, { retryAfterMs: err.retryAfterMs });
  }
  if (err instanceof HttpTransportError) {
    const side = err.service === 'fno' ? 'fno' : 'dataverse';
    if (err.refused) {
      return failure({
        class: 'permanent', reason: 'refused', code: 'SYNC_UNEXPECTED', params: { detail: err.message },
        message: `The bridge did not send a request to ${side === 'fno' ? 'Finance and Operations' : 'Dataverse'}: ${err.message}.`,
      });
    }
    return failure(classifyFailure({ code: err.timedOut ? 'TimeoutError' : codeOf(err) ?? 'ECONNRESET', side }));
  }
  if (err instanceof TokenError) {
    return failure({
      class: 'transient', reason: 'token', code: 'SYNC_TOKEN', params: { resource: err.resource },
      message: `The bridge could not get a token for ${err.resource}: ${err.message}. It will retry; if this persists, run finops-bridge doctor, which checks the bridge's credential.`,
    });
  }
  const text = err instanceof Error ? err.message : String(err);
  return failure({ class: 'transient', reason: 'unexpected', code: 'SYNC_UNEXPECTED', params: { detail: text }, message: `Unexpected failure: ${text}. The bridge will retry on its own.` });
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

/**
 * Dataverse refused a CallerObjectId write: 'caller' when the bridge's application user may not act for others
 * (no prvActOnBehalfOfAnotherUser: Dataverse names the privilege, and it shares its error code with any other
 * access check), 'user' when the impersonated user may not make that change; null when not a 403 of Dataverse.
 */
export function impersonationRefusal(err: unknown): 'caller' | 'user' | null {
  if (!(err instanceof UpstreamError) || err.service !== 'dataverse' || err.status !== 403) return null;
  return /prvActOnBehalfOfAnotherUser/i.test(err.message) ? 'caller' : 'user';
}
