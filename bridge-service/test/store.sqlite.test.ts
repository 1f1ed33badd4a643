import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { openStore } from '../src/db/connection';
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
