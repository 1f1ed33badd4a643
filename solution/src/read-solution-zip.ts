// Reads a solution zip and returns what it declares: the part of a solution import that needs no
// Dataverse (the sandbox's ImportSolution uses it). It accepts what pac and this builder write;
// anything inconsistent is reported as SolutionPackageError with what is wrong and where.
import { unzipSync } from 'fflate';
import { parseControlManifest, readAttributes } from './control-manifest';
import { COMPONENT_TYPE, type EnvironmentVariableType } from './description';
import { ENVIRONMENT_VARIABLE_TYPE_CODE } from './environment-variable-xml';
import { descriptionsWithApostrophe, manifestSchemaErrors, resxStrings } from './manifest-checks';

export class SolutionPackageError extends Error {
  override name = 'SolutionPackageError';
}

export interface DeclaredControl {
  /** `<prefix>_<namespace>.<constructor>` */
  name: string;
  namespace: string;
  constructorName: string;
  version: string;
  manifestPath: string;
  /** Every file of the control folder, relative to it. */
  files: string[];
}

export interface DeclaredEnvironmentVariable {
  schemaName: string;
  displayName: string;
  type: EnvironmentVariableType;
  defaultValue: string | null;
  isRequired: boolean;
}

export interface DeclaredSolution {
  uniqueName: string;
  displayName: string;
  version: string;
  managed: boolean;
  publisher: { uniqueName: string; prefix: string };
  rootComponents: Array<{ type: number; schemaName: string }>;
  controls: DeclaredControl[];
  environmentVariables: DeclaredEnvironmentVariable[];
}

