// Loads every built control from pcf-scripts' output folder (controls/out/controls/<folder>/).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ControlComponent } from './description';
import { parseControlManifest } from './control-manifest';

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

/** Ordinal order, as pac writes zip entries (upper case before lower case). */
export function ordinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function readBuiltControls(outControlsDir: string): ControlComponent[] {
  if (!existsSync(outControlsDir)) {
    throw new Error(`No built controls at ${outControlsDir}. Build the controls first: \`npm run build -w controls\` ` +
      '(or `npm run build` at the repository root, which builds controls before solution).');
  }
  const folders = readdirSync(outControlsDir).filter((n) => statSync(join(outControlsDir, n)).isDirectory()).sort(ordinal);
  const controls = folders
    .filter((folder) => existsSync(join(outControlsDir, folder, 'ControlManifest.xml')))
    .map((folder): ControlComponent => {
      const dir = join(outControlsDir, folder);
      const manifestFile = join(dir, 'ControlManifest.xml');
      const manifest = parseControlManifest(readFileSync(manifestFile, 'utf8'), manifestFile);
      const files = listFiles(dir)
        .map((full) => ({ path: relative(dir, full).split(sep).join('/'), data: new Uint8Array(readFileSync(full)) }))
        .sort((x, y) => ordinal(x.path, y.path));
      const missing = manifest.resourcePaths.filter((p) => !files.some((f) => f.path === p));
      if (missing.length > 0) {
        throw new Error(`${manifestFile} names ${missing.join(', ')}, which the build did not produce. Rebuild the controls and check its output for errors.`);
      }
      return { namespace: manifest.namespace, constructorName: manifest.constructorName, version: manifest.version, files };
    });
  if (controls.length === 0) {
    throw new Error(`${outControlsDir} holds no control folder with a ControlManifest.xml. Build the controls first: \`npm run build -w controls\`.`);
  }
  return controls;
}
