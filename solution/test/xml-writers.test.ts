import { describe, it, expect } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { escapeXml } from '../src/xml';
import { environmentVariableDefinitionXml } from '../src/environment-variable-xml';
import { contentTypesXml } from '../src/content-types-xml';
import { solutionXml, rootComponents } from '../src/solution-xml';
import { customizationsXml } from '../src/customizations-xml';
import { ENVIRONMENT_VARIABLES, finOpsBridgeSolution } from '../src/finops-bridge';
import { toSolutionVersion } from '../src/version';
import type { ControlComponent } from '../src/description';
import { coeEnvVarDir, distinctRuns, elementPaths, pacZipDir } from './helpers';

const control = (constructorName: string): ControlComponent => ({ namespace: 'FinOpsBridge', constructorName, version: '0.1.0', files: [] });

describe('escapeXml', () => {
  it('escapes the five XML specials, ampersand first', () => {
    expect(escapeXml(`a&b<c>"d"'e'&amp;`)).toBe('a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;&amp;amp;');
  });

  it('reaches every document: a hostile label cannot break solution.xml', () => {
    const solution = finOpsBridgeSolution('1.0.0.0', false, [control('FinancePanel')]);
    solution.displayNames = [{ languageCode: 1033, text: 'A "quoted" <b>&</b> name' }];
    const xml = solutionXml(solution);
    expect(xml).toContain('description="A &quot;quoted&quot; &lt;b&gt;&amp;&lt;/b&gt; name"');
    expect(xml).not.toContain('<b>');
  });
});

describe('toSolutionVersion', () => {
  it('makes four parts from npm versions', () => {
    expect(toSolutionVersion('0.1.0')).toBe('0.1.0.0');
    expect(toSolutionVersion('2.10.3.7')).toBe('2.10.3.7');
  });

  it('refuses pre-release versions with a message that says what to do', () => {
    expect(() => toSolutionVersion('1.0.0-beta.1')).toThrow(/plain numbers such as 1\.2\.3/);
  });
});

describe('environment variable definitions', () => {
  const coeFiles = readdirSync(coeEnvVarDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => readFileSync(join(coeEnvVarDir, d.name, 'environmentvariabledefinition.xml'), 'utf8'));

  it('use the same elements in the same order as the CoE exports', () => {
    const withDefault = coeFiles.find((f) => f.includes('<defaultvalue>'))!;
    const withoutDefault = coeFiles.find((f) => !f.includes('<defaultvalue>') && f.includes('<secretstore>'))!;
    const url = ENVIRONMENT_VARIABLES.find((v) => v.schemaName === 'fob_BridgeUrl')!;
    const appId = ENVIRONMENT_VARIABLES.find((v) => v.schemaName === 'fob_BridgeAppId')!;
    expect(distinctRuns(elementPaths(environmentVariableDefinitionXml({ ...url, defaultValue: 'https://bridge.contoso.example' })))).toEqual(distinctRuns(elementPaths(withDefault)));
    expect(distinctRuns(elementPaths(environmentVariableDefinitionXml(appId)))).toEqual(distinctRuns(elementPaths(withoutDefault)));
  });

  it('declare the three bridge variables as String, without defaults (no loopback address ships)', () => {
    const byName = new Map(ENVIRONMENT_VARIABLES.map((v) => [v.schemaName, environmentVariableDefinitionXml(v)]));
    expect([...byName.keys()].sort()).toEqual(['fob_BridgeAppId', 'fob_BridgeScope', 'fob_BridgeUrl']);
    for (const xml of byName.values()) expect(xml).toContain('<type>100000000</type>');
    expect(byName.get('fob_BridgeUrl')).not.toContain('<defaultvalue>');
    expect(byName.get('fob_BridgeAppId')).not.toContain('<defaultvalue>');
    expect(byName.get('fob_BridgeScope')).toMatch(/^<environmentvariabledefinition schemaname="fob_BridgeScope">/);
  });
});

describe('solution.xml', () => {
  const reference = readFileSync(join(pacZipDir, 'solution.xml'), 'utf8');
  const ours = solutionXml(finOpsBridgeSolution('0.1.0.0', true, [control('FinancePanel'), control('SyncStatus')]));

  it('has the element structure of the pac-built solution.xml', () => {
    // Lists collapse to one item; our solution has a description where the reference has none.
    const shape = (xml: string) => distinctRuns(elementPaths(xml)).filter((p) => p !== 'ImportExportXml/SolutionManifest/Descriptions/Description');
    expect(shape(ours)).toEqual(shape(reference));
  });

  it('keeps the file form of pac: BOM, CRLF, no trailing newline, same root attributes', () => {
    expect(ours.startsWith('\uFEFF<?xml version="1.0" encoding="utf-8"?>\r\n')).toBe(true);
    expect(ours).not.toMatch(/[^\r]\n/);
    expect(ours.endsWith('</ImportExportXml>')).toBe(true);
    const rootTag = (xml: string) => /<ImportExportXml[^>]*>/.exec(xml)![0];
    expect(rootTag(ours)).toBe(rootTag(reference));
  });

  it('lists controls (66) then environment variables (380), sorted, with publisher fob', () => {
    expect(ours).toContain('<CustomizationPrefix>fob</CustomizationPrefix>');
    expect(ours).toContain('<LocalizedName description="FinOps Bridge" languagecode="1033" />');
    expect(rootComponents(finOpsBridgeSolution('0.1.0.0', true, [control('SyncStatus'), control('FinancePanel')]))).toEqual([
      { type: 66, schemaName: 'fob_FinOpsBridge.FinancePanel' },
      { type: 66, schemaName: 'fob_FinOpsBridge.SyncStatus' },
      { type: 380, schemaName: 'fob_BridgeAppId' },
      { type: 380, schemaName: 'fob_BridgeScope' },
      { type: 380, schemaName: 'fob_BridgeUrl' },
    ]);
    expect(ours).toContain('<RootComponent type="66" schemaName="fob_FinOpsBridge.FinancePanel" behavior="0" />');
    expect(ours).toContain('<MissingDependencies />');
  });

  it('says Managed 1 or 0', () => {
    expect(ours).toContain('<Managed>1</Managed>');
    expect(solutionXml(finOpsBridgeSolution('0.1.0.0', false, []))).toContain('<Managed>0</Managed>');
  });
});

describe('customizations.xml', () => {
  it('matches the pac-built customizations.xml once names differ', () => {
    const reference = readFileSync(join(pacZipDir, 'customizations.xml'), 'utf8');
    const ours = customizationsXml(finOpsBridgeSolution('0.1.0.0', true, [control('CustomHTMLTooltip')]));
    expect(ours.replace('fob_FinOpsBridge', 'pblab_CustomControl').replace('fob_FinOpsBridge', 'pblab_CustomControl')).toBe(reference);
  });
});

describe('[Content_Types].xml', () => {
  it('reproduces the pac-built file for the same entries', () => {
    const reference = readFileSync(join(pacZipDir, '[Content_Types].xml'), 'utf8');
    const dir = 'Controls/pblab_CustomControl.CustomHTMLTooltip';
    expect(contentTypesXml(['customizations.xml', 'solution.xml', `${dir}/ControlManifest.xml`, `${dir}/bundle.js`, `${dir}/bundle.js.LICENSE.txt`]))
      .toBe(reference);
  });

  it('refuses a file without extension', () => {
    expect(() => contentTypesXml(['solution.xml', 'Controls/x/LICENSE'])).toThrow(/no file extension/);
  });
});
