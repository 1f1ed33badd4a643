import { describe, it, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { buildSolutionZips } from '../src/build-packages';
import { readSolutionZip, SolutionPackageError } from '../src/read-solution-zip';
import { BRIDGE, fixtureControls, pacZipDir, text, unzip } from './helpers';

const built = buildSolutionZips({ controlsDir: fixtureControls, outDir: '/unused', packageVersion: '0.1.0', bridgeUrl: BRIDGE });

/** Our unmanaged zip with one file replaced (undefined removes it). */
function altered(path: string, change: (content: string) => string | undefined): Uint8Array {
  const files = Object.fromEntries(unzip(built.unmanaged));
  const next = change(text(files[path]));
  if (next === undefined) delete files[path];
  else files[path] = strToU8(next);
  return zipSync(files);
}

describe('readSolutionZip', () => {
  it('reads back everything our package declares', () => {
    const declared = readSolutionZip(built.managed);
    expect(declared).toMatchObject({
      uniqueName: 'FinOpsBridge',
      displayName: 'FinOps Bridge',
      version: '0.1.0.0',
      managed: true,
      publisher: { uniqueName: 'FinOpsBridge', prefix: 'fob' },
    });
    expect(readSolutionZip(built.unmanaged).managed).toBe(false);
    expect(declared.controls.map((c) => [c.name, c.namespace, c.constructorName, c.version])).toEqual([
      ['fob_FinOpsBridge.FinancePanel', 'FinOpsBridge', 'FinancePanel', '0.1.0'],
      ['fob_FinOpsBridge.SyncStatus', 'FinOpsBridge', 'SyncStatus', '0.1.0'],
    ]);
    expect(declared.controls[0].files).toEqual(['ControlManifest.xml', 'bundle.js', 'css/FinancePanel.css',
      'strings/FinancePanel.1033.resx', 'strings/FinancePanel.1043.resx']);
    expect(declared.environmentVariables).toEqual([
      { schemaName: 'fob_BridgeAppId', displayName: 'FinOps Bridge API application ID', type: 'String', defaultValue: null, isRequired: false },
      { schemaName: 'fob_BridgeScope', displayName: 'FinOps Bridge API scope', type: 'String', defaultValue: null, isRequired: false },
      { schemaName: 'fob_BridgeUrl', displayName: 'FinOps Bridge URL', type: 'String', defaultValue: null, isRequired: false },
    ]);
    expect(declared.rootComponents).toHaveLength(5);
  });

  it('reads the pac-built reference zip too', () => {
    const dir = 'Controls/pblab_CustomControl.CustomHTMLTooltip';
    const zip = zipSync({
      'customizations.xml': readFileSync(join(pacZipDir, 'customizations.xml')),
      'solution.xml': readFileSync(join(pacZipDir, 'solution.xml')),
      [`${dir}/ControlManifest.xml`]: readFileSync(join(pacZipDir, dir, 'ControlManifest.xml')),
      [`${dir}/bundle.js`]: strToU8('/* omitted from the reference copy */'),
      '[Content_Types].xml': readFileSync(join(pacZipDir, '[Content_Types].xml')),
    });
    const declared = readSolutionZip(zip);
    expect(declared).toMatchObject({ uniqueName: 'CustomisableHTMLTooltip', version: '1.0', managed: true, publisher: { prefix: 'pblab' } });
    expect(declared.controls.map((c) => c.name)).toEqual(['pblab_CustomControl.CustomHTMLTooltip']);
    expect(declared.environmentVariables).toEqual([]);
  });

  it('refuses a package that unpacks to more than the limit', () => {
    expect(() => readSolutionZip(built.unmanaged, { maxUncompressedBytes: 1000 })).toThrow(/unpacks to more than 1000 bytes/);
    expect(readSolutionZip(built.unmanaged, { maxUncompressedBytes: 1_000_000 }).uniqueName).toBe('FinOpsBridge');
  });

  it.each([
    ['not a zip', strToU8('hello'), /not a readable zip/],
    ['no solution.xml', altered('solution.xml', () => undefined), /no solution\.xml at its root/],
    ['a listed control without its manifest', altered('Controls/fob_FinOpsBridge.SyncStatus/ControlManifest.xml', () => undefined),
      /lists control fob_FinOpsBridge\.SyncStatus at \/Controls\/fob_FinOpsBridge\.SyncStatus\/ControlManifest\.xml, but the zip has no such file/],
    ['a manifest resource missing', altered('Controls/fob_FinOpsBridge.FinancePanel/bundle.js', () => undefined), /names bundle\.js, which the zip does not contain/],
    ['a variable that is not a root component', altered('solution.xml', (x) => x.replace(/\s*<RootComponent type="380" schemaName="fob_BridgeUrl" behavior="0" \/>/, '')),
      /fob_BridgeUrl has a definition file but is not among the RootComponents/],
    ['Managed 2 (a source folder, not a package)', altered('solution.xml', (x) => x.replace('<Managed>0</Managed>', '<Managed>2</Managed>')), /<Managed>2<\/Managed>/],
    ['an unbuilt control manifest', altered('Controls/fob_FinOpsBridge.SyncStatus/ControlManifest.xml', (x) => x.replace(/<built-by[^>]*>/, '')),
      /Control fob_FinOpsBridge\.SyncStatus has an unusable manifest: .*no <built-by> element/],
    ['an unknown variable type', altered('environmentvariabledefinitions/fob_BridgeUrl/environmentvariabledefinition.xml', (x) => x.replace('100000000', '7')),
      /has type 7, which is not an environment variable type/],
  ])('refuses %s with a message that says what is wrong', (_case, zip, message) => {
    expect(() => readSolutionZip(zip)).toThrow(SolutionPackageError);
    expect(() => readSolutionZip(zip)).toThrow(message);
  });
});
