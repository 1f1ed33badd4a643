// 008: the link keeps who made the last change the bridge carried across and as whom it was written (the user,
// through Dataverse impersonation, or the bridge's application), as JSON text (sync/core/attribution.ts).
// Never edit after landing.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('links').addColumn('last_change', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('links').dropColumn('last_change').execute();
}
