// A throw-away PostgreSQL cluster that a test can restart or stop and start (the bridge's own harness,
// bridge-service/test/support/postgres.ts, only starts and stops). Loopback TCP on a free port, fsync
// off. Returns null (with a notice) without PostgreSQL binaries, unless CI=true.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { findBinDir, freePort } from '../../../bridge-service/test/support/postgres';

export interface RestartablePg {
  port: number;
  createDatabase(): Promise<string>;
  /** `pg_ctl stop -m immediate`: like a crash of the server, connections cut. */
  kill(): void;
  start(): void;
  close(): Promise<void>;
}

export async function startRestartablePostgres(): Promise<RestartablePg | null> {
  const bin = findBinDir();
  if (!bin) {
    if (process.env.CI === 'true') throw new Error('PostgreSQL binaries not found: install the postgresql package.');
    console.warn('NOTICE: PostgreSQL binaries not found; skipping the PostgreSQL reliability tests.');
    return null;
  }
  const root = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-rel-pg-'));
  const data = path.join(dir, 'data');
  const run = (cmd: string, args: string[]) =>
    execFileSync(root ? 'runuser' : path.join(bin, cmd), root ? ['-u', 'postgres', '--', path.join(bin, cmd), ...args] : args, { stdio: 'pipe', cwd: dir });
  if (root) execFileSync('chown', ['-R', 'postgres', dir]);
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const start = () => run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', `-k ${dir} -p ${port} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, 'start']);
  start();
  let n = 0;
  return {
    port,
    async createDatabase() {
      const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
      await admin.connect();
      const name = `fb_rel_${process.pid}_${++n}`;
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    kill: () => run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']),
    start,
    async close() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch { /* already stopped */ }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
