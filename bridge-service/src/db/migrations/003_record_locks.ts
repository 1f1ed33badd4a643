// 003: record locks (one job per record at a time, across sides and instances) and a claim index that
// serves the claim's order, so claiming stays cheap with a large backlog. Never edit after landing.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // lock_key: `<map>|fno|<key json>` or `<map>|dv|<row id>`. A job holds the keys of both sides of its record
  // while it runs; a lock whose lease ran out (its worker died) can be taken over.
  await db.schema
    .createTable('sync_record_locks')
    .addColumn('lock_key', 'varchar(500)', (c) => c.primaryKey())
    .addColumn('job_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('worker', 'varchar(100)', (c) => c.notNull())
    .addColumn('lease_until', 'varchar(40)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sync_record_locks_worker_ix').on('sync_record_locks').columns(['worker']).execute();

  // Only claimable rows are in it (succeeded, parked and dismissed jobs are the bulk of the table), in claim
  // order, so a claim reads the first few rows instead of sorting the whole backlog. It replaces 002's claim
  // index, which SQLite's planner preferred and which needs that sort.
  await db.schema.dropIndex('sync_jobs_claim_ix').execute();
  await db.schema.createIndex('sync_jobs_ready_ix').on('sync_jobs').columns(['pending_since_seq'])
    .where(sql.ref('state'), 'in', ['queued', 'retrying', 'running']).execute();
  await db.schema.createIndex('sync_jobs_lease_ix').on('sync_jobs').columns(['lease_owner']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('sync_jobs_lease_ix').execute();
  await db.schema.dropIndex('sync_jobs_ready_ix').execute();
  await db.schema.createIndex('sync_jobs_claim_ix').on('sync_jobs').columns(['state', 'next_run_at', 'pending_since_seq']).execute();
  await db.schema.dropTable('sync_record_locks').execute();
}
