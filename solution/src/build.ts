// `npm run build -w solution`: writes dist/FinOpsBridge_<version>.zip and FinOpsBridge_<version>_managed.zip.
// FOB_BRIDGE_URL is the bridge's public address, whose host the controls declare as their external service;
// FOB_CONTROLS_OUT and FOB_SOLUTION_DIST override the input and output folders (tests use them).
import { fileURLToPath } from 'node:url';
import { dirname, join, relative, resolve } from 'node:path';
import { readPackageVersion, writeSolutionZips } from './build-packages';
import { PLACEHOLDER_BRIDGE_URL } from './finops-bridge';

const solutionDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(solutionDir, '..');

try {
  const bridgeUrl = process.env.FOB_BRIDGE_URL?.trim() || PLACEHOLDER_BRIDGE_URL;
  if (bridgeUrl === PLACEHOLDER_BRIDGE_URL) {
    console.warn(`solution: FOB_BRIDGE_URL is not set, so the controls declare the placeholder domain ${new URL(PLACEHOLDER_BRIDGE_URL).hostname} ` +
      'as their external service. For a package to import into your tenant, build with the bridge\'s public address: ' +
      'FOB_BRIDGE_URL=https://bridge.contoso.com npm run build');
  }
  const built = writeSolutionZips({
    controlsDir: resolve(process.env.FOB_CONTROLS_OUT ?? join(repoRoot, 'controls', 'out', 'controls')),
    outDir: resolve(process.env.FOB_SOLUTION_DIST ?? join(solutionDir, 'dist')),
    packageVersion: readPackageVersion(join(repoRoot, 'package.json')),
    bridgeUrl,
  });
  for (const b of built) {
    console.log(`solution: wrote ${relative(process.cwd(), b.file)} (${b.managed ? 'managed' : 'unmanaged'}, ${b.bytes} bytes, external service ${new URL(bridgeUrl).hostname})`);
  }
} catch (error) {
  console.error(`solution: build failed. ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
