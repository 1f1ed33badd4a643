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
  return { namespace: a.get('namespace')!, constructorName: a.get('constructor')!, version: a.get('version')!, resourcePaths };
}
