import { describe, it, expect } from '@jest/globals';
import { DEFAULT_LIMITS, Protection } from './service-protection';

describe('Protection', () => {
  it('counts requests per caller per window and opens a new window when it ends', () => {
    const p = new Protection({ windowSeconds: 10, maxRequests: 2, maxConcurrent: 5 });
    expect(p.admit('a', 0).ok).toBe(true);
    expect(p.admit('a', 1000).ok).toBe(true);
    const third = p.admit('a', 4000);
    expect(third).toEqual({ ok: false, retryAfter: 6, limit: 'requests', reason: 'more than 2 requests in 10 s' });
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
  it('defaults to the published limits: 6,000 requests and 1,200 s of execution per 5 minutes, 52 concurrent', () => {
    expect(DEFAULT_LIMITS).toEqual({ windowSeconds: 300, maxRequests: 6000, maxExecutionSeconds: 1200, maxConcurrent: 52 });
  });
  it('counts execution time per window and refuses once it is used up', () => {
    const p = new Protection({ windowSeconds: 300, maxExecutionSeconds: 2 });
    expect(p.admit('a', 0).ok).toBe(true);
    p.release('a', 1500, 1500);
    expect(p.admit('a', 1600).ok).toBe(true);
    p.release('a', 600, 2200);
    expect(p.admit('a', 2300)).toMatchObject({ ok: false, limit: 'execution', retryAfter: 298 });
    expect(p.admit('b', 2300).ok).toBe(true);
    expect(p.admit('a', 300_000).ok).toBe(true);
  });
  it('draws faults from the configured rates', () => {
    const p = new Protection({}, () => 0.5);
    expect(p.draw()).toEqual({ kind: 'none' });
    p.faults.errorRates = { 500: 0.6 };
    expect(p.draw()).toEqual({ kind: 'status', status: 500 });
    p.faults.timeoutRate = 0.7;
    expect(p.draw()).toEqual({ kind: 'timeout', seconds: 30 });
  });
  it('counts per caller the execution time of admitted requests, as the limits do (stats)', () => {
    const p = new Protection();
    p.admit('a', 0);
    p.release('a', 120, 120);
    p.admit('a', 200);
    p.release('a', 30.5, 230);
    expect(p.perCaller.get('a')).toEqual({ admitted: 2, throttled: 0, executionMs: 150.5 });
  });
});