function unescape(value: string): string {
  return value
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

/** Text of the first `<name>` inside `xml`; undefined when absent, '' when empty or nil. */
function elementText(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}(\\s[^>]*)?(?:/>|>([\\s\\S]*?)</${name}>)`).exec(xml);
  if (!m) return undefined;
  return unescape((m[2] ?? '').trim());
}

function required(xml: string, name: string, file: string): string {
  const value = elementText(xml, name);
  if (!value) throw new SolutionPackageError(`${file} has no <${name}>: the package is not a valid solution.`);
  return value;
}

const TYPE_BY_CODE = new Map(Object.entries(ENVIRONMENT_VARIABLE_TYPE_CODE).map(([k, v]) => [v, k as EnvironmentVariableType]));

/** Upper bound on what a package may unpack to; a small zip must not be able to exhaust memory. */
export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024;

export function readSolutionZip(bytes: Uint8Array, options: { maxUncompressedBytes?: number } = {}): DeclaredSolution {
  const limit = options.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES;
  let total = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (file) => {
        total += file.originalSize;
        if (total > limit) throw new SolutionPackageError(`The package unpacks to more than ${limit} bytes; a solution package is far smaller. Check that this is the right file.`);
        return true;
      },
    });
  } catch (error) {
    if (error instanceof SolutionPackageError) throw error;
    throw new SolutionPackageError(`The file is not a readable zip (${error instanceof Error ? error.message : String(error)}): export or build the solution again.`);
  }
  const decoder = new TextDecoder();
  // Paths are matched case-insensitively, as the platform does (pac writes solution.xml, some tools Solution.xml).
  const byLowerPath = new Map(Object.keys(entries).map((p) => [p.toLowerCase(), p]));
  const read = (path: string): string | undefined => {
    const actual = byLowerPath.get(path.toLowerCase());
    return actual === undefined ? undefined : decoder.decode(entries[actual]).replace(/^\uFEFF/, '');
  };
  for (const file of ['solution.xml', 'customizations.xml', '[Content_Types].xml']) {
    if (read(file) === undefined) throw new SolutionPackageError(`The zip has no ${file} at its root: it is not a Dataverse solution package.`);
  }

  const solution = read('solution.xml')!;
  const manifest = /<SolutionManifest>([\s\S]*)<\/SolutionManifest>/.exec(solution)?.[1];
  if (!manifest) throw new SolutionPackageError('solution.xml has no <SolutionManifest>: the package is not a valid solution.');
  const publisherXml = /<Publisher>([\s\S]*?)<\/Publisher>/.exec(manifest)?.[1] ?? '';
  const withoutPublisher = manifest.replace(/<Publisher>[\s\S]*?<\/Publisher>/, '');
  const managedFlag = required(withoutPublisher, 'Managed', 'solution.xml');
  if (managedFlag !== '0' && managedFlag !== '1') {
    throw new SolutionPackageError(`solution.xml says <Managed>${managedFlag}</Managed>; an importable package is 0 (unmanaged) or 1 (managed).`);
  }
  const publisherPrefix = required(publisherXml, 'CustomizationPrefix', 'solution.xml <Publisher>');
  const version = required(withoutPublisher, 'Version', 'solution.xml');
  if (!/^\d+(\.\d+){1,3}$/.test(version)) {
    throw new SolutionPackageError(`solution.xml has <Version>${version}</Version>; a solution version is two to four numbers, major.minor[.build[.revision]], such as 1.0.0.0.`);
  }
  const rootComponents = [...manifest.matchAll(/<RootComponent\b([^>]*?)\/?>/g)].map((m) => {
    const a = readAttributes(m[1]);
    return { type: Number(a.get('type')), schemaName: a.get('schemaName') ?? a.get('id') ?? '' };
  });

  const customizations = read('customizations.xml')!;
  const controls = [...customizations.matchAll(/<CustomControl>([\s\S]*?)<\/CustomControl>/g)].map((m): DeclaredControl => {
    const name = required(m[1], 'Name', 'customizations.xml');
    const manifestPath = (elementText(m[1], 'FileName') ?? `/Controls/${name}/ControlManifest.xml`).replace(/^\//, '');
    const manifestXml = read(manifestPath);
    if (manifestXml === undefined) {
      throw new SolutionPackageError(`customizations.xml lists control ${name} at /${manifestPath}, but the zip has no such file.`);
    }
    const folder = manifestPath.slice(0, manifestPath.lastIndexOf('/') + 1);
    const files = Object.keys(entries).filter((p) => p.startsWith(folder)).map((p) => p.slice(folder.length)).sort();
    let parsed: ReturnType<typeof parseControlManifest>;
    try {
      parsed = parseControlManifest(manifestXml, manifestPath);
    } catch (error) {
      throw new SolutionPackageError(`Control ${name} has an unusable manifest: ${error instanceof Error ? error.message : String(error)}`);
    }
    const missing = parsed.resourcePaths.filter((p) => !files.includes(p));
    if (missing.length > 0) throw new SolutionPackageError(`${manifestPath} names ${missing.join(', ')}, which the zip does not contain.`);
    if (!name.startsWith(`${publisherPrefix}_`)) {
      throw new SolutionPackageError(`Publisher prefix of control ${name} does not match the prefix ${publisherPrefix} of the solution's publisher: name it ${publisherPrefix}_${parsed.namespace}.${parsed.constructorName}.`);
    }
    const schemaErrors = manifestSchemaErrors(manifestXml);
    if (schemaErrors.length > 0) {
      throw new SolutionPackageError(`${manifestPath} is not valid against the control manifest schema: ${schemaErrors.slice(0, 5).join('; ')}.`);
    }
    const baseResx = parsed.resourcePaths.find((p) => /\.1033\.resx$/i.test(p)) ?? parsed.resourcePaths.find((p) => p.endsWith('.resx'));
    const resx = baseResx === undefined ? undefined : read(folder + baseResx);
    const apostrophes = descriptionsWithApostrophe(manifestXml, resx === undefined ? new Map() : resxStrings(resx));
    if (apostrophes.length > 0) {
      throw new SolutionPackageError(`Control ${name} has a description with an apostrophe, which the import refuses: ${apostrophes.join('; ')}. Reword the text.`);
    }
    return { name, namespace: parsed.namespace, constructorName: parsed.constructorName, version: parsed.version, manifestPath, files };
  });

  const environmentVariables = Object.keys(entries)
    .filter((p) => /^environmentvariabledefinitions\/[^/]+\/environmentvariabledefinition\.xml$/i.test(p))
    .sort()
    .map((path): DeclaredEnvironmentVariable => {
      const xml = read(path)!;
      const schemaName = readAttributes(/<environmentvariabledefinition\b([^>]*)>/.exec(xml)?.[1] ?? '').get('schemaname');
      if (!schemaName) throw new SolutionPackageError(`${path} has no schemaname attribute on <environmentvariabledefinition>.`);
      const code = Number(required(xml, 'type', path));
      const type = TYPE_BY_CODE.get(code);
      if (!type) throw new SolutionPackageError(`${path} has type ${code}, which is not an environment variable type (100000000 to 100000005).`);
      const displayXml = /<displayname\b([^>]*)>/.exec(xml);
      return {
        schemaName,
        displayName: readAttributes(displayXml?.[1] ?? '').get('default') ?? schemaName,
        type,
        defaultValue: elementText(xml, 'defaultvalue') ?? null,
        isRequired: elementText(xml, 'isrequired') === '1',
      };
    });

  // Every declared control and variable must be a root component, or import leaves it out silently.
  const roots = new Set(rootComponents.map((r) => `${r.type}:${r.schemaName}`));
  for (const c of controls) {
    if (!roots.has(`${COMPONENT_TYPE.customControl}:${c.name}`)) {
      throw new SolutionPackageError(`Control ${c.name} is in customizations.xml but not among the RootComponents of solution.xml (type 66).`);
    }
  }
  for (const v of environmentVariables) {
    if (!roots.has(`${COMPONENT_TYPE.environmentVariableDefinition}:${v.schemaName}`)) {
      throw new SolutionPackageError(`Environment variable ${v.schemaName} has a definition file but is not among the RootComponents of solution.xml (type 380).`);
    }
  }

  return {
    uniqueName: required(withoutPublisher, 'UniqueName', 'solution.xml'),
    displayName: readAttributes(/<LocalizedName\b([^>]*?)\/?>/.exec(withoutPublisher)?.[1] ?? '').get('description') ?? '',
    version,
    managed: managedFlag === '1',
    publisher: { uniqueName: required(publisherXml, 'UniqueName', 'solution.xml <Publisher>'), prefix: publisherPrefix },
    rootComponents,
    controls,
    environmentVariables,
  };
}
