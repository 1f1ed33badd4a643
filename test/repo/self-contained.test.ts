// A clone on someone else's machine has nothing beside it: no file of the repository may read a path outside
// it, neither an absolute path of one machine nor a relative path that climbs out of the checkout.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0')
  .filter((f) => f && !f.endsWith('.md') && !f.startsWith('test/fixtures/real/') && f !== 'package-lock.json');

/** Absolute paths of a machine: home folders, this workplace's folders, drive letters. */
const ABSOLUTE = /(?<![\w.])(?:\/work\/|\/home\/\w|\/root\/|\/Users\/\w|[A-Z]:\\\\Users)/;
/** A relative path in a string or import: '../x', `../../x`, '..', 'x' joins. */
const RELATIVE = /(?:['"`])((?:\.\.\/)+[\w.@-]+)|(?:'\.\.',\s*)+'[\w.@-]+'/g;

function escapes(file: string, text: string): string[] {
  const found: string[] = [];
  for (const line of text.split('\n')) {
    if (ABSOLUTE.test(line)) found.push(line.trim());
    for (const m of line.matchAll(RELATIVE)) {
      const rel = m[1] ?? m[0].split(',').map((p) => p.trim().replace(/^'|'$/g, '')).join('/');
      const target = path.resolve(root, path.dirname(file), rel);
      // `'..', 'shared'` joins are written from a known base (a folder of the repository): judged from the file.
      if (path.relative(root, target).startsWith('..')) found.push(line.trim());
    }
  }
  return found;
}

describe('the repository is self-contained', () => {
  it('has no file that refers to a path outside the checkout', () => {
    const offenders = files.flatMap((f) => {
      let text: string;
      try {
        text = readFileSync(path.join(root, f), 'utf8');
      } catch {
        return [];
      }
      if (text.includes('\0')) return [];
      return escapes(f, text).map((line) => `${f}: ${line.slice(0, 160)}`);
    });
    expect(offenders).toEqual([]);
  });

  it('notices such a reference (the check itself works)', () => {
    // Built from parts, so this file does not hold the strings it looks for.
    const beside = ['..', 'shared'].join('/');
    expect(escapes('test/e2e/x.test.ts', `readFileSync('${'/wo'}rk/${'shared'}/fixtures/a.json')`)).toHaveLength(1);
    expect(escapes('solution/test/helpers.ts', `const d = '../../${beside}/reference';`)).toHaveLength(1);
    expect(escapes('controls/A/index.ts', "import { x } from '../common/locale';")).toEqual([]);
  });
});
