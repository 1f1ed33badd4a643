import { describe, expect, it } from '@jest/globals';
import { sideOf, sideTimes, sweepShares } from './sweep-phase';
import type { Span } from './request-spans';

const span = (url: string, start: number, end: number, method = 'GET'): Span => ({ method, url, start, end, status: 200 });

describe('sweep timing', () => {
  it('tells the sides apart by the map tables, GETs only', () => {
    expect(sideOf(span('/data/CustomersV3?cross-company=true', 0, 1))).toBe('fno');
    expect(sideOf(span('/api/data/v9.2/accounts?$select=accountid', 0, 1))).toBe('dataverse');
    expect(sideOf(span('/api/data/v9.2/$batch', 0, 1, 'POST'))).toBeNull();
    expect(sideOf(span('/data/CustomersV3', 0, 1, 'PATCH'))).toBeNull();
  });

  it('gives the side read first the time until the other side starts, and the last side the time until the end', () => {
    const spans = [
      span('/api/data/v9.2/accounts?a', 1010, 1100), span('/api/data/v9.2/accounts?b', 1110, 1200),
      span('/data/CustomersV3?x', 1300, 1400), span('/data/CustomersV3?y', 1410, 1500),
      span('/data/CustomersV3?before', 900, 950), // an earlier sweep's: not this one
    ];
    expect(sideTimes(spans, 1000, 1600)).toEqual({
      dataverse: { ms: 300, requests: 2, busyMs: 180, firstStart: 1010 },
      fno: { ms: 300, requests: 2, busyMs: 190, firstStart: 1300 },
    });
  });

  it('has no timing for a side the sweep did not read', () => {
    expect(sideTimes([span('/data/CustomersV3?x', 1300, 1400)], 1000, 1500)).toEqual({ dataverse: null, fno: { ms: 500, requests: 1, busyMs: 100, firstStart: 1300 } });
  });

  it('divides the plain read by the sweep per side', () => {
    const sides = { fno: { ms: 400, requests: 2, busyMs: 1, firstStart: 0 }, dataverse: { ms: 200, requests: 2, busyMs: 1, firstStart: 0 } };
    expect(sweepShares(sides, [{ name: 'fno', ms: 300, requests: 2, rows: 10, non2xx: 0 }, { name: 'dataverse', ms: 180, requests: 2, rows: 10, non2xx: 0 }])).toEqual({ fno: 0.75, dataverse: 0.9 });
    expect(sweepShares({ fno: null, dataverse: null }, [])).toEqual({ fno: null, dataverse: null });
  });
});
