// Pure helpers of the initial sync: alternate-key text of a row, the row Dataverse will hold after a
// write (for the link snapshot, without reading it back), and a small promise pool.
import { isGuid } from '../../contracts/guid';
import { lookupValueAttribute, type TableMap } from '../core/maps/types';
import type { DvRow } from '../../clients/dataverse-client';

/**
 * The alternate key of a Dataverse row without its company part (the index is per company), lower case.
 * Accepts a read row (lookups as _x_value) or a mapRow key (plain column names).
 */
export function dvKeyText(map: TableMap, row: Record<string, unknown>): string {
  return map.dataverse.alternateKey.filter((c) => c !== map.dataverse.companyLookup)
    .map((c) => {
      const v = row[c] ?? row[lookupValueAttribute(c)];
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v).toLowerCase() : '';
    }).join('|');
}

const BIND = /^\/?[A-Za-z_][A-Za-z0-9_]*\(([^()]+)\)$/;

/** `existing` with a write body applied: `nav@odata.bind` becomes `_column_value`. */
export function expectedDvRow(map: TableMap, existing: DvRow, body: Record<string, unknown>): DvRow {
  const out: DvRow = { ...existing };
  for (const [k, v] of Object.entries(body)) {
    if (!k.endsWith('@odata.bind')) { out[k] = v; continue; }
    const nav = k.slice(0, -'@odata.bind'.length);
    const f = map.fields.find((x) => x.transform?.kind === 'lookup' && (x.transform.bindProperty ?? x.dataverse) === nav);
    const column = f?.dataverse ?? nav;
    const m = typeof v === 'string' ? BIND.exec(v) : null;
    out[lookupValueAttribute(column)] = m && isGuid(m[1]) ? m[1].toLowerCase() : null;
  }
  return out;
}

/** Runs `fn` over items with at most `size` in flight; rejects with the first failure. */
export async function pool<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(workers);
}
