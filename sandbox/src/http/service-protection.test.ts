import { describe, it, expect } from '@jest/globals';
import { Protection } from './protection';

describe('Protection', () => {
  it('counts requests per caller per window and opens a new window when it ends', () => {
    const p = new Protection({ windowSeconds: 10, maxRequests: 2, maxConcurrent: 5 });
    expect(p.admit('a', 0).ok).toBe(true);
    expect(p.admit('a', 1000).ok).toBe(true);
    const third = p.admit('a', 4000);
    expect(third).toEqual({ ok: false, retryAfter: 6, reason: 'more than 2 requests in 10 s' });
    expect(p.admit('b', 4000).ok).toBe(true);
    expect(p.admit('a', 10_000).ok).toBe(true);
  });
  it('limits concurrency until release', () => {
    const p = new Protection({ maxConcurrent: 1 });
    expect(p.admit('a').ok).toBe(true);
    expect(p.admit('a')).toMatchObject({ ok: false, retryAfter: 1 });
    p.release('a');
    expect(p.admit('a').ok).toBe(true);
  });
  it('draws faults from the configured rates', () => {
    const p = new Protection({}, () => 0.5);
    expect(p.draw()).toEqual({ kind: 'none' });
    p.faults.errorRates = { 500: 0.6 };
    expect(p.draw()).toEqual({ kind: 'status', status: 500 });
    p.faults.timeoutRate = 0.7;
    expect(p.draw()).toEqual({ kind: 'timeout', seconds: 30 });
  });
});
