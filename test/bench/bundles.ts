// Production bundle size of each PCF control: `npm run build -w controls` (its wrapper fails loudly when
// pcf-scripts fails), then the size of controls/out/controls/<Control>/bundle.js.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './procs';

export interface BundleResult {
  built: boolean;
  /** KB (1024 bytes) per control, one decimal. */
  kb: Record<string, number>;
  buildMs: number;
  note?: string;
}

export function bundleSizes(outDir: string): Record<string, number> {
  if (!existsSync(outDir)) return {};
  const kb: Record<string, number> = {};
  for (const name of readdirSync(outDir).sort()) {
    const f = path.join(outDir, name, 'bundle.js');
    if (existsSync(f)) kb[name] = Math.round(statSync(f).size / 102.4) / 10;
  }
  return kb;
}

/** build=false measures the bundles already in controls/out (e.g. when another build just ran). */
export function measureBundles(build: boolean): BundleResult {
  const outDir = path.join(repoRoot, 'controls', 'out', 'controls');
  if (!build) return { built: false, kb: bundleSizes(outDir), buildMs: 0, note: 'sizes of the existing controls/out (run without --no-build to rebuild)' };
  const t0 = performance.now();
  const run = spawnSync('npm', ['run', 'build', '-w', 'controls'], { cwd: repoRoot, encoding: 'utf8', timeout: 240_000, maxBuffer: 64 * 1024 * 1024 });
  const buildMs = Math.round(performance.now() - t0);
  if (run.status !== 0) {
    const tail = `${run.stdout ?? ''}${run.stderr ?? ''}`.split('\n').slice(-8).join('\n');
    return { built: false, kb: {}, buildMs, note: `npm run build -w controls failed (exit ${run.status}): ${tail}` };
  }
  return { built: true, kb: bundleSizes(outDir), buildMs };
}
