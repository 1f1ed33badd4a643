// [Content_Types].xml as pac writes it (test/fixtures/real/reference/solution/ydgs-.../zip-managed): one Default per
// file extension in order of first appearance in the zip, xml as text/xml and everything else as
// application/octet-stream; control files are octet-stream too, so each .xml inside Controls/ (the
// ControlManifest.xml) gets an Override. A single line, like the original.
import { XML_DECLARATION, attrs, platformFile } from './xml';

const OCTET = 'application/octet-stream';

export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

function defaultType(extension: string): string {
  return extension === 'xml' ? 'text/xml' : OCTET;
}

/** `paths`: every zip entry except [Content_Types].xml itself, in zip order. */
export function contentTypesXml(paths: readonly string[]): string {
  const extensions: string[] = [];
  for (const path of paths) {
    const ext = extensionOf(path);
    if (ext === '') throw new Error(`"${path}" has no file extension, so [Content_Types].xml cannot declare its type; rename the file.`);
    if (!extensions.includes(ext)) extensions.push(ext);
  }
  const overrides = paths.filter((p) => p.startsWith('Controls/') && defaultType(extensionOf(p)) !== OCTET);
  const body = '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    extensions.map((e) => `<Default${attrs([['Extension', e], ['ContentType', defaultType(e)]])} />`).join('') +
    overrides.map((p) => `<Override${attrs([['PartName', `/${p}`], ['ContentType', OCTET]])} />`).join('') +
    '</Types>';
  return platformFile([XML_DECLARATION + body]);
}
