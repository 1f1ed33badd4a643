// environmentvariabledefinitions/<schemaname>/environmentvariabledefinition.xml, shaped like the files
// Dataverse exports (see test/fixtures/real/reference/solution/microsoft-coe-starter-kit-envvars): no XML
// declaration, elements in the platform's (alphabetical) order, one label per language.
import type { EnvironmentVariableDefinition, EnvironmentVariableType, Label } from './description';
import { attrs, textElement } from './xml';

export const ENVIRONMENT_VARIABLE_TYPE_CODE: Record<EnvironmentVariableType, number> = {
  String: 100000000,
  Number: 100000001,
  Boolean: 100000002,
  JSON: 100000003,
  DataSource: 100000004,
  Secret: 100000005,
};

export function environmentVariableDefinitionPath(schemaName: string): string {
  return `environmentvariabledefinitions/${schemaName}/environmentvariabledefinition.xml`;
}

function labelled(element: string, labels: Label[]): string[] {
  if (labels.length === 0) throw new Error(`environment variable ${element} needs at least one label`);
  return [
    `  <${element}${attrs([['default', labels[0].text]])}>`,
    ...labels.map((l) => `    <label${attrs([['description', l.text], ['languagecode', l.languageCode]])} />`),
    `  </${element}>`,
  ];
}

export function environmentVariableDefinitionXml(def: EnvironmentVariableDefinition): string {
  const lines = [
    `<environmentvariabledefinition${attrs([['schemaname', def.schemaName]])}>`,
    ...(def.defaultValue === undefined ? [] : [`  ${textElement('defaultvalue', def.defaultValue)}`]),
    ...labelled('description', def.descriptions),
    ...labelled('displayname', def.displayNames),
    `  ${textElement('introducedversion', def.introducedVersion)}`,
    `  ${textElement('iscustomizable', 1)}`,
    `  ${textElement('isrequired', def.isRequired ? 1 : 0)}`,
    // 0: the value lives in Dataverse, not in Azure Key Vault (only Secret-typed variables use 1).
    `  ${textElement('secretstore', def.type === 'Secret' ? 1 : 0)}`,
    `  ${textElement('type', ENVIRONMENT_VARIABLE_TYPE_CODE[def.type])}`,
    '</environmentvariabledefinition>',
  ];
  return lines.join('\n');
}
