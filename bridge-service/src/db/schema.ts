// The store's tables, one set of Kysely types for every migration (001 core, 002 sync engine, 003 locks, 006 notification delivery, 007 deletes).
// Timestamps are ISO-8601 text and JSON is text on both SQLite and PostgreSQL, so one set of migrations
// and queries serves both.
import type { Generated, Kysely, Transaction } from 'kysely';
import type { DeleteOutcomeAction, JobState, MapState, SyncDirection } from '../contracts/states';
import type { DeliveryState } from '../contracts/admin';

export type { JobState, MapState };

export interface LinksTable {
  id: string;
  map_name: string;
  dataverse_table: string;
  dataverse_id: string;
  fno_entity: string;
  /** JSON of the F&O key by field name, e.g. {"dataAreaId":"usmf","CustomerAccount":"US-001"}. */
  fno_key: string;
  dataverse_version: string | null;
  fno_etag: string | null;
  last_synced_at: string | null;
  last_direction: SyncDirection | null;
  /** JSON of the last synced field values (the diff base). */
  snapshot: string | null;
  /** JSON of the last change's attribution (sync/core/attribution.ts ChangeAttribution). */
  last_change: string | null;
  created_at: string;
  updated_at: string;
}

export interface AuditTable {
  id: string;
  request_id: string;
  principal_oid: string;
  principal_name: string | null;
  account_id: string;
  company: string | null;
  customer_account: string | null;
  /** JSON: { field: { before, after } } */
  changes: string;
  result: 'applied' | 'conflict' | 'rejected' | 'failed';
  error_code: string | null;
  at: string;
}

export interface IdempotencyKeysTable {
  principal_oid: string;
  idem_key: string;
  request_hash: string;
  state: 'in_progress' | 'done';
  response_status: number | null;
  /** JSON text of the stored response body. */
  response_body: string | null;
  /** JSON text of stored response headers worth replaying (ETag). */
  response_headers: string | null;
  created_at: string;
  expires_at: string;
}

export type EventSide = 'fno' | 'dataverse';
export type EventMessage = 'Create' | 'Update' | 'Delete';

/** Bigint columns come back as strings from PostgreSQL: always read them through Number(). */
type Int = number | string;

export interface SyncEventsTable {
  seq: Generated<Int>;
  map_name: string;
  side: EventSide;
  record_key: string;
  message: EventMessage;
  received_at: string;
  dedupe_key: string;
  payload: string | null;
}

export interface SyncJobsTable {
  id: string;
  map_name: string;
  side: EventSide;
  record_key: string;
  state: JobState;
  pending_since_seq: Int | null;
  last_event_seq: Int;
  claimed_seq: Int | null;
  last_message: EventMessage;
  attempts: number;
  next_run_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  /** contracts/sync-errors.ts code of last_error (migration 005). */
  last_error_code: string | null;
  /** JSON of its parameters. */
  last_error_params: string | null;
  created_at: string;
  updated_at: string;
}

export interface SyncMapsTable {
  name: string;
  state: MapState;
  state_since: string;
  processed: number;
  written: number;
  failed: number;
  conflicts: number;
  last_sweep_at: string | null;
  last_processed_at: string | null;
  updated_at: string;
}

export interface SyncErrorsTable {
  id: string;
  job_id: string;
  map_name: string;
  permanent: number;
  message: string;
  code: string | null;
  /** 1: a service or the bridge failed (counted by the alert rule); 0: one record's data. */
  systemic: Generated<number>;
  at: string;
}

export interface SyncConflictsTable {
  id: string;
  map_name: string;
  dataverse_id: string | null;
  fno_key: string | null;
  /** JSON array of field ids. */
  fields: string;
  winner: EventSide;
  policy: string;
  /** JSON: { field: { fno, dataverse, base } } */
  detail: string;
  at: string;
  dismissed_at: string | null;
}

export interface SyncNotificationsTable {
  id: string;
  map_name: string | null;
  kind: string;
  message: string;
  at: string;
}

export interface SyncNotificationDeliveriesTable {
  notification_id: string;
  target: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: string;
  claimed_by: string | null;
  claim_until: string | null;
  delivered_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface SyncAlertStatesTable {
  rule_key: string;
  notification_id: string;
  since: string;
}

export interface SyncInitialRunsTable {
  map_name: string;
  state: 'running' | 'done' | 'failed' | 'stopped';
  options: string;
  total: number;
  done: number;
  failed: number;
  started_at: string;
  finished_at: string | null;
  updated_at: string;
  last_error: string | null;
}

export interface SyncInitialCheckpointsTable {
  map_name: string;
  company: string;
  pass: number;
  after_key: string | null;
  done: number;
  total: number;
  completed: number;
  updated_at: string;
}

export interface SyncInitialFailuresTable {
  id: string;
  map_name: string;
  company: string;
  record_key: string;
  reason: string;
  at: string;
}

/** A delete the engine handled (migration 007): the admin's record and the tombstone of a kept or deleted row. */
export interface SyncDeletesTable {
  id: string;
  map_name: string;
  deleted_side: EventSide;
  dataverse_id: string;
  fno_key: string;
  action: DeleteOutcomeAction;
  message: string;
  at: string;
}

export interface SyncRecordLocksTable {
  lock_key: string;
  job_id: string;
  worker: string;
  lease_until: string;
}

export interface Database {
  links: LinksTable;
  audit_log: AuditTable;
  idempotency_keys: IdempotencyKeysTable;
  sync_record_locks: SyncRecordLocksTable;
  sync_events: SyncEventsTable;
  sync_jobs: SyncJobsTable;
  sync_maps: SyncMapsTable;
  sync_errors: SyncErrorsTable;
  sync_conflicts: SyncConflictsTable;
  sync_notifications: SyncNotificationsTable;
  sync_notification_deliveries: SyncNotificationDeliveriesTable;
  sync_alert_states: SyncAlertStatesTable;
  sync_initial_runs: SyncInitialRunsTable;
  sync_initial_checkpoints: SyncInitialCheckpointsTable;
  sync_initial_failures: SyncInitialFailuresTable;
  sync_deletes: SyncDeletesTable;
}

export type Db = Kysely<Database>;
/** A repository method runs on the database or inside a caller's transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

export const nowIso = (ms: number = Date.now()): string => new Date(ms).toISOString();
