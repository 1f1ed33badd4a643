import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { IndexedTable } from './indexed-table';

type R = Record<string, unknown>;
const flat = () => new IndexedTable<R>((row, c) => row[c]);
const ids = (rows: R[]) => rows.map((r) => r.id);

/** What a scan of a plain Map would answer: the reference the index must agree with. */
function scan(m: Map<string, R>, cols: string[], values: unknown[]): unknown[] {
  return [...m.values()].filter((r) => cols.every((c, i) => String(r[c]).toLowerCase() === String(values[i]).toLowerCase())).map((r) => r.id);
}

describe('IndexedTable', () => {
  it('finds rows by a column tuple case-insensitively, in insertion order', () => {
    const t = flat();
    t.set('1', { id: '1', num: 'A-1', co: 'X' });
    t.set('2', { id: '2', num: 'a-1', co: 'x' });
    t.set('3', { id: '3', num: 'A-1', co: 'Y' });
    expect(ids(t.lookup(['num', 'co'], ['A-1', 'X']))).toEqual(['1', '2']);
    expect(ids(t.lookup(['num'], ['a-1']))).toEqual(['1', '2', '3']);
    expect(t.count(['num', 'co'], ['A-1', 'Z'])).toBe(0);
    expect(t.lookup(['num', 'co'], ['A-1', 'Z'])).toEqual([]);
  });

  it('moves a row to its new bucket when a replacing set changes a key column, and keeps its place', () => {
    const t = flat();
    t.set('1', { id: '1', num: 'A' });
    t.set('2', { id: '2', num: 'B' });
    expect(t.count(['num'], ['A'])).toBe(1); // builds the index before the change
    t.set('1', { id: '1', num: 'B' });
    expect(t.count(['num'], ['A'])).toBe(0);
    expect(ids(t.lookup(['num'], ['B']))).toEqual(['1', '2']);
  });

  it('re-reads a row changed in place on reindex', () => {
    const t = new IndexedTable<{ data: R }>((row, c) => row.data[c]);
    const row = { data: { id: '1', acct: 'C1' } as R };
    t.set('1', row);
    expect(t.count(['acct'], ['C1'])).toBe(1);
    row.data.acct = 'C2';
    t.reindex('1');
    expect(t.count(['acct'], ['C1'])).toBe(0);
    expect(t.lookup(['acct'], ['C2'])).toEqual([row]);
  });

  it('forgets deleted rows and puts a re-inserted one last, as a Map does', () => {
    const t = flat();
    for (const id of ['1', '2', '3']) t.set(id, { id, g: 'same' });
    expect(t.count(['g'], ['same'])).toBe(3);
    expect(t.delete('1')).toBe(true);
    expect(t.delete('1')).toBe(false);
    expect(ids(t.lookup(['g'], ['same']))).toEqual(['2', '3']);
    t.set('1', { id: '1', g: 'same' });
    expect(ids(t.lookup(['g'], ['same']))).toEqual(['2', '3', '1']);
    expect(ids([...t.values()])).toEqual(['2', '3', '1']);
  });

  it('answers a small bucket of a large table in table order', () => {
    const t = flat();
    for (let i = 0; i < 100; i++) t.set(String(i), { id: String(i), g: i % 50 === 7 ? 'rare' : 'common' });
    t.delete('7');
    t.set('7', { id: '7', g: 'rare' });
    expect(ids(t.lookup(['g'], ['rare']))).toEqual(['57', '7']);
    expect(t.lookup(['g'], ['common'])).toHaveLength(98);
  });

  it('keeps missing values apart from the text "undefined" only as String() does (the scan rule)', () => {
    const t = flat();
    t.set('1', { id: '1' });
    t.set('2', { id: '2', v: null });
    expect(ids(t.lookup(['v'], [undefined]))).toEqual(['1']);
    expect(ids(t.lookup(['v'], [null]))).toEqual(['2']);
  });

  it('refuses a lookup with a value count that does not match the columns', () => {
    expect(() => flat().lookup(['a', 'b'], ['x'])).toThrow(/one value per column/);
  });

  it('clear drops rows and indexes', () => {
    const t = flat();
    t.set('1', { id: '1', a: 'x' });
    t.count(['a'], ['x']);
    t.clear();
    expect(t.size).toBe(0);
    expect(t.indexedTuples()).toEqual([]);
    t.set('2', { id: '2', a: 'x' });
    expect(ids(t.lookup(['a'], ['x']))).toEqual(['2']);
  });

  it('agrees with a scan of a plain Map after any sequence of sets, deletes and lookups', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), id: fc.constantFrom('a', 'b', 'c', 'd', 'e'), k1: fc.constantFrom('P', 'p', 'Q', 'R'), k2: fc.constantFrom('x', 'X', 'y') }),
      fc.record({ kind: fc.constant('delete' as const), id: fc.constantFrom('a', 'b', 'c', 'd', 'e') }),
      fc.record({ kind: fc.constant('lookup' as const), k1: fc.constantFrom('P', 'q', 'R', 'S'), k2: fc.constantFrom('x', 'y') }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const t = flat();
      const m = new Map<string, R>();
      for (const o of ops) {
        if (o.kind === 'set') {
          const row = { id: o.id, k1: o.k1, k2: o.k2 };
          t.set(o.id, row);
          m.set(o.id, row);
        } else if (o.kind === 'delete') {
          expect(t.delete(o.id)).toBe(m.delete(o.id));
        } else {
          expect(ids(t.lookup(['k1', 'k2'], [o.k1, o.k2]))).toEqual(scan(m, ['k1', 'k2'], [o.k1, o.k2]));
          expect(ids(t.lookup(['k2'], [o.k2]))).toEqual(scan(m, ['k2'], [o.k2]));
        }
      }
      expect(ids([...t.values()])).toEqual([...m.keys()]);
    }), { numRuns: 300 });
  });
});
