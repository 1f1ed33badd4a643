// 007: deletes. One row per delete the engine propagated (or decided not to): what was deleted on which side, what
// the map's policy did to the counterpart, and when. It is what an admin reads (GET /api/v1/admin/deletes), and it is
// the tombstone that keeps a kept row from being re-created on the side where it was deleted, and the bridge's own
// delete from coming back as a delete of the other side. Never edit after landing.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const ts = 'varchar(40)';
  await db.schema
    .createTable('sync_deletes')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('map_name', 'varchar(100)', (c) => c.notNull())
    /** The side where the user (or a process) deleted the record. */
    .addColumn('deleted_side', 'varchar(20)', (c) => c.notNull())
    .addColumn('dataverse_id', 'varchar(36)', (c) => c.notNull())
    /** keyJson of the F&O key. */
    .addColumn('fno_key', 'varchar(1000)', (c) => c.notNull())
    /** delete, deactivate, unlink, both_deleted. */
    .addColumn('action', 'varchar(20)', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sync_deletes_dv_ix').on('sync_deletes').columns(['map_name', 'dataverse_id']).execute();
  await db.schema.createIndex('sync_deletes_fno_ix').on('sync_deletes').columns(['map_name', 'fno_key']).execute();
  await db.schema.createIndex('sync_deletes_at_ix').on('sync_deletes').columns(['at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('sync_deletes_at_ix').execute();
  await db.schema.dropIndex('sync_deletes_fno_ix').execute();
  await db.schema.dropIndex('sync_deletes_dv_ix').execute();
  await db.schema.dropTable('sync_deletes').execute();
}
