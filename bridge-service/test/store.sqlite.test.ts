import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { groupedFsync, openStore } from '../src/db/connection';
import { storageSuite } from './support/storage-suite';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-sqlite-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

storageSuite('SQLite', () => openStore({ dataDir: dir }));

describe('SQLite file', () => {
  it('lives under DATA_DIR in WAL mode, and reopening does not migrate again', async () => {
    const s = await openStore({ dataDir: dir });
    expect(fs.existsSync(path.join(dir, 'bridge.sqlite'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'bridge.sqlite-wal'))).toBe(true);
    await s.close();
  });
});

describe('SQLite durability', () => {
  it('commits without a sync on the event loop (synchronous NORMAL in WAL); flush() syncs the log', async () => {
    const s = await openStore({ dataDir: dir });
    const r = await sql<{ synchronous: number }>`pragma synchronous`.execute(s.db);
    expect(r.rows[0].synchronous).toBe(1); // 1 = NORMAL, 2 = FULL
    await expect(s.flush()).resolves.toBeUndefined();
    await s.close();
  });

  it('flush is shared: callers while a sync runs wait for one more, started after it; none are lost on an error', async () => {
    const started: Array<{ done: (err?: Error) => void }> = [];
    const flush = groupedFsync('f', () => new Promise<void>((resolve, reject) => started.push({ done: (err) => (err ? reject(err) : resolve()) })));
    const a = flush();
    const b = flush();
    const c = flush();
    expect(started).toHaveLength(1);
    started[0].done(new Error('EIO'));
    await expect(a).rejects.toThrow('EIO');
    await new Promise((r) => setImmediate(r));
    expect(started).toHaveLength(2); // b and c share the second sync, which began after the first ended
    started[1].done();
    await expect(Promise.all([b, c])).resolves.toEqual([undefined, undefined]);
    const d = flush();
    expect(started).toHaveLength(3);
    started[2].done();
    await expect(d).resolves.toBeUndefined();
  });
});
