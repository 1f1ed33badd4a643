// Builds both solution zips from the controls build and the root package version.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finOpsBridgeSolution } from './finops-bridge';
import { packageFileName, packageFiles } from './package-files';
import { readBuiltControls } from './read-controls';
import { toSolutionVersion } from './version';
import { writeZip } from './zip';

export interface BuildOptions {
  /** Folder holding pcf-scripts' output, one subfolder per control. */
  controlsDir: string;
  /** Where the zips go (created when missing). */
  outDir: string;
  /** npm package version (three or four numeric parts). */
  packageVersion: string;
}

export interface BuiltPackage {
  file: string;
  managed: boolean;
  bytes: number;
}

export function buildSolutionZips(options: BuildOptions): { unmanaged: Uint8Array; managed: Uint8Array; names: { unmanaged: string; managed: string } } {
  const version = toSolutionVersion(options.packageVersion);
  const controls = readBuiltControls(options.controlsDir);
  const unmanagedSolution = finOpsBridgeSolution(version, false, controls);
  const managedSolution = finOpsBridgeSolution(version, true, controls);
  return {
    unmanaged: writeZip(packageFiles(unmanagedSolution)),
    managed: writeZip(packageFiles(managedSolution)),
    names: { unmanaged: packageFileName(unmanagedSolution), managed: packageFileName(managedSolution) },
  };
}

export function writeSolutionZips(options: BuildOptions): BuiltPackage[] {
  const built = buildSolutionZips(options);
  mkdirSync(options.outDir, { recursive: true });
  return ([[built.names.unmanaged, built.unmanaged, false], [built.names.managed, built.managed, true]] as const).map(([name, bytes, managed]) => {
    const file = join(options.outDir, name);
    writeFileSync(file, bytes);
    return { file, managed, bytes: bytes.length };
  });
}

export function readPackageVersion(packageJsonPath: string): string {
  const parsed = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version?: unknown };
  if (typeof parsed.version !== 'string') throw new Error(`${packageJsonPath} has no "version": add one such as "0.1.0".`);
  return parsed.version;
}
