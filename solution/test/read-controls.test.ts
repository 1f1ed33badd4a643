import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseControlManifest } from '../src/control-manifest';
import { readBuiltControls } from '../src/read-controls';
import { toSolutionVersion } from '../src/version';
import { fixtureControls, repoRoot, solutionDir } from './helpers';

const INPUT_MANIFEST = `<?xml version="1.0" encoding="utf-8" ?>
<manifest><control namespace="FinOpsBridge" constructor="FinancePanel" version="0.1.0" display-name-key="x" control-type="virtual">
<resources><code path="index.ts" order="1"/></resources></control></manifest>`;

describe('parseControlManifest', () => {
  it('reads namespace, constructor, version and resources of a built manifest', () => {
    const parsed = parseControlManifest(readFileSync(join(fixtureControls, 'FinancePanel', 'ControlManifest.xml'), 'utf8'), 'fixture');
    expect(parsed).toEqual({
      namespace: 'FinOpsBridge',
      constructorName: 'FinancePanel',
      version: '0.1.0',
      resourcePaths: ['bundle.js', 'css/FinancePanel.css', 'strings/FinancePanel.1033.resx', 'strings/FinancePanel.1043.resx'],
      dependencies: [],
    });
  });

  it('refuses an input manifest and says to build the controls', () => {
    expect(() => parseControlManifest(INPUT_MANIFEST, 'ControlManifest.xml')).toThrow(/not a manifest produced by pcf-scripts.*npm run build -w controls/);
  });

  it('refuses a manifest without constructor (and does not mistake Object.prototype.constructor for one)', () => {
    const xml = INPUT_MANIFEST.replace(' constructor="FinancePanel"', '').replace('</control>', '<built-by name="pac" version="1"/></control>');
    expect(() => parseControlManifest(xml, 'm.xml')).toThrow(/no constructor attribute/);
  });
});

describe('readBuiltControls', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fob-controls-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('tells the user to build the controls when their output is missing', () => {
    expect(() => readBuiltControls(join(dir, 'nope'))).toThrow(/No built controls at .*nope\. Build the controls first/);
  });

  it('refuses an output folder without any control', () => {
    expect(() => readBuiltControls(dir)).toThrow(/holds no control folder/);
  });

  it('refuses a control whose manifest names a file the build did not produce', () => {
    cpSync(fixtureControls, dir, { recursive: true });
    rmSync(join(dir, 'FinancePanel', 'strings', 'FinancePanel.1043.resx'));
    expect(() => readBuiltControls(dir)).toThrow(/names strings\/FinancePanel\.1043\.resx, which the build did not produce/);
  });

  it('takes names from the manifest, not the folder', () => {
    cpSync(join(fixtureControls, 'SyncStatus'), join(dir, 'renamed-folder'), { recursive: true });
    const [control] = readBuiltControls(dir);
    expect(control.constructorName).toBe('SyncStatus');
    expect(control.files.map((f) => f.path)).toEqual(['ControlManifest.xml', 'bundle.js', 'strings/SyncStatus.1033.resx']);
  });
});

describe('npm run build -w solution (src/build.ts)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fob-dist-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (controls: string, out = dir, tz = 'UTC', bridgeUrl: string | null = 'https://bridge.contoso.example') => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', TZ: tz, FOB_CONTROLS_OUT: controls, FOB_SOLUTION_DIST: out, FOB_BRIDGE_URL: bridgeUrl ?? undefined };
    if (bridgeUrl === null) delete env.FOB_BRIDGE_URL;
    return spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'src/build.ts'], { cwd: solutionDir, encoding: 'utf8', env });
  };

  it('writes the same bytes in any time zone (zip timestamps are fixed)', () => {
    expect(run(fixtureControls, join(dir, 'a'), 'Pacific/Kiritimati').status).toBe(0);
    expect(run(fixtureControls, join(dir, 'b'), 'America/Adak').status).toBe(0);
    for (const name of readdirSync(join(dir, 'a'))) {
      expect(readFileSync(join(dir, 'a', name)).equals(readFileSync(join(dir, 'b', name)))).toBe(true);
    }
    expect(readdirSync(join(dir, 'a'))).toHaveLength(2);
  });

  it('writes both zips named from the root package version', () => {
    const result = run(fixtureControls);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    const solutionVersion = toSolutionVersion(version);
    expect(existsSync(join(dir, `FinOpsBridge_${solutionVersion}.zip`))).toBe(true);
    expect(existsSync(join(dir, `FinOpsBridge_${solutionVersion}_managed.zip`))).toBe(true);
    expect(result.stdout).toContain(`FinOpsBridge_${solutionVersion}_managed.zip (managed,`);
    expect(result.stdout).toContain('external service bridge.contoso.example');
  });

  it('without FOB_BRIDGE_URL builds for the reserved placeholder domain and says which variable to set', () => {
    const result = run(fixtureControls, dir, 'UTC', null);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/FOB_BRIDGE_URL is not set, so the controls declare the placeholder domain bridge\.invalid/);
    expect(result.stdout).toContain('external service bridge.invalid');
  });

  it('fails with exit code 1 and a clear message when the controls are not built', () => {
    const result = run(join(dir, 'missing'));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/solution: build failed\. No built controls at .* Build the controls first/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
