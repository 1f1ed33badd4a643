// The shape of what a solution package declares. The XML writers take these objects and nothing
// else, so they stay pure and testable without a file system.

/** A label in one language (LCID: 1033 English, 1043 Dutch, 1053 Swedish). */
export interface Label {
  languageCode: number;
  text: string;
}

export interface Publisher {
  uniqueName: string;
  /** Label texts; the first one is the default. */
  displayNames: Label[];
  descriptions: Label[];
  /** Customization prefix, e.g. `fob`: every component name starts with `<prefix>_`. */
  prefix: string;
  /** Option value prefix (10000-99999), derived once for the publisher and kept forever. */
  optionValuePrefix: number;
}

/** A built PCF control as pcf-scripts leaves it in out/controls/<folder>/. */
export interface ControlComponent {
  namespace: string;
  constructorName: string;
  /** Version from the manifest (informational: the platform reads it from ControlManifest.xml). */
  version: string;
  /** Files of the control folder, relative paths with `/`, each with its bytes. */
  files: ReadonlyArray<{ path: string; data: Uint8Array }>;
}

export type EnvironmentVariableType = 'String' | 'Number' | 'Boolean' | 'JSON' | 'DataSource' | 'Secret';

export interface EnvironmentVariableDefinition {
  /** Schema name, prefixed with the publisher's prefix (e.g. `fob_BridgeUrl`). */
  schemaName: string;
  displayNames: Label[];
  descriptions: Label[];
  type: EnvironmentVariableType;
  defaultValue?: string;
  /** Solution version that introduced the variable; never changes afterwards. */
  introducedVersion: string;
  isRequired: boolean;
}

export interface SolutionDescription {
  uniqueName: string;
  displayNames: Label[];
  descriptions: Label[];
  /** Four-part version, e.g. `0.1.0.0`. */
  version: string;
  managed: boolean;
  publisher: Publisher;
  controls: ControlComponent[];
  environmentVariables: EnvironmentVariableDefinition[];
  /** Base language of the solution (LCID). */
  baseLanguage: number;
}

/** Solution component type codes (Dataverse `solutioncomponent.componenttype`). */
export const COMPONENT_TYPE = { customControl: 66, environmentVariableDefinition: 380 } as const;

/** The name Dataverse gives a control component: `<prefix>_<namespace>.<constructor>`. */
export function controlComponentName(prefix: string, control: Pick<ControlComponent, 'namespace' | 'constructorName'>): string {
  return `${prefix}_${control.namespace}.${control.constructorName}`;
}
