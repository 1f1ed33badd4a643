// Rows by id in insertion order (a Map, so iteration order is what a plain Map would give) plus equality
// indexes over column tuples. An index is built the first time a tuple is looked up and from then on kept
// in step with every set/delete, so "find the row with this alternate key" and `$filter=col eq 'x'` cost a
// bucket read instead of a scan of the table: the sandbox must hold 100,000-row tables.

/** How a row exposes a column value (Dataverse rows are flat; F&O rows keep their data one level down). */
export type ValueOf<R> = (row: R, column: string) => unknown;

/**
 * The index key of one value: its text, lower-cased. Every comparison the stand-ins make on indexed columns
 * (case-insensitive keys, case-sensitive `eq`, GUIDs in any case) holds only between values with the same
 * key, so a bucket is a superset of the matches: callers re-check each candidate with their own rule.
 */
export const indexKeyOf = (v: unknown): string => String(v).toLowerCase();

interface TupleIndex {
  columns: string[];
  buckets: Map<string, Set<string>>;
  /** The bucket each id sits in, so a row changed in place can be moved without its old values. */
  keyOfId: Map<string, string>;
}

/** The read side of the indexes, for code that must not write around a store's undo log. */
export interface EqualityIndex<R> {
  /** Rows whose columns hold these values (by indexKeyOf), in table order. */
  lookup(columns: string[], values: unknown[]): R[];
  /** How many rows lookup would return. */
  count(columns: string[], values: unknown[]): number;
}

export class IndexedTable<R> implements EqualityIndex<R> {
  private readonly byId = new Map<string, R>();
  /** Position in byId's iteration order: lets a bucket be put back in table order without a scan. */
  private readonly order = new Map<string, number>();
  private nextOrder = 0;
  private readonly indexes = new Map<string, TupleIndex>();

  constructor(private readonly valueOf: ValueOf<R>) {}

  get size(): number { return this.byId.size; }
  get(id: string): R | undefined { return this.byId.get(id); }
  has(id: string): boolean { return this.byId.has(id); }
  values(): MapIterator<R> { return this.byId.values(); }

  set(id: string, row: R): void {
    // As Map.set: a new id goes last, an existing one keeps its place.
    if (!this.byId.has(id)) this.order.set(id, this.nextOrder++);
    this.byId.set(id, row);
    for (const ix of this.indexes.values()) this.place(ix, id, row);
  }

  /** Re-reads a row whose values were changed in place (same object, new contents). */
  reindex(id: string): void {
    const row = this.byId.get(id);
    if (row === undefined) return;
    for (const ix of this.indexes.values()) this.place(ix, id, row);
  }

  delete(id: string): boolean {
    if (!this.byId.delete(id)) return false;
    this.order.delete(id);
    for (const ix of this.indexes.values()) this.unplace(ix, id);
    return true;
  }

  clear(): void {
    this.byId.clear();
    this.order.clear();
    this.indexes.clear();
  }

  lookup(columns: string[], values: unknown[]): R[] {
    const ids = this.bucket(columns, values);
    if (!ids?.size) return [];
    // A bucket holding most of the table is cheaper to read in table order than to sort.
    if (ids.size * 8 > this.byId.size) {
      const out: R[] = [];
      for (const [id, row] of this.byId) if (ids.has(id)) out.push(row);
      return out;
    }
    const list = [...ids];
    if (list.length > 1) list.sort((a, b) => this.order.get(a)! - this.order.get(b)!);
    return list.map((id) => this.byId.get(id)!);
  }

  count(columns: string[], values: unknown[]): number {
    return this.bucket(columns, values)?.size ?? 0;
  }

  /** The column tuples indexed so far (for tests and diagnostics). */
  indexedTuples(): string[][] {
    return [...this.indexes.values()].map((ix) => ix.columns);
  }

  private bucket(columns: string[], values: unknown[]): Set<string> | undefined {
    if (columns.length !== values.length) throw new Error(`lookup needs one value per column: ${columns.length} columns, ${values.length} values.`);
    return this.index(columns).buckets.get(tupleKey(values));
  }

  private index(columns: string[]): TupleIndex {
    const name = JSON.stringify(columns);
    let ix = this.indexes.get(name);
    if (!ix) {
      ix = { columns: [...columns], buckets: new Map(), keyOfId: new Map() };
      for (const [id, row] of this.byId) this.place(ix, id, row);
      this.indexes.set(name, ix);
    }
    return ix;
  }

  private place(ix: TupleIndex, id: string, row: R): void {
    const key = tupleKey(ix.columns.map((c) => this.valueOf(row, c)));
    const old = ix.keyOfId.get(id);
    if (old === key) return;
    if (old !== undefined) this.unplace(ix, id);
    let b = ix.buckets.get(key);
    if (!b) { b = new Set(); ix.buckets.set(key, b); }
    b.add(id);
    ix.keyOfId.set(id, key);
  }

  private unplace(ix: TupleIndex, id: string): void {
    const old = ix.keyOfId.get(id);
    if (old === undefined) return;
    const b = ix.buckets.get(old);
    b?.delete(id);
    if (b?.size === 0) ix.buckets.delete(old);
    ix.keyOfId.delete(id);
  }
}

// JSON of the lower-cased texts: unambiguous whatever characters the values hold.
const tupleKey = (values: unknown[]): string => (values.length === 1 ? indexKeyOf(values[0]) : JSON.stringify(values.map(indexKeyOf)));
