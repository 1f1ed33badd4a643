import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseFilter } from '../odata/filter';
import { applyQuery, parseQueryOptions } from '../odata/query';
import { equalityTerms, filterCandidates } from './filter-candidates';
import { IndexedTable } from './indexed-table';

type R = Record<string, unknown>;

describe('equalityTerms', () => {
  it('takes property eq literal terms AND-ed at the top, either way round', () => {
    expect(equalityTerms(parseFilter("dataAreaId eq 'usmf' and 'US-001' eq InvoiceCustomerAccountNumber and Amount gt 5")))
      .toEqual([{ property: 'dataAreaId', value: 'usmf' }, { property: 'InvoiceCustomerAccountNumber', value: 'US-001' }]);
    expect(equalityTerms(parseFilter('_msdyn_company_value eq 0a9e6b1c-2d3f-4e5a-8b7c-9d0e1f2a3b4c and statecode eq 0')))
      .toEqual([{ property: '_msdyn_company_value', value: '0a9e6b1c-2d3f-4e5a-8b7c-9d0e1f2a3b4c' }, { property: 'statecode', value: 0 }]);
  });

  it('leaves out terms that do not pin one value: or, not, ne, null, enums, datetimes, paths, functions', () => {
    for (const f of [
      "a eq 'x' or b eq 'y'", "not (a eq 'x')", "a ne 'x'", 'a eq null', "Status eq Microsoft.Dynamics.DataEntities.SalesStatus'Backorder'",
      'modifiedon eq 2024-01-01T00:00:00Z', "Address/City eq 'Oslo'", "tolower(a) eq 'x'",
    ]) expect(equalityTerms(parseFilter(f))).toEqual([]);
  });
});

describe('filterCandidates', () => {
  const table = new IndexedTable<R>((r, c) => r[c]);
  const rows: R[] = [
    { id: 1, co: 'usmf', acct: 'US-001', n: 5 }, { id: 2, co: 'usmf', acct: 'US-002', n: 5 },
    { id: 3, co: 'nlmf', acct: 'US-001', n: 7 }, { id: 4, co: 'usmf', acct: 'us-001', n: 5 }, { id: 5, co: 'usmf', acct: 'US-003', n: 5 },
  ];
  for (const r of rows) table.set(String(r.id), r);

  it('answers undefined (scan) without a filter or without an equality term', () => {
    expect(filterCandidates(table, undefined)).toBeUndefined();
    expect(filterCandidates(table, parseFilter('n gt 1'))).toBeUndefined();
  });

  it('reads the smallest bucket among the terms, a superset of the matches', () => {
    const c = filterCandidates(table, parseFilter("co eq 'usmf' and acct eq 'US-001'"))!;
    expect(c.map((r) => r.id)).toEqual([1, 3, 4]);
    expect(filterCandidates(table, parseFilter("co eq 'semf' and acct eq 'US-001'"))).toEqual([]);
  });

  it('gives applyQuery the rows, order and count a full scan gives', () => {
    const value = fc.constantFrom<unknown>('a', 'A', 'b', 1, 2, true, null, undefined, '1');
    const row = fc.record({ x: value, y: value, z: value });
    const lit = fc.constantFrom("'a'", "'A'", "'b'", '1', '2', 'true', 'null', "'1'");
    const cmp = fc.tuple(fc.constantFrom('x', 'y', 'z'), fc.constantFrom('eq', 'ne', 'gt'), lit).map(([p, op, l]) => `${p} ${op} ${l}`);
    const filter = fc.array(cmp, { minLength: 1, maxLength: 3 }).chain((parts) => fc.constantFrom(' and ', ' or ').map((j) => parts.join(j)));
    fc.assert(fc.property(fc.array(row, { maxLength: 25 }), filter, fc.boolean(), (data, f, withOrder) => {
      const t = new IndexedTable<R>((r, c) => r[c]);
      data.forEach((r, i) => t.set(String(i), { ...r, i }));
      const q = parseQueryOptions(new URLSearchParams({ $filter: f, ...(withOrder ? { $orderby: 'y desc' } : {}) }));
      const full = applyQuery([...t.values()], q);
      const narrowed = applyQuery(filterCandidates(t, q.filter) ?? [...t.values()], q);
      expect(narrowed.rows.map((r) => r.i)).toEqual(full.rows.map((r) => r.i));
      expect(narrowed.total).toBe(full.total);
    }), { numRuns: 500 });
  });
});
