// Starts a throw-away PostgreSQL cluster for a test file: initdb into a temp dir (as the postgres user
// when we are root), unix socket in that dir, a free port, fsync off. One template database; each
// createDatabase() is CREATE DATABASE x TEMPLATE t. Without PostgreSQL binaries: fail loudly when
// CI=true, otherwise skip with a printed notice.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface PgHarness {
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/** The folder with initdb and pg_ctl: Debian's /usr/lib/postgresql/<newest>/bin, else PATH. */
export function findBinDir(): string | null {
  const roots = fs.existsSync('/usr/lib/postgresql')
    ? fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)).map((v) => `/usr/lib/postgresql/${v}/bin`)
    : [];
  for (const dir of [...roots, ...(process.env.PATH ?? '').split(':')]) {
    if (dir && fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  return null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function startPostgres(): Promise<PgHarness | null> {
  const bin = findBinDir();
  if (!bin) {
    const msg = 'PostgreSQL binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or PATH: install the postgresql package.';
    if (process.env.CI === 'true') throw new Error(msg);
    console.warn(`NOTICE: skipping the PostgreSQL storage tests. ${msg}`);
    return null;
  }
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-pg-'));
  const data = path.join(dir, 'data');
  const run = (cmd: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : path.join(bin, cmd), asRoot ? ['-u', 'postgres', '--', path.join(bin, cmd), ...args] : args, { stdio: 'pipe', cwd: dir });
  if (asRoot) execFileSync('chown', ['-R', 'postgres', dir]);
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', `-k ${dir} -p ${port} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`, 'start']);
  const url = (db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`;
  const admin = new pg.Client({ connectionString: url('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE fb_template');
  let n = 0;
  return {
    async createDatabase() {
      const name = `fb_test_${process.pid}_${++n}`;
      await admin.query(`CREATE DATABASE ${name} TEMPLATE fb_template`);
      return url(name);
    },
    async stop() {
      await admin.end();
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
