// customizations.xml as pac writes it into a solution zip: the same empty sections in the same order
// as the pac-built reference (test/fixtures/real/reference/solution/ydgs-.../zip-managed), one CustomControl per
// control pointing at its manifest. Environment variables are not listed here: they travel in their
// own environmentvariabledefinitions/ folder (the 9.0 schema has no element for them).
import { controlComponentName, type SolutionDescription } from './description';
import { XML_DECLARATION, platformFile, textElement } from './xml';

export function controlManifestPath(componentName: string): string {
  return `Controls/${componentName}/ControlManifest.xml`;
}

export function customizationsXml(solution: SolutionDescription): string {
  const names = solution.controls.map((c) => controlComponentName(solution.publisher.prefix, c)).sort();
  const customControls = names.length === 0
    ? ['  <CustomControls />']
    : [
      '  <CustomControls>',
      ...names.flatMap((name) => [
        '    <CustomControl>',
        `      ${textElement('Name', name)}`,
        `      ${textElement('FileName', `/${controlManifestPath(name)}`)}`,
        '    </CustomControl>',
      ]),
      '  </CustomControls>',
    ];
  return platformFile([
    XML_DECLARATION,
    '<ImportExportXml xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    '  <Entities />',
    '  <Roles />',
    '  <Workflows />',
    '  <FieldSecurityProfiles />',
    '  <Templates />',
    '  <EntityMaps />',
    '  <EntityRelationships />',
    '  <OrganizationSettings />',
    '  <optionsets />',
    ...customControls,
    '  <SolutionPluginAssemblies />',
    '  <EntityDataProviders />',
    '  <Languages>',
    `    ${textElement('Language', solution.baseLanguage)}`,
    '  </Languages>',
    '</ImportExportXml>',
  ]);
}
