// Reads what the package needs from a built ControlManifest.xml. pac copies the manifest that
// pcf-scripts wrote into the solution unchanged; what distinguishes it from the hand-written
// ControlManifest.Input.xml is that the build stamped `<built-by name="pac" .../>` and the api-version
// and renamed the code resource to bundle.js. An input manifest here means the controls were not built.

export interface ParsedControlManifest {
  namespace: string;
  constructorName: string;
  version: string;
  /** Paths of every file resource the manifest names (code, css, resx, img, html). */
  resourcePaths: string[];
  /** `<dependency>` resources: other controls (library controls) this one loads, by component name. */
  dependencies: ControlDependency[];
}

export interface ControlDependency {
  type: string;
  /** The library control's component name, `<prefix>_<namespace>.<constructor>`. */
  name: string;
  /** `onDemand`: loaded by the control through context.utils.loadDependency; absent: loaded with the control. */
  loadType?: string;
}

/** The `<dependency>` elements of a manifest's resources. */
export function controlDependencies(xml: string): ControlDependency[] {
  return [...xml.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<dependency\b([^>]*?)\/?>/g)].map((m) => {
    const a = readAttributes(m[1]);
    return { type: a.get('type') ?? '', name: a.get('name') ?? '', ...(a.has('load-type') ? { loadType: a.get('load-type') } : {}) };
  });
}

function unescape(value: string): string {
  return value
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

// A Map, not an object: a manifest attribute named `constructor` must not meet Object.prototype.
export function readAttributes(tagBody: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const m of tagBody.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    result.set(m[1], unescape(m[2] ?? m[3] ?? ''));
  }
  return result;
}

export function parseControlManifest(xml: string, source: string): ParsedControlManifest {
  const control = /<control\b([^>]*)>/.exec(xml);
  if (!control) throw new Error(`${source} has no <control> element: it is not a PCF control manifest.`);
  const a = readAttributes(control[1]);
  for (const name of ['namespace', 'constructor', 'version'] as const) {
    if (!a.get(name)) throw new Error(`${source}: the <control> element has no ${name} attribute; fix ControlManifest.Input.xml and rebuild the controls.`);
  }
  if (!/<built-by\b/.test(xml)) {
    throw new Error(`${source} has no <built-by> element: this is not a manifest produced by pcf-scripts. Run \`npm run build -w controls\` first.`);
  }
  const resourcePaths: string[] = [];
  for (const m of xml.matchAll(/<(code|css|resx|img|html)\b([^>]*?)\/?>/g)) {
    const path = readAttributes(m[2]).get('path');
    if (path) resourcePaths.push(path);
  }
  if (!resourcePaths.some((p) => p === 'bundle.js')) {
    throw new Error(`${source} names no bundle.js code resource: this is not a manifest produced by pcf-scripts. Run \`npm run build -w controls\` first.`);
  }
  return { namespace: a.get('namespace')!, constructorName: a.get('constructor')!, version: a.get('version')!, resourcePaths, dependencies: controlDependencies(xml) };
}

/** The host part of the bridge's address: what a manifest's `<domain>` names. */
export function bridgeDomain(bridgeUrl: string): string {
  let url: URL;
  try {
    url = new URL(bridgeUrl);
  } catch {
    throw new Error(`The bridge address "${bridgeUrl}" is not an absolute URL: give the bridge's public address, such as https://bridge.contoso.com.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`The bridge address "${bridgeUrl}" is not an http(s) URL: give the bridge's public address, such as https://bridge.contoso.com.`);
  }
  return url.hostname;
}

const xmlText = (v: string): string => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The controls call the bridge from the browser, so their manifest must say so: `enabled="true"` with the
 * bridge's domain, as Microsoft's manifest schema describes external-service-usage (such a control is a
 * premium component). Replaces whatever external-service-usage element the build wrote, or adds one as the
 * control's first child (its place in the schema's sequence).
 */
export function declareExternalService(xml: string, domains: readonly string[]): string {
  const indent = /\n([ \t]*)<(?:external-service-usage|property|data-set|type-group|resources)\b/.exec(xml)?.[1] ?? '    ';
  const element = [
    `<external-service-usage enabled="true">`,
    ...domains.map((d) => `${indent}  <domain>${xmlText(d)}</domain>`),
    `${indent}</external-service-usage>`,
  ].join('\n');
  const existing = /<external-service-usage\b[^>]*?(?:\/>|>[\s\S]*?<\/external-service-usage>)/;
  if (existing.test(xml)) return xml.replace(existing, element);
  return xml.replace(/(<control\b[^>]*>)/, `$1\n${indent}${element}`);
}

/** Sets the version attribute of `<control>`: the version the platform compares to decide whether to serve the new bundle. */
export function stampControlVersion(xml: string, version: string): string {
  return xml.replace(/(<control\b[^>]*?\sversion\s*=\s*)(?:"[^"]*"|'[^']*')/, `$1"${version}"`);
}

/** `enabled` and the domains of external-service-usage, as the manifest declares them (`declared`: the element is there). */
export function externalServiceUsage(xml: string): { declared: boolean; enabled: boolean; domains: string[] } {
  const m = /<external-service-usage\b([^>]*?)(?:\/>|>([\s\S]*?)<\/external-service-usage>)/.exec(xml);
  if (!m) return { declared: false, enabled: false, domains: [] };
  const domains = [...(m[2] ?? '').matchAll(/<domain>([^<]*)<\/domain>/g)].map((d) => unescape(d[1].trim()));
  return { declared: true, enabled: readAttributes(m[1]).get('enabled') === 'true', domains };
}
