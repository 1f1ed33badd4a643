// 005: a failure kept as a stable code with its parameters beside its English text (the controls say it in the
// user's language), and whether it was systemic (a service or the bridge, not one record's data): only those
// count toward the alert rule that pauses a map. Rows from before count as systemic, as they always did.
// Never edit after landing.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sync_jobs').addColumn('last_error_code', 'varchar(64)').execute();
  await db.schema.alterTable('sync_jobs').addColumn('last_error_params', 'text').execute();
  await db.schema.alterTable('sync_errors').addColumn('code', 'varchar(64)').execute();
  await db.schema.alterTable('sync_errors').addColumn('systemic', 'integer', (c) => c.notNull().defaultTo(1)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sync_errors').dropColumn('systemic').execute();
  await db.schema.alterTable('sync_errors').dropColumn('code').execute();
  await db.schema.alterTable('sync_jobs').dropColumn('last_error_params').execute();
  await db.schema.alterTable('sync_jobs').dropColumn('last_error_code').execute();
}
