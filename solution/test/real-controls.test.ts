// The same checks as package.test.ts and xsd.test.ts, against the real controls build when it exists
// (controls/out/controls, written by `npm run build`). Skipped with a notice before the first build.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSolutionZips } from '../src/build-packages';
import { extensionOf } from '../src/content-types-xml';
import { controlDependencies, externalServiceUsage } from '../src/control-manifest';
import { readSolutionZip } from '../src/read-solution-zip';
import { BRIDGE, hasXmllint, repoRoot, text, unzip, xmllintReadyXsd, xmllintSchema } from './helpers';

const realControls = process.env.FOB_CONTROLS_OUT ?? join(repoRoot, 'controls', 'out', 'controls');
const present = existsSync(realControls);
if (!present) console.warn(`solution/test/real-controls.test.ts: ${realControls} not built yet, skipped (run npm run build).`);

(present ? describe : describe.skip)('package built from the real controls build', () => {
  let dir: string;
  let built: ReturnType<typeof buildSolutionZips>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fob-real-'));
    built = buildSolutionZips({ controlsDir: realControls, outDir: dir, packageVersion: '0.1.0', bridgeUrl: BRIDGE });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('declares both FinOps Bridge controls and the three environment variables', () => {
    const declared = readSolutionZip(built.managed);
    expect(declared.controls.map((c) => c.name)).toEqual(expect.arrayContaining(['fob_FinOpsBridge.FinancePanel', 'fob_FinOpsBridge.SyncStatus']));
    expect(declared.environmentVariables.map((v) => v.schemaName)).toEqual(['fob_BridgeAppId', 'fob_BridgeScope', 'fob_BridgeUrl']);
  });

  it('carries the MsalLibrary control, which both controls declare as an on-demand dependency', () => {
    const files = unzip(built.managed);
    expect(readSolutionZip(built.managed).controls.map((c) => c.name)).toContain('fob_FinOpsBridge.MsalLibrary');
    expect(text(files.get('customizations.xml'))).toContain('<Name>fob_FinOpsBridge.MsalLibrary</Name>');
    for (const control of ['FinancePanel', 'SyncStatus']) {
      const manifest = text(files.get(`Controls/fob_FinOpsBridge.${control}/ControlManifest.xml`));
      expect(controlDependencies(manifest)).toEqual([{ type: 'control', name: 'fob_FinOpsBridge.MsalLibrary', loadType: 'onDemand' }]);
    }
    // The library calls no service itself: it is not declared as using the bridge.
    expect(externalServiceUsage(text(files.get('Controls/fob_FinOpsBridge.MsalLibrary/ControlManifest.xml'))).enabled).toBe(false);
  });

  it('declares a content type for every extension present', () => {
    const files = unzip(built.unmanaged);
    const types = text(files.get('[Content_Types].xml'));
    for (const path of files.keys()) expect(types).toContain(`<Default Extension="${extensionOf(path)}"`);
  });

  (hasXmllint ? it : it.skip)('has a customizations.xml that the XSD accepts', () => {
    const file = join(dir, 'customizations.xml');
    writeFileSync(file, unzip(built.unmanaged).get('customizations.xml')!);
    expect(xmllintSchema(xmllintReadyXsd(dir), file).ok).toBe(true);
  });
});
