// Kysely table types of the sync engine (migration 002), and a typed view of the shared store.
import type { Generated, Kysely, Transaction } from 'kysely';
import type { Database, Db } from './';

import type { JobState, MapState } from '../contracts/states';

export type { JobState, MapState };
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

export interface SyncRecordLocksTable {
  lock_key: string;
  job_id: string;
  worker: string;
  lease_until: string;
}

export interface EngineDatabase extends Database {
  sync_record_locks: SyncRecordLocksTable;
  sync_events: SyncEventsTable;
  sync_jobs: SyncJobsTable;
  sync_maps: SyncMapsTable;
  sync_errors: SyncErrorsTable;
  sync_conflicts: SyncConflictsTable;
  sync_notifications: SyncNotificationsTable;
  sync_initial_runs: SyncInitialRunsTable;
  sync_initial_checkpoints: SyncInitialCheckpointsTable;
  sync_initial_failures: SyncInitialFailuresTable;
}

export type EngineDb = Kysely<EngineDatabase>;
export type EngineExecutor = EngineDb | Transaction<EngineDatabase>;

/** The store's Kysely instance, typed with the engine's tables too (same connection). */
export function engineDb(db: Db): EngineDb {
  return db as unknown as EngineDb;
}

export const nowIso = (ms: number = Date.now()): string => new Date(ms).toISOString();
