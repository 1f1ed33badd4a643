// The checks a real solution import makes on a control's manifest, as far as Microsoft documents them or
// they have been seen to refuse a package: the manifest must be valid against Microsoft's manifest schema
// (pcf-scripts ships it as ManifestSchema.json, the JSON form of the manifest XSD, and validates input
// manifests with it; the import applies the same schema to the packaged one), the control's name must carry
// the solution publisher's prefix ("Publisher prefix X for this control does not match the prefix Y"), and
// a description text must not contain an apostrophe (refused by the import, not by pcf-scripts).
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validate, type Schema } from 'jsonschema';

const controlsDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'controls');
let schema: Schema | undefined;

/** Microsoft's manifest schema, from the pcf-scripts the controls are built with. */
function manifestSchema(): Schema {
  if (!schema) {
    const require = createRequire(join(controlsDir, 'package.json'));
    schema = require('pcf-scripts/ManifestSchema.json') as Schema;
  }
  return schema;
}

type XmlNode = { [name: string]: unknown };

/**
 * Parses XML into the shape pcf-scripts validates (xml2js defaults: attributes under `$`, every child
 * element in an array, an element with text only as its string). Enough for control manifests: elements,
 * attributes, text; comments, processing instructions and CDATA-free.
 */
export function manifestToJson(xml: string): XmlNode {
  const source = xml.replace(/^\uFEFF/, '').replace(/<\?[\s\S]*?\?>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  const root: XmlNode = {};
  const stack: Array<{ name: string; node: XmlNode; text: string; parent: XmlNode }> = [];
  const attrs = (body: string): Record<string, string> | undefined => {
    const found: Record<string, string> = {};
    for (const m of body.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) found[m[1]] = decode(m[2] ?? m[3] ?? '');
    return Object.keys(found).length ? found : undefined;
  };
  const attach = (parent: XmlNode, name: string, value: unknown) => {
    const list = (parent[name] as unknown[] | undefined) ?? [];
    list.push(value);
    parent[name] = list;
  };
  const finish = (entry: { name: string; node: XmlNode; text: string; parent: XmlNode }) => {
    const text = entry.text.trim();
    const hasContent = Object.keys(entry.node).length > 0;
    // An empty element is an empty object (xml2js would give ''): `<feature-usage />` in pac-built manifests.
    const value = hasContent ? (text ? { ...entry.node, _: text } : entry.node) : text || {};
    if (entry.parent === root) root[entry.name] = value;
    else attach(entry.parent, entry.name, value);
  };
  let pos = 0;
  for (const m of source.matchAll(/<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g)) {
    if (stack.length) stack[stack.length - 1].text += decode(source.slice(pos, m.index));
    pos = m.index + m[0].length;
    const [, closing, name, body, selfClosing] = m;
    if (closing) {
      const entry = stack.pop();
      if (!entry || entry.name !== name) throw new Error(`</${name}> does not close the open element${entry ? ` <${entry.name}>` : ''}: the manifest is not well-formed XML.`);
      finish(entry);
      continue;
    }
    const node: XmlNode = {};
    const a = attrs(body);
    if (a) node.$ = a;
    const entry = { name, node, text: '', parent: stack.length ? stack[stack.length - 1].node : root };
    if (selfClosing) finish(entry);
    else stack.push(entry);
  }
  if (stack.length) throw new Error(`<${stack[stack.length - 1].name}> is never closed: the manifest is not well-formed XML.`);
  return root;
}

function decode(v: string): string {
  return v.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/**
 * Schema errors of a packaged manifest. The schema describes the manifest as written (ControlManifest.Input.xml);
 * the build adds `built-by` and points the code resource at bundle.js instead of index.ts, so those two are
 * undone before validating.
 */
export function manifestSchemaErrors(xml: string): string[] {
  let parsed: XmlNode;
  try {
    parsed = manifestToJson(xml);
  } catch (e) {
    return [(e as Error).message];
  }
  const manifest = (parsed.manifest ?? {}) as XmlNode;
  const controls = (manifest.control ?? []) as XmlNode[];
  const asWritten = { ...parsed, manifest: { ...manifest, control: controls.map(({ 'built-by': _builtBy, ...rest }) => ({ ...rest, resources: sourceCode(rest.resources) })) } };
  return validate(asWritten, manifestSchema()).errors.map((e) => e.stack.replace(/^instance\./, ''));
}

function sourceCode(resources: unknown): unknown {
  if (!Array.isArray(resources)) return resources;
  return resources.map((r: XmlNode) => ({
    ...r,
    ...(Array.isArray(r.code) ? { code: (r.code as XmlNode[]).map((c) => ({ ...c, $: { ...(c.$ as object), path: String((c.$ as { path?: string } | undefined)?.path ?? '').replace(/^bundle\.js$/, 'index.ts') } })) } : {}),
  }));
}

/** The texts of description keys (of the control and its properties) that hold an apostrophe. */
export function descriptionsWithApostrophe(xml: string, strings: ReadonlyMap<string, string>): string[] {
  const keys = [...xml.matchAll(/\bdescription-key\s*=\s*"([^"]*)"/g)].map((m) => decode(m[1]));
  return keys.filter((k) => (strings.get(k) ?? k).includes("'")).map((k) => `${k}: "${strings.get(k) ?? k}"`);
}

/** name → value of a .resx file. */
export function resxStrings(resx: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of resx.matchAll(/<data\b[^>]*\bname="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g)) out.set(decode(m[1]), decode(m[2]));
  return out;
}
