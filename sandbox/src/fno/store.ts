// In-memory F&O tables: rows per entity set by key, RecId/RecVersion per row (the ETag source), write
// counters, and an undo journal so a $batch changeset is all-or-nothing. Change events are held until
// the write (or changeset) commits, so a rolled-back changeset never notifies anyone. Tables keep equality
// indexes (see indexing/indexed-table.ts) so `$filter=Field eq 'x'` reads a bucket, not 100,000 rows.
import { foEtag } from '../odata/etag';
import { IndexedTable, type EqualityIndex } from '../indexing/indexed-table';
import type { FnoDataset, FnoRow } from '../demo-data/generate';
import type { EntitySchema, FnoSchema } from './schema';
import { DERIVED_ENTITIES } from './derived';

export interface StoredRow { data: FnoRow; recId: number; recVersion: number; modifiedAt: string }
export type ChangeKind = 'Create' | 'Update' | 'Delete';
export interface ChangeEvent { kind: ChangeKind; entitySet: string; before?: FnoRow; after?: FnoRow; changed: string[]; userOid: string; at: string }

interface EntityStats { reads: number; creates: number; updates: number; deletes: number }

const newTable = () => new IndexedTable<StoredRow>((row, column) => row.data[column]);
const scalar = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export class FnoStore {
  private tables = new Map<string, IndexedTable<StoredRow>>();
  private nextRecId = 5637144576;
  private journal: (() => void)[] | null = null;
  private pending: ChangeEvent[] = [];
  stats = new Map<string, EntityStats>();

  constructor(readonly schema: FnoSchema, private readonly onCommit: (events: ChangeEvent[]) => void) {}

  load(ds: FnoDataset): void {
    this.tables.clear();
    this.stats.clear();
    for (const entity of this.schema.entities.values()) this.tables.set(entity.entitySet, newTable());
    for (const [set, rows] of Object.entries(ds)) {
      const entity = this.schema.entities.get(set);
      if (!entity) continue;
      const table = this.tables.get(set)!;
      for (const r of rows) table.set(this.keyOf(entity, r), { data: { ...r }, recId: this.nextRecId++, recVersion: 1, modifiedAt: new Date(0).toISOString() });
    }
    for (const d of DERIVED_ENTITIES) {
      const entity = this.schema.entities.get(d.entitySet);
      if (!entity || ds[d.entitySet]) continue;
      const table = this.tables.get(d.entitySet)!;
      for (const source of this.all(d.from)) {
        const r = d.derive(source.data);
        if (r) table.set(this.keyOf(entity, r), { data: r, recId: this.nextRecId++, recVersion: 1, modifiedAt: new Date(0).toISOString() });
      }
    }
  }

  /** Keeps the entities derived from `set` in step with a write to one of its rows (same changeset, own events). */
  private propagate(set: string, before: FnoRow | undefined, after: FnoRow | undefined, userOid: string): void {
    for (const d of DERIVED_ENTITIES) {
      const target = d.from === set ? this.schema.entities.get(d.entitySet) : undefined;
      if (!target) continue;
      const old = before ? d.derive(before) : null;
      const next = after ? d.derive(after) : null;
      const oldRow = old ? this.get(target, old) : undefined;
      if (oldRow && (!next || this.keyOf(target, old!) !== this.keyOf(target, next))) this.remove(target, oldRow, userOid);
      if (!next) continue;
      const current = this.get(target, next);
      if (current) this.update(target, current, next, userOid);
      else this.insert(target, next, userOid);
    }
  }

  keyOf(entity: EntitySchema, row: Record<string, unknown>): string {
    // F&O's SQL collation is case-insensitive, so are its keys.
    return entity.keys.map((k) => scalar(row[k]).toLowerCase()).join('\u0000');
  }

  statsFor(set: string): EntityStats {
    let s = this.stats.get(set);
    if (!s) { s = { reads: 0, creates: 0, updates: 0, deletes: 0 }; this.stats.set(set, s); }
    return s;
  }

  all(set: string): StoredRow[] { return [...(this.tables.get(set)?.values() ?? [])]; }
  /** Equality lookups on an entity set's rows (read only). */
  index(set: string): EqualityIndex<StoredRow> { return this.tables.get(set) ?? newTable(); }
  get(entity: EntitySchema, keys: Record<string, unknown>): StoredRow | undefined { return this.tables.get(entity.entitySet)?.get(this.keyOf(entity, keys)); }
  etag(row: StoredRow): string { return foEtag(row.recVersion, row.recId); }

  private record(ev: ChangeEvent): void {
    this.pending.push(ev);
    if (!this.journal) this.flush();
  }
  private flush(): void {
    const events = this.pending;
    this.pending = [];
    if (events.length) this.onCommit(events);
  }

  insert(entity: EntitySchema, data: FnoRow, userOid: string): StoredRow {
    const table = this.tables.get(entity.entitySet)!;
    const key = this.keyOf(entity, data);
    const row: StoredRow = { data: { ...data }, recId: this.nextRecId++, recVersion: 1, modifiedAt: new Date().toISOString() };
    table.set(key, row);
    this.journal?.push(() => { table.delete(key); this.statsFor(entity.entitySet).creates--; });
    this.statsFor(entity.entitySet).creates++;
    this.record({ kind: 'Create', entitySet: entity.entitySet, after: { ...row.data }, changed: Object.keys(data), userOid, at: row.modifiedAt });
    this.propagate(entity.entitySet, undefined, row.data, userOid);
    return row;
  }

  update(entity: EntitySchema, row: StoredRow, patch: FnoRow, userOid: string): StoredRow {
    const table = this.tables.get(entity.entitySet)!;
    const key = this.keyOf(entity, row.data);
    const before = { ...row.data };
    const prev = { data: before, recVersion: row.recVersion, modifiedAt: row.modifiedAt };
    const changed = Object.keys(patch).filter((k) => row.data[k] !== patch[k]);
    Object.assign(row.data, patch);
    table.reindex(key);
    row.recVersion++;
    row.modifiedAt = new Date().toISOString();
    this.journal?.push(() => {
      row.data = prev.data; row.recVersion = prev.recVersion; row.modifiedAt = prev.modifiedAt; table.reindex(key);
      this.statsFor(entity.entitySet).updates--;
    });
    this.statsFor(entity.entitySet).updates++;
    if (changed.length) this.record({ kind: 'Update', entitySet: entity.entitySet, before, after: { ...row.data }, changed, userOid, at: row.modifiedAt });
    if (changed.length) this.propagate(entity.entitySet, before, row.data, userOid);
    return row;
  }

  remove(entity: EntitySchema, row: StoredRow, userOid: string): void {
    const table = this.tables.get(entity.entitySet)!;
    const key = this.keyOf(entity, row.data);
    table.delete(key);
    this.journal?.push(() => { table.set(key, row); this.statsFor(entity.entitySet).deletes--; });
    this.statsFor(entity.entitySet).deletes++;
    this.record({ kind: 'Delete', entitySet: entity.entitySet, before: { ...row.data }, changed: [], userOid, at: new Date().toISOString() });
    this.propagate(entity.entitySet, row.data, undefined, userOid);
  }

  /** Runs fn atomically: when it throws, every write it made is undone and no event is sent. */
  async atomic<T>(fn: () => Promise<T>): Promise<T> {
    if (this.journal) return fn();
    this.journal = [];
    try {
      const out = await fn();
      this.journal = null;
      this.flush();
      return out;
    } catch (e) {
      const undo = this.journal ?? [];
      this.journal = null;
      this.pending = [];
      for (let i = undo.length - 1; i >= 0; i--) undo[i]();
      throw e;
    }
  }
}
