// 001: links, audit log of proxied writes, idempotency keys. Never edit after landing: add 00N files.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('links')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('map_name', 'varchar(100)', (c) => c.notNull())
    .addColumn('dataverse_table', 'varchar(100)', (c) => c.notNull())
    .addColumn('dataverse_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('fno_entity', 'varchar(100)', (c) => c.notNull())
    .addColumn('fno_key', 'text', (c) => c.notNull())
    .addColumn('dataverse_version', 'varchar(100)')
    .addColumn('fno_etag', 'varchar(200)')
    .addColumn('last_synced_at', 'varchar(40)')
    .addColumn('last_direction', 'varchar(30)')
    .addColumn('snapshot', 'text')
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
    .addUniqueConstraint('links_map_dataverse_uq', ['map_name', 'dataverse_table', 'dataverse_id'])
    .addUniqueConstraint('links_map_fno_uq', ['map_name', 'fno_entity', 'fno_key'])
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('request_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('principal_oid', 'varchar(36)', (c) => c.notNull())
    .addColumn('principal_name', 'varchar(300)')
    .addColumn('account_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('company', 'varchar(10)')
    .addColumn('customer_account', 'varchar(50)')
    .addColumn('changes', 'text', (c) => c.notNull())
    .addColumn('result', 'varchar(20)', (c) => c.notNull())
    .addColumn('error_code', 'varchar(60)')
    .addColumn('at', 'varchar(40)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_account_at_ix').on('audit_log').columns(['account_id', 'at']).execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('principal_oid', 'varchar(36)', (c) => c.notNull())
    .addColumn('idem_key', 'varchar(200)', (c) => c.notNull())
    .addColumn('request_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('response_headers', 'text')
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(40)', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['principal_oid', 'idem_key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_expires_ix').on('idempotency_keys').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
  await db.schema.dropTable('audit_log').execute();
  await db.schema.dropTable('links').execute();
}
