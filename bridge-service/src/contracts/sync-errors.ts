// The codes a record's last sync error can carry (RecordSyncStatus.lastErrorCode), each with its parameters in
// order. The controls say a known code in the user's language (resx SyncError_<code>, placeholders {0}, {1}, ...
// in this order) and show lastError, the bridge's English text, for any other code or none. Codes are stable:
// never rename or reuse one. No zod here: the controls import this table as a value, so it must stay small.

export const SYNC_ERROR_PARAMS = {
  /** A value the map cannot translate. detail: the map's own words. */
  SYNC_MAPPING: ['detail'],
  /** No connection. side: fno | dataverse; networkCode: ECONNREFUSED, UND_ERR_CONNECT_TIMEOUT, ... */
  SYNC_UNREACHABLE: ['side', 'networkCode'],
  /** The write failed before an answer came back. */
  SYNC_NO_ANSWER: ['side'],
  /** HTTP 429, service protection. */
  SYNC_THROTTLED: ['side'],
  /** HTTP 408 or 5xx. status: the HTTP status. */
  SYNC_TEMPORARY: ['side', 'status'],
  /** HTTP 412 while writing: the bridge reads again and retries. */
  SYNC_CHANGED_WHILE_WRITING: ['side'],
  /** HTTP 401 or 403 for the bridge's own credentials. */
  SYNC_CREDENTIALS: ['side', 'status'],
  /** HTTP 404: the record or one it refers to is gone. */
  SYNC_NOT_FOUND: ['side'],
  /** HTTP 412, parked: changed by someone else. */
  SYNC_CHANGED_ELSEWHERE: ['side'],
  /** HTTP 400, 409 or 422: the data was rejected. */
  SYNC_REJECTED: ['side', 'status'],
  /** Any other HTTP status. */
  SYNC_HTTP: ['side', 'status'],
  /** A related record is missing. detail: which one, in the map's words. */
  SYNC_LOOKUP_MISSING: ['detail'],
  /** The bridge could not get a token. resource: the service's address. */
  SYNC_TOKEN: ['resource'],
  /** The job's map is not configured in this bridge. map: the map's name. */
  SYNC_MAP_NOT_CONFIGURED: ['map'],
  /** A conflict. field: the field (F&O / Dataverse names); winner: fno | dataverse, the side whose value was kept. */
  SYNC_CONFLICT: ['field', 'winner'],
  /**
   * A new record whose key matches an existing record on the other side that nothing links: parked, never merged
   * silently. key: the key in words (e.g. "customer NL-001 in company nlmf"). An admin's retry links and merges them.
   */
  SYNC_MATCHES_UNLINKED: ['key'],
  /** The record's key is that of another record on the other side, which is linked to a different one. key: as above. */
  SYNC_KEY_TAKEN: ['key'],
  /** Anything else. detail: the error's text. */
  SYNC_UNEXPECTED: ['detail'],
} as const satisfies Record<string, readonly string[]>;

export type SyncErrorCode = keyof typeof SYNC_ERROR_PARAMS;

/** Parameters whose value names a system (fno | dataverse): the controls show the system's name. */
export const SYSTEM_PARAMS: readonly string[] = ['side', 'winner'];

/**
 * An optional parameter of every code: the other system's own message (not translated), which the controls
 * show after the translated text.
 */
export const SERVICE_MESSAGE_PARAM = 'serviceMessage';

export function isSyncErrorCode(code: unknown): code is SyncErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(SYNC_ERROR_PARAMS, code);
}
