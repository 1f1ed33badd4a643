// Builds both solution zips from the controls build and the root package version.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bridgeDomain, controlDependencies, declareExternalService, externalServiceUsage, stampControlVersion } from './control-manifest';
import { controlComponentName, type ControlComponent } from './description';
import { finOpsBridgeSolution } from './finops-bridge';
import { packageFileName, packageFiles } from './package-files';
import { readBuiltControls } from './read-controls';
import { toControlVersion, toSolutionVersion } from './version';
import { writeZip } from './zip';

export interface BuildOptions {
  /** Folder holding pcf-scripts' output, one subfolder per control. */
  controlsDir: string;
  /** Where the zips go (created when missing). */
  outDir: string;
  /** npm package version (three or four numeric parts). */
  packageVersion: string;
  /**
   * The bridge's public address (https://bridge.contoso.com): its host becomes the `<domain>` the controls'
   * manifests declare under external-service-usage. `npm run build` takes it from FOB_BRIDGE_URL.
   */
  bridgeUrl: string;
}

const MANIFEST = 'ControlManifest.xml';
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/**
 * The control as it goes into the package: its manifest declares the bridge as external service (unless it
 * declares `enabled="false"`: the MsalLibrary control) and
 * carries the version derived from the package version, so every release serves the new bundle
 * (model-driven apps keep a bundle cached until its control's version changes).
 */
export function packagedControl(control: ControlComponent, version: string, domain: string): ControlComponent {
  const files = control.files.map((f) => {
    if (f.path !== MANIFEST) return f;
    const built = fromUtf8.decode(f.data);
    // A control that says it calls no external service (the MsalLibrary control: it only carries MSAL for the
    // others) keeps saying so; every other control calls the bridge.
    const usage = externalServiceUsage(built);
    const callsNothing = usage.declared && !usage.enabled;
    const xml = stampControlVersion(callsNothing ? built : declareExternalService(built, [domain]), version);
    return { path: f.path, data: utf8.encode(xml) };
  });
  return { ...control, version, files };
}

/**
 * Every control a manifest names as a `<dependency type="control">` (FinancePanel and SyncStatus name the
 * MsalLibrary control) must travel in the same package: a control whose library is missing could not load it.
 * Returns the problems, one sentence each.
 */
export function missingDependencies(controls: readonly ControlComponent[], prefix: string): string[] {
  const names = new Set(controls.map((c) => controlComponentName(prefix, c)));
  return controls.flatMap((c) => {
    const manifest = c.files.find((f) => f.path === MANIFEST);
    if (!manifest) return [];
    return controlDependencies(fromUtf8.decode(manifest.data))
      .filter((d) => d.type !== 'control' || !names.has(d.name))
      .map((d) => d.type !== 'control'
        ? `${controlComponentName(prefix, c)} declares a dependency of type "${d.type}" on ${d.name}; only type="control" exists.`
        : `${controlComponentName(prefix, c)} depends on the control ${d.name}, which the controls build does not contain (built: ${[...names].sort().join(', ')}). Build it with the other controls (npm run build -w controls).`);
  });
}

export interface BuiltPackage {
  file: string;
  managed: boolean;
  bytes: number;
}

export function buildSolutionZips(options: BuildOptions): { unmanaged: Uint8Array; managed: Uint8Array; names: { unmanaged: string; managed: string } } {
  const version = toSolutionVersion(options.packageVersion);
  const domain = bridgeDomain(options.bridgeUrl);
  const controlVersion = toControlVersion(options.packageVersion);
  const controls = readBuiltControls(options.controlsDir).map((c) => packagedControl(c, controlVersion, domain));
  const unmanagedSolution = finOpsBridgeSolution(version, false, controls);
  const missing = missingDependencies(controls, unmanagedSolution.publisher.prefix);
  if (missing.length > 0) throw new Error(missing.join(' '));
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
