// In-memory rows per table with a global row version (Dataverse's versionnumber) and an undo log so a
// $batch changeset or a failed synchronous step can roll back. Each table keeps equality indexes (alternate
// keys, `$filter` eq columns) in step with every write and rollback: see indexing/indexed-table.ts.
import { randomUUID } from 'node:crypto';
import { IndexedTable, type EqualityIndex } from '../indexing/indexed-table';

export type Row = Record<string, unknown>;

/** A stored value as text ('' for null, objects and missing values). */
export const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

interface UndoEntry { table: string; id: string; before: Row | undefined }

export class DataverseStore {
  /** `table.column` -> max length for columns this environment customised (a maker may raise a multiline column's limit). */
  constructor(readonly customMaxLengths: Readonly<Record<string, number>> = {}) {}
  private tables = new Map<string, IndexedTable<Row>>();
  private version = 1_000_000;
  private undo: UndoEntry[][] = [];
  readonly writes = new Map<string, { created: number; updated: number; deleted: number }>();

  private rows(table: string): IndexedTable<Row> {
    let t = this.tables.get(table);
    if (!t) {
      t = new IndexedTable<Row>((row, column) => row[column]);
      this.tables.set(table, t);
    }
    return t;
  }

  /** Equality lookups on a table (read only: writes go through put/remove so they can be undone). */
  index(table: string): EqualityIndex<Row> {
    return this.rows(table);
  }

  /** Rows whose stored columns equal these values compared as lower-cased text, in table order. */
  lookup(table: string, columns: string[], values: unknown[]): Row[] {
    return this.rows(table).lookup(columns, values);
  }

  get(table: string, id: string): Row | undefined {
    return this.rows(table).get(id.toLowerCase());
  }

  all(table: string): Row[] {
    return [...this.rows(table).values()];
  }

  nextVersion(): number {
    return ++this.version;
  }

  /** Writes a whole row (already merged), stamping versionnumber. */
  put(table: string, id: string, row: Row, kind: 'created' | 'updated'): Row {
    const key = id.toLowerCase();
    this.record(table, key);
    const stored = { ...row, versionnumber: this.nextVersion() };
    this.rows(table).set(key, stored);
    this.count(table, kind);
    return stored;
  }

  remove(table: string, id: string): Row | undefined {
    const key = id.toLowerCase();
    const before = this.rows(table).get(key);
    if (!before) return undefined;
    this.record(table, key);
    this.rows(table).delete(key);
    this.count(table, 'deleted');
    return before;
  }

  /** Loads seed rows without counting them as writes. */
  seed(table: string, rows: Row[], primaryKey: string): void {
    for (const r of rows) this.rows(table).set(String(r[primaryKey]).toLowerCase(), { ...r, versionnumber: this.nextVersion() });
  }

  begin(): void {
    this.undo.push([]);
  }

  commit(): void {
    const done = this.undo.pop() ?? [];
    // A nested transaction's undo entries belong to the outer one.
    if (this.undo.length) this.undo[this.undo.length - 1].push(...done);
  }

  rollback(): void {
    const log = this.undo.pop() ?? [];
    for (const e of log.reverse()) {
      if (e.before) this.rows(e.table).set(e.id, e.before);
      else this.rows(e.table).delete(e.id);
    }
  }

  clear(): void {
    this.tables.clear();
    this.writes.clear();
    this.undo = [];
  }

  stats(): Record<string, { created: number; updated: number; deleted: number; rows: number }> {
    const out: Record<string, { created: number; updated: number; deleted: number; rows: number }> = {};
    for (const [t, m] of this.tables) out[t] = { created: 0, updated: 0, deleted: 0, ...this.writes.get(t), rows: m.size };
    return out;
  }

  private record(table: string, id: string): void {
    const log = this.undo[this.undo.length - 1];
    if (log) log.push({ table, id, before: this.rows(table).get(id) });
  }

  private count(table: string, kind: 'created' | 'updated' | 'deleted'): void {
    const w = this.writes.get(table) ?? { created: 0, updated: 0, deleted: 0 };
    w[kind]++;
    this.writes.set(table, w);
  }
}

export const newGuid = (): string => randomUUID();
