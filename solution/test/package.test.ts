import { describe, it, expect, beforeAll } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { readSolutionZip } from '../src/read-solution-zip';
import { buildSolutionZips, missingDependencies } from '../src/build-packages';
import { extensionOf } from '../src/content-types-xml';
import { declareExternalService, externalServiceUsage, parseControlManifest, stampControlVersion } from '../src/control-manifest';
import { PUBLISHER } from '../src/finops-bridge';
import { BRIDGE, fixtureControls, pacZipDir, repoRoot, text, unzip } from './helpers';

const build = () => buildSolutionZips({ controlsDir: fixtureControls, outDir: '/unused', packageVersion: '0.1.0', bridgeUrl: BRIDGE });

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? listFiles(join(dir, n)) : [join(dir, n)]));
}

describe('solution zip layout', () => {
  let files: Map<string, Uint8Array>;
  let paths: string[];
  beforeAll(() => {
    files = unzip(build().unmanaged);
    paths = [...files.keys()];
  });

  it('names the zips from the four-part version', () => {
    expect(build().names).toEqual({ unmanaged: 'FinOpsBridge_0.1.0.0.zip', managed: 'FinOpsBridge_0.1.0.0_managed.zip' });
  });

  it('has the top-level files and folders of the pac-built zip, plus environment variable definitions', () => {
    const reference = new Set(readdirSync(pacZipDir));
    const ours = new Set(paths.map((p) => p.split('/')[0]));
    expect([...reference].every((name) => ours.has(name))).toBe(true);
    expect([...ours].filter((name) => !reference.has(name))).toEqual(['environmentvariabledefinitions']);
  });

  it('puts each control in Controls/<prefix>_<namespace>.<constructor>/ as pac does', () => {
    const pattern = /^Controls\/([a-z0-9]+)_([A-Za-z0-9]+)\.([A-Za-z0-9]+)\/ControlManifest\.xml$/;
    const referenceManifests = listFiles(join(pacZipDir, 'Controls')).map((f) => `Controls/${relative(join(pacZipDir, 'Controls'), f)}`);
    expect(referenceManifests.every((p) => pattern.test(p))).toBe(true);
    const manifests = paths.filter((p) => p.endsWith('/ControlManifest.xml'));
    expect(manifests).toEqual([
      'Controls/fob_FinOpsBridge.FinancePanel/ControlManifest.xml',
      'Controls/fob_FinOpsBridge.SyncStatus/ControlManifest.xml',
    ]);
    expect(manifests.every((p) => pattern.exec(p)?.[1] === PUBLISHER.prefix)).toBe(true);
  });

  it('copies every built control file unchanged, except the manifest\'s version and external service', () => {
    for (const file of listFiles(fixtureControls)) {
      const [folder, ...rest] = relative(fixtureControls, file).split('/');
      const inZip = files.get(`Controls/fob_FinOpsBridge.${folder}/${rest.join('/')}`)!;
      if (file.endsWith('ControlManifest.xml')) {
        const normalise = (xml: string) => stampControlVersion(declareExternalService(xml, ['x']), '0');
        expect(normalise(text(inZip))).toBe(normalise(readFileSync(file, 'utf8')));
      } else {
        expect(Buffer.from(inZip).equals(readFileSync(file))).toBe(true);
      }
    }
  });

  it('orders entries like pac: customizations, solution, controls, ..., [Content_Types].xml last', () => {
    expect(paths.slice(0, 3)).toEqual(['customizations.xml', 'solution.xml', 'Controls/fob_FinOpsBridge.FinancePanel/ControlManifest.xml']);
    expect(paths.at(-1)).toBe('[Content_Types].xml');
  });

  it('declares a content type for every file extension, and overrides control manifests', () => {
    const types = text(files.get('[Content_Types].xml'));
    const declared = new Set([...types.matchAll(/<Default Extension="([^"]+)"/g)].map((m) => m[1]));
    const present = new Set(paths.map(extensionOf));
    expect([...present].sort()).toEqual([...declared].sort());
    expect(present).toEqual(new Set(['xml', 'js', 'css', 'resx']));
    for (const manifest of paths.filter((p) => p.endsWith('ControlManifest.xml'))) {
      expect(types).toContain(`<Override PartName="/${manifest}" ContentType="application/octet-stream" />`);
    }
  });

  it('lists every control in customizations.xml and as a root component in solution.xml', () => {
    const customizations = text(files.get('customizations.xml'));
    const solution = text(files.get('solution.xml'));
    for (const manifest of paths.filter((p) => p.endsWith('/ControlManifest.xml'))) {
      const name = manifest.split('/')[1];
      expect(customizations).toContain(`<Name>${name}</Name>\r\n      <FileName>/${manifest}</FileName>`);
      expect(solution).toContain(`<RootComponent type="66" schemaName="${name}" behavior="0" />`);
    }
    for (const schemaName of ['fob_BridgeUrl', 'fob_BridgeAppId', 'fob_BridgeScope']) {
      expect(files.has(`environmentvariabledefinitions/${schemaName}/environmentvariabledefinition.xml`)).toBe(true);
      expect(solution).toContain(`<RootComponent type="380" schemaName="${schemaName}" behavior="0" />`);
    }
  });
});

describe('control dependencies (dependent libraries, issue 20)', () => {
  const withManifest = (constructorName: string, manifest: string) => ({ namespace: 'FinOpsBridge', constructorName, version: '0.1.0', files: [{ path: 'ControlManifest.xml', data: new TextEncoder().encode(manifest) }] });
  const dependent = withManifest('FinancePanel', '<manifest><control><resources><code path="bundle.js" order="1"/><dependency type="control" name="fob_FinOpsBridge.MsalLibrary" order="1" load-type="onDemand"/></resources></control></manifest>');

  it('are satisfied when the library control is in the same package', () => {
    expect(missingDependencies([dependent, withManifest('MsalLibrary', '<manifest><control/></manifest>')], 'fob')).toEqual([]);
  });

  it('refuse a package without the library control, naming it', () => {
    expect(missingDependencies([dependent], 'fob')).toEqual([expect.stringContaining('fob_FinOpsBridge.FinancePanel depends on the control fob_FinOpsBridge.MsalLibrary')]);
    const dir = mkdtempSync(join(tmpdir(), 'fob-deps-'));
    try {
      cpSync(fixtureControls, dir, { recursive: true });
      const manifest = join(dir, 'SyncStatus', 'ControlManifest.xml');
      writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('<code path="bundle.js" order="1"/>', '<code path="bundle.js" order="1"/>\n      <dependency type="control" name="fob_FinOpsBridge.MsalLibrary" load-type="onDemand"/>'));
      expect(() => buildSolutionZips({ controlsDir: dir, outDir: '/unused', packageVersion: '0.1.0', bridgeUrl: BRIDGE })).toThrow(/depends on the control fob_FinOpsBridge\.MsalLibrary, which the controls build does not contain/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('control manifests in the package (issue 17)', () => {
  const manifests = (zip: Uint8Array) => [...unzip(zip)].filter(([p]) => p.endsWith('/ControlManifest.xml')).map(([, data]) => text(data));

  it('declare the bridge as external service: enabled, with the domain of the bridge address the build was given', () => {
    const all = manifests(buildSolutionZips({ controlsDir: fixtureControls, outDir: '/unused', packageVersion: '0.1.0', bridgeUrl: 'https://bridge.fabrikam.example:8443/base' }).managed);
    expect(all).toHaveLength(2);
    for (const xml of all) {
      expect(externalServiceUsage(xml)).toEqual({ declared: true, enabled: true, domains: ['bridge.fabrikam.example'] });
      // The schema's sequence: external-service-usage is the control's first child, before the properties.
      expect(xml.indexOf('<external-service-usage')).toBeLessThan(xml.indexOf('<property'));
    }
  });

  it('refuses a bridge address that is not an http(s) URL', () => {
    expect(() => buildSolutionZips({ controlsDir: fixtureControls, outDir: '/unused', packageVersion: '0.1.0', bridgeUrl: 'bridge.contoso.example' }))
      .toThrow(/not an absolute URL.*https:\/\/bridge\.contoso\.com/);
  });

  it('adds the element when a manifest has none, and replaces a disabled one', () => {
    const bare = '<manifest>\n  <control namespace="N" constructor="C" version="1.0.0">\n    <property name="p" />\n  </control>\n</manifest>';
    expect(externalServiceUsage(declareExternalService(bare, ['b.example']))).toEqual({ declared: true, enabled: true, domains: ['b.example'] });
    const disabled = bare.replace('<property', '<external-service-usage enabled="false" />\n    <property');
    const declared = declareExternalService(disabled, ['b.example']);
    expect(declared.match(/<external-service-usage/g)).toHaveLength(1);
    expect(externalServiceUsage(declared)).toEqual({ declared: true, enabled: true, domains: ['b.example'] });
  });

  it('carry no development-only property and no loopback address', () => {
    for (const xml of manifests(build().managed)) {
      expect(xml).not.toMatch(/sandbox/i);
      expect(xml).not.toMatch(/127\.0\.0\.1|localhost/);
    }
    const sources = ['FinancePanel', 'SyncStatus'].map((c) => readFileSync(join(repoRoot, 'controls', c, 'ControlManifest.Input.xml'), 'utf8'));
    for (const xml of sources) {
      const properties = [...xml.matchAll(/<property\b[^>]*\bname="([^"]+)"/g)].map((m) => m[1]);
      expect(properties).not.toContain('sandboxIssuer');
      expect(properties.filter((p) => /sandbox|preview|dev/i.test(p))).toEqual([]);
      expect(xml).not.toMatch(/127\.0\.0\.1|localhost/);
      expect(externalServiceUsage(xml).enabled).toBe(true);
    }
  });

  it('version every control with the package version, so a release with a changed bundle gets a higher control version', () => {
    const bundle = join(fixtureControls, 'FinancePanel', 'bundle.js');
    const before = manifests(buildSolutionZips({ controlsDir: fixtureControls, outDir: '/unused', packageVersion: '0.1.0', bridgeUrl: BRIDGE }).managed);
    const copy = mkdtempSync(join(tmpdir(), 'fob-changed-'));
    try {
      cpSync(fixtureControls, copy, { recursive: true });
      writeFileSync(join(copy, 'FinancePanel', 'bundle.js'), `${readFileSync(bundle, 'utf8')}\n// changed\n`);
      const after = manifests(buildSolutionZips({ controlsDir: copy, outDir: '/unused', packageVersion: '0.1.1', bridgeUrl: BRIDGE }).managed);
      const version = (xml: string) => parseControlManifest(xml, 'm').version;
      expect(before.map(version)).toEqual(['0.1.0', '0.1.0']);
      expect(after.map(version)).toEqual(['0.1.1', '0.1.1']);
      const declared = readSolutionZip(buildSolutionZips({ controlsDir: copy, outDir: '/unused', packageVersion: '0.2.0', bridgeUrl: BRIDGE }).managed);
      expect(declared.controls.map((c) => c.version)).toEqual(['0.2.0', '0.2.0']);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('managed and unmanaged packages', () => {
  it('differ only in solution.xml, and there only in the Managed flag', () => {
    const built = build();
    const unmanaged = unzip(built.unmanaged);
    const managed = unzip(built.managed);
    expect([...managed.keys()]).toEqual([...unmanaged.keys()]);
    const differing = [...unmanaged.keys()].filter((p) => !Buffer.from(unmanaged.get(p)!).equals(managed.get(p)!));
    expect(differing).toEqual(['solution.xml']);
    const u = text(unmanaged.get('solution.xml')).split('\r\n');
    const m = text(managed.get('solution.xml')).split('\r\n');
    const changed = u.map((line, i) => [line, m[i]]).filter(([a, b]) => a !== b);
    expect(changed).toEqual([['    <Managed>0</Managed>', '    <Managed>1</Managed>']]);
  });
});

describe('determinism', () => {
  it('gives the same bytes for the same input', () => {
    const first = build();
    const second = build();
    expect(Buffer.from(first.unmanaged).equals(second.unmanaged)).toBe(true);
    expect(Buffer.from(first.managed).equals(second.managed)).toBe(true);
  });

  it('gives different bytes when the input changes (the version here)', () => {
    const a = buildSolutionZips({ controlsDir: fixtureControls, outDir: '/unused', packageVersion: '0.1.0', bridgeUrl: BRIDGE });
    const b = buildSolutionZips({ controlsDir: fixtureControls, outDir: '/unused', packageVersion: '0.1.1', bridgeUrl: BRIDGE });
    expect(Buffer.from(a.unmanaged).equals(b.unmanaged)).toBe(false);
  });
});

describe('root build order', () => {
  it('builds the controls before the solution (npm runs workspaces in declared order)', () => {
    const root = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { workspaces: string[]; scripts: Record<string, string> };
    expect(root.workspaces.indexOf('controls')).toBeGreaterThanOrEqual(0);
    expect(root.workspaces.indexOf('controls')).toBeLessThan(root.workspaces.indexOf('solution'));
    expect(root.scripts.build).toContain('--workspaces');
  });
});
