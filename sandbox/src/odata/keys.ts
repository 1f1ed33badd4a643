// Key segments: `(dataAreaId='usmf',CustomerAccount='O''Brien')`, `(5637144576)` or `(guid)`.
// The caller percent-decodes the path first; quotes inside values are doubled as OData requires.
import { ODataSyntaxError } from './filter';

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function readValue(inner: string, i: number): { value: string | number; end: number } {
  if (inner[i] === "'") {
    let value = '';
    let j = i + 1;
    for (;;) {
      if (j >= inner.length) throw new ODataSyntaxError(`Unterminated string in key segment starting at position ${i}: a quote inside a value is written ''.`);
      if (inner[j] === "'") {
        if (inner[j + 1] === "'") { value += "'"; j += 2; continue; }
        return { value, end: j + 1 };
      }
      value += inner[j++];
    }
  }
  let j = i;
  while (j < inner.length && inner[j] !== ',') j++;
  const raw = inner.slice(i, j).trim();
  if (GUID_RE.test(raw)) return { value: raw.toLowerCase(), end: j };
  if (/^-?\d+(\.\d+)?$/.test(raw)) return { value: Number(raw), end: j };
  throw new ODataSyntaxError(`Invalid key value '${raw}' at position ${i}: strings must be quoted ('value'), numbers and GUIDs unquoted.`);
}

/** Returns the named key values; a single unnamed key comes back under ''. */
export function parseKeySegment(inner: string): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (inner.trim() === '') throw new ODataSyntaxError('The key segment is empty: give every key field, e.g. (dataAreaId=\'usmf\',CustomerAccount=\'US-001\').');
  let i = 0;
  const unnamed = /^\s*('|-?\d|[0-9a-fA-F]{8}-)/.test(inner) && !/^\s*[A-Za-z_]\w*\s*=/.test(inner);
  if (unnamed) {
    const { value, end } = readValue(inner, inner.search(/\S/));
    if (inner.slice(end).trim() !== '') throw new ODataSyntaxError(`Unexpected text after the key value: '${inner.slice(end)}'. Use named keys when the entity has several.`);
    out[''] = value;
    return out;
  }
  while (i < inner.length) {
    const m = /^\s*([A-Za-z_]\w*)\s*=\s*/.exec(inner.slice(i));
    if (!m) throw new ODataSyntaxError(`Expected Name=value at position ${i} of the key segment '${inner}'.`);
    const name = m[1];
    if (name in out) throw new ODataSyntaxError(`The key field '${name}' is given twice.`);
    i += m[0].length;
    const { value, end } = readValue(inner, i);
    out[name] = value;
    i = end;
    while (inner[i] === ' ') i++;
    if (i < inner.length) {
      if (inner[i] !== ',') throw new ODataSyntaxError(`Expected ',' between key fields at position ${i} of '${inner}'.`);
      i++;
      if (inner.slice(i).trim() === '') throw new ODataSyntaxError('The key segment ends with a comma: remove it or add the missing key field.');
    }
  }
  return out;
}

/** Writes a key segment (without parentheses), doubling quotes: for nextLinks, Location headers and tests. */
export function formatKeySegment(keys: Record<string, string | number>): string {
  return Object.entries(keys)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`}`)
    .join(',');
}
