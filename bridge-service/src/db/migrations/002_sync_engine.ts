// 002: the sync engine's tables: change log, durable job queue, map lifecycle, errors, conflicts,
// notifications and initial-sync progress. Never edit after landing: add 00N files.
import { PostgresAdapter, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const ts = 'varchar(40)';

  // Append-only: every change notification received, in arrival order.
  await db.schema
    .createTable('sync_events')
    .addColumn('seq', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('map_name', 'varchar(100)', (c) => c.notNull())
    .addColumn('side', 'varchar(20)', (c) => c.notNull())
    .addColumn('record_key', 'varchar(400)', (c) => c.notNull())
    .addColumn('message', 'varchar(20)', (c) => c.notNull())
    .addColumn('received_at', ts, (c) => c.notNull())
    .addColumn('dedupe_key', 'varchar(400)', (c) => c.notNull().unique())
    .addColumn('payload', 'text')
    .execute();
  await db.schema.createIndex('sync_events_record_ix').on('sync_events').columns(['map_name', 'side', 'record_key', 'seq']).execute();

  // One row per record and side: the queue. state: queued | running | retry | parked | done.
  await db.schema
    .createTable('sync_jobs')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('map_name', 'varchar(100)', (c) => c.notNull())
    .addColumn('side', 'varchar(20)', (c) => c.notNull())
    .addColumn('record_key', 'varchar(400)', (c) => c.notNull())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('pending_since_seq', 'bigint')
    .addColumn('last_event_seq', 'bigint', (c) => c.notNull())
    .addColumn('claimed_seq', 'bigint')
    .addColumn('last_message', 'varchar(20)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_run_at', ts, (c) => c.notNull())
    .addColumn('lease_owner', 'varchar(100)')
    .addColumn('lease_until', ts)
    .addColumn('last_error', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addUniqueConstraint('sync_jobs_record_uq', ['map_name', 'side', 'record_key'])
    .execute();
  await db.schema.createIndex('sync_jobs_claim_ix').on('sync_jobs').columns(['state', 'next_run_at', 'pending_since_seq']).execute();

  await db.schema
    .createTable('sync_maps')
    .addColumn('name', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('state_since', ts, (c) => c.notNull())
    .addColumn('processed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('written', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('conflicts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_sweep_at', ts)
    .addColumn('last_processed_at', ts)
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  // Every failed attempt (transient or permanent): the alert rule counts these within a window.
  await db.schema
    .createTable('sync_errors')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('job_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('map_name', 'varchar(100)', (c) => c.notNull())
    .addColumn('permanent', 'integer', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sync_errors_map_at_ix').on('sync_errors').columns(['map_name', 'at']).execute();

  await db.schema
    .createTable('sync_conflicts')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('map_name', 'varchar(100)', (c) => c.notNull())
    .addColumn('dataverse_id', 'varchar(36)')
    .addColumn('fno_key', 'text')
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('winner', 'varchar(20)', (c) => c.notNull())
    .addColumn('policy', 'varchar(40)', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .addColumn('dismissed_at', ts)
    .execute();
  await db.schema.createIndex('sync_conflicts_dv_ix').on('sync_conflicts').columns(['dataverse_id']).execute();

  await db.schema
    .createTable('sync_notifications')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('map_name', 'varchar(100)')
    .addColumn('kind', 'varchar(40)', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sync_initial_runs')
    .addColumn('map_name', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', ts, (c) => c.notNull())
    .addColumn('finished_at', ts)
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('last_error', 'text')
    .execute();

  // One row per map and company: the page to resume from after a crash.
  await db.schema
    .createTable('sync_initial_checkpoints')
    .addColumn('map_name', 'varchar(100)', (c) => c.notNull())
    .addColumn('company', 'varchar(20)', (c) => c.notNull())
    .addColumn('pass', 'integer', (c) => c.notNull())
    .addColumn('after_key', 'text')
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('completed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_initial_checkpoints_pk', ['map_name', 'company', 'pass'])
    .execute();

  await db.schema
    .createTable('sync_initial_failures')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('map_name', 'varchar(100)', (c) => c.notNull())
    .addColumn('company', 'varchar(20)', (c) => c.notNull())
    .addColumn('record_key', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sync_initial_failures_map_ix').on('sync_initial_failures').columns(['map_name', 'company']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['sync_initial_failures', 'sync_initial_checkpoints', 'sync_initial_runs', 'sync_notifications', 'sync_conflicts', 'sync_errors', 'sync_maps', 'sync_jobs', 'sync_events']) {
    await db.schema.dropTable(t).execute();
  }
}
