// 006: notifications that reach people. Each notification is delivered to each configured webhook once: a row
// per (notification, target) whose claim is a compare-and-set, so several instances on one PostgreSQL never
// send the same one twice. Alert rules that hold (lag above the limit, a service down) are remembered in
// sync_alert_states so that one episode gives one notification, whichever instance saw it first.
// Never edit after landing.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const ts = 'varchar(40)';
  await db.schema
    .createTable('sync_notification_deliveries')
    .addColumn('notification_id', 'varchar(36)', (c) => c.notNull())
    /** A label (generic#1, teams#1) and a hash of the URL: never the URL, which is a secret. */
    .addColumn('target', 'varchar(100)', (c) => c.notNull())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', ts, (c) => c.notNull())
    .addColumn('claimed_by', 'varchar(100)')
    .addColumn('claim_until', ts)
    .addColumn('delivered_at', ts)
    .addColumn('last_error', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_notification_deliveries_pk', ['notification_id', 'target'])
    .execute();
  await db.schema.createIndex('sync_notification_deliveries_due_ix').on('sync_notification_deliveries').columns(['state', 'next_attempt_at']).execute();

  await db.schema
    .createTable('sync_alert_states')
    .addColumn('rule_key', 'varchar(200)', (c) => c.primaryKey())
    .addColumn('notification_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('since', ts, (c) => c.notNull())
    .execute();

  await db.schema.createIndex('sync_notifications_at_ix').on('sync_notifications').columns(['at']).execute();
  await db.schema.createIndex('sync_notifications_map_at_ix').on('sync_notifications').columns(['map_name', 'at']).execute();
  await db.schema.createIndex('audit_log_at_ix').on('audit_log').columns(['at']).execute();
  await db.schema.createIndex('sync_errors_at_ix').on('sync_errors').columns(['at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('sync_errors_at_ix').execute();
  await db.schema.dropIndex('audit_log_at_ix').execute();
  await db.schema.dropIndex('sync_notifications_map_at_ix').execute();
  await db.schema.dropIndex('sync_notifications_at_ix').execute();
  await db.schema.dropTable('sync_alert_states').execute();
  await db.schema.dropIndex('sync_notification_deliveries_due_ix').execute();
  await db.schema.dropTable('sync_notification_deliveries').execute();
}
