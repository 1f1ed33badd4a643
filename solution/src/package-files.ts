// Lays out every file of the solution zip, in the order pac writes them: customizations.xml,
// solution.xml, each control's folder, then environment variable definitions, [Content_Types].xml last.
import { controlComponentName, type SolutionDescription } from './description';
import { contentTypesXml } from './content-types-xml';
import { customizationsXml } from './customizations-xml';
import { environmentVariableDefinitionPath, environmentVariableDefinitionXml } from './environment-variable-xml';
import { ordinal } from './read-controls';
import { solutionXml } from './solution-xml';
import type { ZipEntry } from './zip';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

export function packageFiles(solution: SolutionDescription): ZipEntry[] {
  const controls = [...solution.controls]
    .map((c) => ({ name: controlComponentName(solution.publisher.prefix, c), control: c }))
    .sort((a, b) => ordinal(a.name, b.name));
  const entries: ZipEntry[] = [
    { path: 'customizations.xml', data: utf8(customizationsXml(solution)) },
    { path: 'solution.xml', data: utf8(solutionXml(solution)) },
    ...controls.flatMap(({ name, control }) =>
      [...control.files].sort((a, b) => ordinal(a.path, b.path)).map((f) => ({ path: `Controls/${name}/${f.path}`, data: f.data }))),
    ...[...solution.environmentVariables]
      .sort((a, b) => ordinal(a.schemaName, b.schemaName))
      .map((v) => ({ path: environmentVariableDefinitionPath(v.schemaName), data: utf8(environmentVariableDefinitionXml(v)) })),
  ];
  entries.push({ path: '[Content_Types].xml', data: utf8(contentTypesXml(entries.map((e) => e.path))) });
  return entries;
}

export function packageFileName(solution: Pick<SolutionDescription, 'uniqueName' | 'version' | 'managed'>): string {
  return `${solution.uniqueName}_${solution.version}${solution.managed ? '_managed' : ''}.zip`;
}
