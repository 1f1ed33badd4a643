import { describe, expect, it } from '@jest/globals';
import { allowedRate, describeAllowed, scaleLimits, sideBound } from './limit-model';
import { shareOf } from './stats';
import { DEFAULT_LIMITS } from '../../sandbox/src/http/service-protection';
import { costOf } from './limited-sync';

describe('limit model', () => {
  it('scales the window and both budgets by the same factor: the allowed rates stay the same', () => {
    const s = scaleLimits(DEFAULT_LIMITS, 30);
    expect(s).toEqual({ windowSeconds: 10, maxRequests: 200, maxConcurrent: 52, maxExecutionSeconds: 40 });
    expect(s.maxRequests / s.windowSeconds).toBe(DEFAULT_LIMITS.maxRequests / DEFAULT_LIMITS.windowSeconds);
    expect(s.maxExecutionSeconds / s.windowSeconds).toBe(DEFAULT_LIMITS.maxExecutionSeconds / DEFAULT_LIMITS.windowSeconds);
    expect(() => scaleLimits(DEFAULT_LIMITS, 0.5)).toThrow(/>= 1/);
  });

  it('turns each limit into records/s at the measured cost per record', () => {
    // 10,000 records in 10 $batch requests (one request each, whatever they hold), 5 s of execution in all.
    const b = sideBound(DEFAULT_LIMITS, 1, { requests: 10, executionMs: 5000 }, 10_000);
    expect(b.byRequests).toBe(20_000); // 20 requests/s x 1,000 records a request
    expect(b.byExecution).toBe(8000); // 4 s of execution per s / 0.0005 s a record
    expect(b.byConcurrency).toBe(104_000); // 52 in flight / 0.5 s each x 1,000 records
    expect(b.perSec).toBe(8000);
  });

  it('multiplies the budgets by the users of a side', () => {
    const one = sideBound(DEFAULT_LIMITS, 1, { requests: 100, executionMs: 100_000 }, 1000);
    const three = sideBound(DEFAULT_LIMITS, 3, { requests: 100, executionMs: 100_000 }, 1000);
    expect(one.perSec).toBe(40); // execution: 4 s/s over 0.1 s a record
    expect(three.perSec).toBe(120);
  });

  it('takes the tighter side and names the limit; F&O counts one user', () => {
    const a = allowedRate(DEFAULT_LIMITS, { dataverseUsers: 3, records: 1000, fno: { requests: 100, executionMs: 1000 }, dataverse: { requests: 10, executionMs: 100_000 } });
    expect(a.fno.users).toBe(1);
    expect(a.fno.perSec).toBe(200); // 20 requests/s x 10 records a request
    expect(a.dataverse.perSec).toBe(120);
    expect(a.perSec).toBe(120);
    expect(a.binding).toBe('dataverse execution time');
    expect(describeAllowed(DEFAULT_LIMITS, a)).toMatch(/6000 requests and 1200 s execution per 300 s, 52 concurrent .*bound 120\/s by dataverse execution time/);
  });

  it('says nothing for a side without requests, and no rate when neither has any', () => {
    const a = allowedRate(DEFAULT_LIMITS, { dataverseUsers: 1, records: 0, fno: { requests: 0, executionMs: 0 }, dataverse: { requests: 0, executionMs: 0 } });
    expect(a).toMatchObject({ perSec: null, binding: 'none' });
  });

  it('computes shares and refuses to divide by nothing', () => {
    expect(shareOf(50, 200)).toBe(0.25);
    expect(shareOf(null, 200)).toBeNull();
    expect(shareOf(50, 0)).toBeNull();
  });

  it('sums the cost of a side over the bridge users the sandbox counted', () => {
    const c = costOf({ a: { admitted: 10, throttled: 1, executionMs: 1000.4 }, b: { admitted: 5, throttled: 0, executionMs: 500 }, other: { admitted: 99, throttled: 0, executionMs: 9 } }, ['a', 'b', 'c']);
    expect(c).toEqual({ requests: 15, executionMs: 1500, throttled: 1, perUser: [10, 5, 0] });
  });
});
