// Text helpers shared by every XML document of the package. One place escapes, so no document can
// forget to.

/** Escapes a value for element text or a double-quoted attribute. */
export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** `name="value"` pairs, escaped, in the order given (the platform's own files keep a fixed order). */
export function attrs(pairs: ReadonlyArray<readonly [string, string | number]>): string {
  return pairs.map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`).join('');
}

/** `<name>text</name>`, escaped. */
export function textElement(name: string, value: string | number): string {
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

const BOM = '\uFEFF';
export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

/**
 * The files pac and Dataverse write (solution.xml, customizations.xml, [Content_Types].xml) start with a
 * UTF-8 byte order mark and use CRLF line ends; imitate them byte for byte in form.
 */
export function platformFile(lines: readonly string[]): string {
  return BOM + lines.join('\r\n');
}
