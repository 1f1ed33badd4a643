import { describe, it, expect, beforeAll } from '@jest/globals';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildSolutionZips } from '../src/build-packages';
import { extensionOf } from '../src/content-types-xml';
import { PUBLISHER } from '../src/finops-bridge';
import { fixtureControls, pacZipDir, repoRoot, text, unzip } from './helpers';

const build = () => buildSolutionZips({ controlsDir: fixtureControls, outDir: '/unused', packageVersion: '0.1.0' });

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

  it('copies every built control file unchanged, manifest included (as pac does)', () => {
    for (const file of listFiles(fixtureControls)) {
      const [folder, ...rest] = relative(fixtureControls, file).split('/');
      const inZip = files.get(`Controls/fob_FinOpsBridge.${folder}/${rest.join('/')}`);
      expect(inZip && Buffer.from(inZip).equals(readFileSync(file))).toBe(true);
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
    const a = buildSolutionZips({ controlsDir: fixtureControls, outDir: '/unused', packageVersion: '0.1.0' });
    const b = buildSolutionZips({ controlsDir: fixtureControls, outDir: '/unused', packageVersion: '0.1.1' });
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
