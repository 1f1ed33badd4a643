// 007 (deletes) landed after 008 (change attribution): a database that already ran 008 still gets 007.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, describe, expect, it } from '@jest/globals';
import { migrate } from '../src/db/connection';
import { migrations } from '../src/db/migrations/index';
import type { Database } from '../src/db/schema';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-migrations-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('migrations', () => {
  it('run one numbered below the newest a database already ran', async () => {
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(path.join(dir, 'old.sqlite')) }) });
    try {
      const { '007_sync_deletes': _later, ...before } = migrations;
      await migrate(db, before);
      // Read as text: the driver's error may come from another realm than jest's Error.
      const missing = await db.selectFrom('sync_deletes').selectAll().execute().then(() => 'exists', (e: unknown) => String((e as { message?: unknown }).message));
      expect(missing).toMatch(/no such table/);
      await migrate(db, migrations);
      expect(await db.selectFrom('sync_deletes').selectAll().execute()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
