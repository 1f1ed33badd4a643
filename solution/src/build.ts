// `npm run build -w solution`: writes dist/FinOpsBridge_<version>.zip and FinOpsBridge_<version>_managed.zip.
// FOB_CONTROLS_OUT and FOB_SOLUTION_DIST override the input and output folders (tests use them).
import { fileURLToPath } from 'node:url';
import { dirname, join, relative, resolve } from 'node:path';
import { readPackageVersion, writeSolutionZips } from './build-packages';

const solutionDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(solutionDir, '..');

try {
  const built = writeSolutionZips({
    controlsDir: resolve(process.env.FOB_CONTROLS_OUT ?? join(repoRoot, 'controls', 'out', 'controls')),
    outDir: resolve(process.env.FOB_SOLUTION_DIST ?? join(solutionDir, 'dist')),
    packageVersion: readPackageVersion(join(repoRoot, 'package.json')),
  });
  for (const b of built) {
    console.log(`solution: wrote ${relative(process.cwd(), b.file)} (${b.managed ? 'managed' : 'unmanaged'}, ${b.bytes} bytes)`);
  }
} catch (error) {
  console.error(`solution: build failed. ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
