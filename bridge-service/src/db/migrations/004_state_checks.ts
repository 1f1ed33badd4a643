// 004: the database refuses a job or map state the code does not define (contracts/states.ts), so a typo in a
// query cannot leave a row no code path ever picks up again. PostgreSQL gets CHECK constraints; SQLite
// cannot add one to an existing table, so triggers refuse the row instead. The lists are frozen here, as a
// landed migration must be; a test keeps them equal to JOB_STATES and MAP_STATES. Never edit after landing.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export const JOB_STATES_004 = ['queued', 'running', 'retrying', 'succeeded', 'parked', 'dismissed'] as const;
export const MAP_STATES_004 = ['not_running', 'initial_sync', 'running', 'paused', 'catching_up'] as const;

const CHECKS = [
  { table: 'sync_jobs', states: JOB_STATES_004 },
  { table: 'sync_maps', states: MAP_STATES_004 },
] as const;

const list = (states: readonly string[]) => sql.join(states.map((s) => sql.lit(s)));

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const { table, states } of CHECKS) {
    if (postgres) {
      await sql`alter table ${sql.table(table)} add constraint ${sql.id(`${table}_state_check`)} check (state in (${list(states)}))`.execute(db);
      continue;
    }
    for (const when of ['insert', 'update of state'] as const) {
      const name = `${table}_state_check_${when === 'insert' ? 'ins' : 'upd'}`;
      await sql`create trigger ${sql.id(name)} before ${sql.raw(when)} on ${sql.table(table)}
        when new.state not in (${list(states)})
        begin select raise(abort, ${sql.lit(`${table}.state must be one of ${states.join(', ')}`)}); end`.execute(db);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const { table } of CHECKS) {
    if (postgres) await sql`alter table ${sql.table(table)} drop constraint ${sql.id(`${table}_state_check`)}`.execute(db);
    else for (const s of ['ins', 'upd']) await sql`drop trigger ${sql.id(`${table}_state_check_${s}`)}`.execute(db);
  }
}
