// A shipped map beside Microsoft's dual-write map of the same tables: which of Microsoft's fields ours maps, under the
// same names, which it leaves out and which it adds. Microsoft's field tables are kept, with their source, in
// test/fixtures/real/reference/dual-write-maps (one markdown file per map, as the mapping reference publishes them).
import type { FieldMapping, TableMap } from './types';

/** One row of a dual-write field table. `none` on either side is null. */
export interface DualWriteField {
  /** F&O field, in dual-write's capitals (CUSTOMERACCOUNT). */
  fno: string | null;
  /** `=`, `>`, `<`, `><`, `>>`, `<<` as Microsoft writes them. */
  mapType: string;
  /** Dataverse column; for a lookup (`msdyn_customergroupid.msdyn_groupid`) the lookup column. */
  dataverse: string | null;
  /** For a lookup, the column of the related table it is matched on (`msdyn_groupid`). */
  lookupKey?: string;
  default?: string;
}

export interface DualWriteMap {
  title: string;
  fields: DualWriteField[];
}

const none = (cell: string): string | null => (cell === '' || cell.toLowerCase() === 'none' ? null : cell);

/** Parses one file of the dual-write mapping reference: its `## title` and its field table. */
export function parseDualWriteMap(markdown: string): DualWriteMap {
  const title = /^##\s+(.+)$/m.exec(markdown)?.[1]?.trim();
  if (!title) throw new Error('no "## <map title>" line');
  const fields: DualWriteField[] = [];
  let inTable = false;
  for (const line of markdown.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (/^Finance and Operations field\s*\|/.test(line)) { inTable = true; continue; }
    if (!inTable || /^-+\|/.test(line) || cells.length < 4) continue;
    const [fno, mapType, dataverseCell, defaultValue] = cells;
    const dataverse = none(dataverseCell);
    const [column, lookupKey] = dataverse ? dataverse.split('.') : [null, undefined];
    fields.push({
      fno: none(fno), mapType, dataverse: column,
      ...(lookupKey ? { lookupKey } : {}),
      ...(defaultValue ? { default: defaultValue } : {}),
    });
  }
  if (fields.length === 0) throw new Error(`"${title}": no field table`);
  return { title, fields };
}

export interface DualWriteComparison {
  /** Rows of Microsoft's map. */
  microsoft: number;
  /** Microsoft's rows that ours maps (same Dataverse column, or the same F&O field where Dataverse has none). */
  covered: number;
  /** Mapped by both, but ours reads another F&O field. */
  renamed: Array<{ dataverse: string; ours: string | null; microsoft: string | null }>;
  /** A lookup both map, matched on another column of the related table. */
  lookupKeyDiffers: Array<{ dataverse: string; ours: string | null; microsoft: string }>;
  /** Microsoft's rows ours leaves out (their Dataverse column, or `F&O field` where Dataverse has none). */
  missing: string[];
  /** Our fields Microsoft's map does not have (the company key, which dual-write keeps outside the field table). */
  extra: string[];
}

const upper = (name: string | null): string | null => (name === null ? null : name.toUpperCase());
const label = (f: { fno: string | null; dataverse: string | null }): string => f.dataverse ?? `${f.fno} (F&O only)`;

function matches(ours: FieldMapping, theirs: DualWriteField): boolean {
  if (theirs.dataverse !== null) return ours.dataverse?.toLowerCase() === theirs.dataverse.toLowerCase();
  return ours.dataverse === null && upper(ours.fno) === upper(theirs.fno);
}

/** Compares one shipped map with Microsoft's map of the same tables. Pure. */
export function compareWithDualWrite(map: TableMap, reference: DualWriteMap): DualWriteComparison {
  const result: DualWriteComparison = { microsoft: reference.fields.length, covered: 0, renamed: [], lookupKeyDiffers: [], missing: [], extra: [] };
  const used = new Set<FieldMapping>();
  for (const theirs of reference.fields) {
    const ours = map.fields.filter((f) => matches(f, theirs));
    if (ours.length === 0) { result.missing.push(label(theirs)); continue; }
    result.covered += 1;
    for (const f of ours) used.add(f);
    // Where Microsoft maps one Dataverse column from one F&O field, ours must read the same field.
    const same = ours.find((f) => upper(f.fno) === upper(theirs.fno));
    if (!same) result.renamed.push({ dataverse: label(theirs), ours: ours[0].fno, microsoft: theirs.fno });
    const lookup = (same ?? ours[0]).transform;
    if (theirs.lookupKey && !(lookup?.kind === 'lookup' && lookup.keyColumn.toLowerCase() === theirs.lookupKey.toLowerCase())) {
      result.lookupKeyDiffers.push({ dataverse: label(theirs), ours: lookup?.kind === 'lookup' ? lookup.keyColumn : null, microsoft: theirs.lookupKey });
    }
  }
  result.extra = map.fields.filter((f) => !used.has(f)).map(label);
  return result;
}
