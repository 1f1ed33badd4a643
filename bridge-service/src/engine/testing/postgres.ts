// Test-only: a throwaway PostgreSQL cluster in a temp dir (initdb + pg_ctl, as TOOLCHAIN.md describes),
// one fresh database per call. Used until (or beside) the bridge core's own harness.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import pg from 'pg';

export interface PgCluster {
  /** A new empty database; returns its connection string. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

function pgBin(name: string): string {
  for (const dir of ['/usr/lib/postgresql/15/bin', '/usr/local/bin', '/usr/bin']) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return p;
  }
  return name;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export function postgresAvailable(): boolean {
  return fs.existsSync(pgBin('initdb')) && pgBin('initdb') !== 'initdb';
}

export async function startPgCluster(): Promise<PgCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-pg-'));
  const isRoot = process.getuid?.() === 0;
  const run = (bin: string, args: string[]) => {
    if (isRoot) execFileSync('runuser', ['-u', 'postgres', '--', pgBin(bin), ...args], { stdio: 'pipe' });
    else execFileSync(pgBin(bin), args, { stdio: 'pipe' });
  };
  if (isRoot) execFileSync('chown', ['postgres', dir]);
  run('initdb', ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  const port = await freePort();
  run('pg_ctl', ['-D', dir, '-w', '-l', path.join(dir, 'log.txt'), '-o', `-k ${dir} -p ${port} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, 'start']);
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let n = 0;
  return {
    async createDatabase() {
      const name = `t_${process.pid}_${++n}_${Date.now() % 100000}`;
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`create database ${name}`);
      } finally {
        await c.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      try {
        run('pg_ctl', ['-D', dir, '-m', 'immediate', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
