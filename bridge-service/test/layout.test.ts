// The house rules of bridge-service/src that a reviewer would otherwise have to remember: SQL only in db/,
// each state list and error code defined once, and every folder explained in the README.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

function sources(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

const rel = (p: string) => path.relative(SRC, p).split(path.sep).join('/');
const files = sources().map((p) => ({ file: rel(p), text: readFileSync(p, 'utf8') }));

describe('bridge-service/src layout', () => {
  it('has SQL only in db/ (repositories, migrations, the connection)', () => {
    const sqlish = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto)\(|\bsql`|from 'kysely'/;
    const outside = files.filter((f) => !f.file.startsWith('db/') && sqlish.test(f.text)).map((f) => f.file);
    expect(outside).toEqual([]);
  });

  it('defines the job and map states and the directions once (contracts/states.ts; migrations keep their own frozen copy)', () => {
    const lists = [
      /'queued',\s*'running'/, /'running',\s*'retrying'/, /'not_running',\s*'initial_sync'/, /'parked',\s*'retrying'/,
      /'fno_to_dataverse'\s*[,|]\s*'dataverse_to_fno'/,
    ];
    const where = files.filter((f) => f.file !== 'contracts/states.ts' && !f.file.startsWith('db/migrations/') && lists.some((r) => r.test(f.text)));
    expect(where.map((f) => f.file)).toEqual([]);
  });

  it('defines each error code once, in contracts/errors.ts', () => {
    const defines = /^\s*(FB_[A-Z_]+):\s*\{\s*status:/m;
    expect(files.filter((f) => defines.test(f.text)).map((f) => f.file)).toEqual(['contracts/errors.ts']);
  });

  it('names every folder of src, and the folders inside them, in bridge-service/README.md', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const dirs = (dir: string) => readdirSync(dir).filter((n) => statSync(path.join(dir, n)).isDirectory());
    const folders = dirs(SRC).flatMap((d) => [d, ...dirs(path.join(SRC, d)).map((sub) => `${d}/${sub}`)]);
    // Named as `sync/` or `sync/core/`, or by its own name inside its parent's row (`repos/`).
    const named = (f: string) => readme.includes(`\`${f}/`) || new RegExp(`\`[^\`]*\\b${path.basename(f)}/`).test(readme);
    expect(folders.length).toBeGreaterThan(10);
    expect(folders.filter((f) => !named(f))).toEqual([]);
  });
});
