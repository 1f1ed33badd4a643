// Pure classification of a failed apply: transient (retry with backoff) or permanent (park the job with
// a message an admin can act on). The message is in plain words; the raw detail is kept separately.

export type ErrorClass = 'transient' | 'permanent';

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

export interface ClassifiedError {
  class: ErrorClass;
  message: string;
}

const NETWORK_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ABORT_ERR', 'TimeoutError',
]);

export function classifyFailure(input: FailureInput): ClassifiedError {
  const where = input.side === 'fno' ? 'Finance and Operations' : input.side === 'dataverse' ? 'Dataverse' : 'the other system';
  const detail = input.serviceMessage ? ` It said: "${input.serviceMessage.slice(0, 500)}"` : '';
  if (input.validation) {
    return { class: 'permanent', message: `The record could not be mapped: ${input.validation}. Fix the data or the map, then retry.` };
  }
  const s = input.status;
  if (s === undefined) {
    if (input.code && NETWORK_CODES.has(input.code)) {
      return { class: 'transient', message: `${where} could not be reached (${input.code}). The bridge will retry on its own.` };
    }
    return { class: 'transient', message: `The write to ${where} failed before an answer came back${input.code ? ` (${input.code})` : ''}. The bridge will retry on its own.` };
  }
  if (s === 429) return { class: 'transient', message: `${where} asked the bridge to slow down (service protection limit). The bridge will retry after the wait it named.` };
  if (s === 408 || s >= 500) return { class: 'transient', message: `${where} had a temporary problem (HTTP ${s}). The bridge will retry on its own.${detail}` };
  if (s === 412 && input.retryOnPreconditionFailed) {
    return { class: 'transient', message: `The record changed in ${where} while the bridge was writing it. The bridge will read it again and retry.` };
  }
  if (s === 401 || s === 403) {
    return { class: 'permanent', message: `${where} refused the bridge's credentials or permissions (HTTP ${s}). Check the app registration and its roles, then retry.${detail}` };
  }
  if (s === 404) return { class: 'permanent', message: `The record or a record it refers to was not found in ${where} (HTTP 404). Check that it still exists, then retry or dismiss.${detail}` };
  if (s === 412) return { class: 'permanent', message: `The record was changed by someone else in ${where} (HTTP 412). Retry to sync the latest version.${detail}` };
  if (s === 400 || s === 409 || s === 422) return { class: 'permanent', message: `${where} rejected the data (HTTP ${s}).${detail} Fix the record, then retry.` };
  return { class: 'permanent', message: `${where} answered HTTP ${s}.${detail} Check the record, then retry or dismiss.` };
}
