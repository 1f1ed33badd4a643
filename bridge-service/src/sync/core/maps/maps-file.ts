// The admin's maps file (SYNC_MAPS_FILE, YAML): changes to the shipped maps without changing code, as dual-write
// lets admins add columns. Per map: extra field mappings (with a value map or a default), the legal entities it is
// limited to, and its source filters. The result passes the same checks as the shipped maps, and every problem
// names the file's line. Pure: takes the text, returns the maps.
//
//   customers-accounts:
//     legalEntities: [usmf, nlmf]
//     fields:
//       - { fno: SalesMemo, dataverse: description, dir: "=" }
//       - fno: CustomerType
//         dataverse: customertypecode
//         dir: ">"
//         values: [{ fno: Organization, dataverse: 3 }]
//     filters:
//       fno: [{ field: PartyType, op: eq, value: Organization }]
import { LineCounter, isMap, isNode, isScalar, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { fieldId, type FieldMapping, type FilterCondition, type TableMap } from './types';
import { fieldLabel, validateMaps } from './validate';

export interface MapsFileProblem { line: number | null; message: string }

export class MapsFileError extends Error {
  constructor(readonly file: string, readonly problems: MapsFileProblem[]) {
    super(`${problems.length} problem(s) in the maps file ${file}:\n${problems.map((p) => `- ${p.line ? `line ${p.line}: ` : ''}${p.message}`).join('\n')}`);
    this.name = 'MapsFileError';
  }
}

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const Name = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a field or column name (letters, digits, _)');
const Field = z.strictObject({
  fno: Name.nullable().default(null),
  dataverse: Name.nullable().default(null),
  dir: z.enum(['=', '>', '<'], { error: 'dir is one of "=" (both ways), ">" (F&O to Dataverse), "<" (Dataverse to F&O)' }),
  default: Scalar.optional(),
  required: z.boolean().optional(),
  values: z.array(z.strictObject({ fno: z.union([z.string(), z.number()]), dataverse: Scalar })).min(1).optional(),
}).refine((f) => f.fno !== null || f.dataverse !== null, 'a field names its F&O field, its Dataverse column, or both');
const Filter = z.strictObject({ field: Name, op: z.enum(['eq', 'ne']), value: Scalar.nullable() });
const MapChange = z.strictObject({
  fields: z.array(Field).optional(),
  legalEntities: z.union([z.literal('all'), z.array(z.string().min(1)).min(1)]).optional(),
  filters: z.strictObject({ fno: z.array(Filter).optional(), dataverse: z.array(Filter).optional() }).optional(),
});
const FileShape = z.record(z.string(), MapChange);
type FileShape = z.infer<typeof FileShape>;

/** The line (1-based) of the node at `path`, or of its nearest ancestor that exists. */
function lineOf(doc: Document, lines: LineCounter, path: readonly PropertyKey[]): number | null {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as (string | number)[], true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return null;
}

/** The line of a top-level key (a map's name), not of its value. */
function lineOfKey(doc: Document, lines: LineCounter, name: string): number | null {
  if (!isMap(doc.contents)) return null;
  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === name);
  return isScalar(pair?.key) && pair.key.range ? lines.linePos(pair.key.range[0]).line : null;
}

function toField(f: z.infer<typeof Field>): FieldMapping {
  return {
    fno: f.fno, dataverse: f.dataverse, dir: f.dir,
    ...(f.default !== undefined ? { default: f.default } : {}),
    ...(f.required !== undefined ? { required: f.required } : {}),
    ...(f.values ? { transform: { kind: 'valueMap' as const, pairs: f.values } } : {}),
  };
}

function toFilters(list: z.infer<typeof Filter>[]): FilterCondition[] {
  return list.map((c) => ({ field: c.field, op: c.op, value: c.value }));
}

/**
 * The shipped maps with the file's changes applied. An added field replaces a shipped one with the same F&O field and
 * Dataverse column (so a direction or value map can be changed), else it is appended. Throws MapsFileError.
 */
export function applyMapsFile(text: string, file: string, shipped: readonly TableMap[]): TableMap[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    throw new MapsFileError(file, doc.errors.map((e) => ({ line: lines.linePos(e.pos[0]).line, message: e.message.split('\n')[0] })));
  }
  const raw = doc.toJS() as unknown;
  const parsed = FileShape.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new MapsFileError(file, parsed.error.issues.map((i) => ({ line: lineOf(doc, lines, i.path), message: `${i.path.map(String).join('.') || '(top)'}: ${i.message}` })));
  }
  const changes: FileShape = parsed.data;
  const problems: MapsFileProblem[] = [];
  const byName = new Map(shipped.map((m) => [m.name, m]));
  for (const name of Object.keys(changes)) {
    if (!byName.has(name)) problems.push({ line: lineOfKey(doc, lines, name), message: `no map is named '${name}' (known: ${[...byName.keys()].join(', ')})` });
  }
  if (problems.length) throw new MapsFileError(file, problems);

  const result = shipped.map((map) => {
    const c = changes[map.name];
    if (!c) return map;
    let fields = [...map.fields];
    for (const f of (c.fields ?? []).map(toField)) {
      const at = fields.findIndex((x) => fieldId(x) === fieldId(f));
      if (at >= 0) fields[at] = { ...f, ...(fields[at].key ? { key: true } : {}), transform: f.transform ?? fields[at].transform };
      else fields = [...fields, f];
    }
    return {
      ...map, fields,
      ...(c.legalEntities ? { legalEntities: c.legalEntities === 'all' ? 'all' as const : c.legalEntities.map((e) => e.toLowerCase()) } : {}),
      ...(c.filters ? { filters: { ...map.filters, ...(c.filters.fno ? { fno: toFilters(c.filters.fno) } : {}), ...(c.filters.dataverse ? { dataverse: toFilters(c.filters.dataverse) } : {}) } } : {}),
    };
  });

  // The same checks as the shipped maps, each problem placed at the file's line that caused it.
  for (const p of validateMaps(result)) {
    const c = changes[p.map];
    if (!c) {
      problems.push({ line: null, message: `map '${p.map}'${p.field ? `, field ${p.field}` : ''}: ${p.message}` });
      continue;
    }
    const index = p.field ? (c.fields ?? []).findIndex((f) => fieldLabel(toField(f)) === p.field) : -1;
    const line = index >= 0 ? lineOf(doc, lines, [p.map, 'fields', index]) : lineOfKey(doc, lines, p.map);
    problems.push({ line, message: `map '${p.map}'${p.field ? `, field ${p.field}` : ''}: ${p.message}` });
  }
  if (problems.length) throw new MapsFileError(file, problems);
  return result;
}
