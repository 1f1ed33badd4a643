import { afterAll, beforeAll } from '@jest/globals';
import { openStore } from '../src/db/connection';
import { startPostgres, type PgHarness } from './support/postgres';
import { storageSuite } from './support/storage-suite';

let pg: PgHarness | null;
beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);
afterAll(async () => {
  await pg?.stop();
});

storageSuite('PostgreSQL', async () => (pg ? openStore({ databaseUrl: await pg.createDatabase() }) : null));
