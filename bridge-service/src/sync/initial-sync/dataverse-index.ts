// What the initial sync keeps of a company's Dataverse rows while it runs, by alternate key: the row id,
// and for rows that existed before the run, the compared columns as JSON text (parsed only when the same
// key comes from F&O). Whole rows (every column, as objects) cost ~1 KB each and stayed for the whole
// company; this keeps ~100 bytes a row for rows the run writes and the selected columns' text for others.
import type { DataverseClient, DvRow } from '../../clients/dataverse-client';
import { selectColumns } from '../core/routing';
import { lookupValueAttribute, type TableMap } from '../core/maps/types';
import { dvKeyText } from './helpers';

export class DvIndex {
  private readonly ids = new Map<string, string>();
  private readonly before = new Map<string, string>();

  constructor(readonly map: TableMap) {}

  get size(): number {
    return this.ids.size;
  }

  /** The id of the row with this key text (see dvKeyText), written by this run or found at its start. */
  id(key: string): string | undefined {
    return this.ids.get(key);
  }

  /** The row as read at the start of the run (selected columns only), when it existed then. */
  existing(key: string): DvRow | undefined {
    const text = this.before.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as DvRow);
  }

  /** A row read from Dataverse; `keepColumns` false keeps the id only (the self-reference pass). */
  addRead(row: DvRow, keepColumns: boolean): void {
    const key = dvKeyText(this.map, row);
    this.ids.set(key, String(row[this.map.dataverse.primaryId]).toLowerCase());
    if (keepColumns) this.before.set(key, JSON.stringify(row));
  }

  /** Rows read at the start of the run and not written by it since: id and the row as read. */
  *readRows(): Generator<{ id: string; row: DvRow }> {
    for (const [key, text] of this.before) yield { id: this.ids.get(key)!, row: JSON.parse(text) as DvRow };
  }

  /** A row this run writes: later records resolve a self reference to it; it is never compared again. */
  addWritten(key: string, id: string): void {
    this.ids.set(key, id.toLowerCase());
    this.before.delete(key);
  }
}

/** Columns read into the index: the compared (mapped) columns, the alternate key, the id. */
export function indexColumns(map: TableMap, keepColumns: boolean): string[] {
  const lookupColumn = (c: string) => c === map.dataverse.companyLookup
    || map.fields.some((f) => f.dataverse === c && f.transform?.kind === 'lookup');
  const key = map.dataverse.alternateKey.filter((c) => c !== map.dataverse.companyLookup).map((c) => (lookupColumn(c) ? lookupValueAttribute(c) : c));
  const cols = keepColumns ? selectColumns(map, 'dataverse') : [map.dataverse.primaryId];
  return [...new Set([...cols, ...key])];
}

/**
 * Reads the rows matching `filter` (Dataverse's own paging, selected columns only) into a DvIndex.
 * The client returns the pages together, so the rows of one read are held until compacted here; a
 * page-at-a-time read in DataverseClient would lower that peak for tables that are already full.
 */
export async function loadIndex(dataverse: Pick<DataverseClient, 'list'>, map: TableMap, o: { filter?: string; keepColumns: boolean }): Promise<DvIndex> {
  const index = new DvIndex(map);
  const rows = await dataverse.list(map.dataverse.entitySet, { filter: o.filter, select: indexColumns(map, o.keepColumns) });
  for (const row of rows) index.addRead(row, o.keepColumns);
  return index;
}
