// The container runs on a Node.js LTS line that is still supported (Node 20 reached end of life on
// 2026-04-30), while the code keeps running on Node 20.9+ (engines), which this machine and CI use.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** End of life of the LTS lines (Node.js release schedule, github.com/nodejs/release). */
const LTS_END_OF_LIFE: Record<number, string> = { 20: '2026-04-30', 22: '2027-04-30', 24: '2028-04-30' };

describe('Node.js versions', () => {
  it('builds and runs the container on a supported LTS line', () => {
    const images = [...readFileSync(`${root}Dockerfile`, 'utf8').matchAll(/^FROM\s+node:(\d+)[^\s]*/gm)].map((m) => Number(m[1]));
    expect(images.length).toBeGreaterThan(0);
    for (const major of images) {
      expect(LTS_END_OF_LIFE[major]).toBeDefined();
      expect(new Date(`${LTS_END_OF_LIFE[major]}T00:00:00Z`).getTime()).toBeGreaterThan(Date.now());
    }
  });

  it('keeps the code runnable on Node 20.9 (the engines range)', () => {
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe('>=20.9');
  });
});
