import { describe, it, expect } from '@jest/globals';
import { applyQuery, parseQueryOptions, projectRow } from './query';
import { parseKeySegment, formatKeySegment } from './keys';
import { foEtag, ifMatchSatisfied } from './etag';
import { ODataSyntaxError } from './filter';

const rows = [
  { id: 1, name: 'b', n: 3 }, { id: 2, name: 'a', n: 1 }, { id: 3, name: 'c', n: 2 }, { id: 4, name: 'a', n: null },
];

describe('parseQueryOptions / applyQuery', () => {
  it('applies filter, orderby, skip, top and counts before paging', () => {
    const q = parseQueryOptions(new URLSearchParams("$filter=id gt 1&$orderby=name desc,id asc&$skip=1&$top=1&$count=true&$select=id,name"));
    expect(q.count).toBe(true);
    expect(q.select).toEqual(['id', 'name']);
    const res = applyQuery(rows, q);
    expect(res.total).toBe(3);
    expect(res.rows.map((r) => r.id)).toEqual([2]);
    expect(projectRow({ '@odata.etag': 'x', id: 2, name: 'a', n: 1 }, q.select)).toEqual({ '@odata.etag': 'x', id: 2, name: 'a' });
  });
  it('sorts nulls first ascending', () => {
    const res = applyQuery(rows, parseQueryOptions(new URLSearchParams('$orderby=n')));
    expect(res.rows.map((r) => r.id)).toEqual([4, 2, 3, 1]);
  });
  it('parses one-level $expand with nested $select', () => {
    expect(parseQueryOptions(new URLSearchParams('$expand=Lines($select=a,b),Other')).expand).toEqual([
      { property: 'Lines', select: ['a', 'b'] }, { property: 'Other' },
    ]);
  });
  it('rejects bad options with ODataSyntaxError', () => {
    for (const s of ['$top=-1', '$top=abc', '$skip=1.5', '$count=yes', '$orderby=a sideways', '$select=a;b', '$apply=x', '$filter=(', '$top=1&$top=2']) {
      expect(() => parseQueryOptions(new URLSearchParams(s))).toThrow(ODataSyntaxError);
    }
  });
  it('ignores custom (non-$) options such as cross-company', () => {
    expect(parseQueryOptions(new URLSearchParams('cross-company=true'))).toEqual({ count: false });
  });
});

describe('parseKeySegment', () => {
  it('reads named keys with doubled quotes', () => {
    expect(parseKeySegment("dataAreaId='usmf',CustomerAccount='O''Brien'")).toEqual({ dataAreaId: 'usmf', CustomerAccount: "O'Brien" });
    expect(parseKeySegment("dataAreaId='usmf', InvoiceNumber='a,b', LedgerVoucher=12")).toEqual({ dataAreaId: 'usmf', InvoiceNumber: 'a,b', LedgerVoucher: 12 });
  });
  it('reads a single unnamed key', () => {
    expect(parseKeySegment('6D81597F-0F9F-E711-8122-000D3AA2331C')).toEqual({ '': '6d81597f-0f9f-e711-8122-000d3aa2331c' });
    expect(parseKeySegment("'US-001'")).toEqual({ '': 'US-001' });
  });
  it('round-trips with formatKeySegment', () => {
    const k = { dataAreaId: 'nlmf', CustomerAccount: "Bakkerij 't Hoekje" };
    expect(parseKeySegment(formatKeySegment(k))).toEqual(k);
  });
  it('rejects malformed segments', () => {
    for (const s of ['', "dataAreaId='usmf", "dataAreaId=usmf", "dataAreaId='a',", "dataAreaId='a' x", "a='1',a='2'", "='x'"]) {
      expect(() => parseKeySegment(s)).toThrow(ODataSyntaxError);
    }
  });
});

describe('etag', () => {
  it('formats like F&O and honours If-Match', () => {
    const e = foEtag(1, 5637144576);
    expect(e).toBe(`W/"${Buffer.from("'1,5637144576'").toString('base64')}"`);
    expect(ifMatchSatisfied(undefined, e)).toBe(true);
    expect(ifMatchSatisfied('*', e)).toBe(true);
    expect(ifMatchSatisfied(e, e)).toBe(true);
    expect(ifMatchSatisfied(foEtag(2, 5637144576), e)).toBe(false);
  });
});
