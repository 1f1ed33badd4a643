// Table types for Kysely. Timestamps are ISO-8601 text and JSON is text on both SQLite and PostgreSQL,
// so one set of migrations and queries serves both.
import type { Kysely, Transaction } from 'kysely';

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
  last_direction: 'fno_to_dataverse' | 'dataverse_to_fno' | null;
  /** JSON of the last synced field values (the diff base). */
  snapshot: string | null;
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

export interface Database {
  links: LinksTable;
  audit_log: AuditTable;
  idempotency_keys: IdempotencyKeysTable;
}

export type Db = Kysely<Database>;
/** A repository method runs on the database or inside a caller's transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
