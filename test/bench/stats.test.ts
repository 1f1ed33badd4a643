import { describe, expect, it } from '@jest/globals';
import { percentile, perSecond, summarize } from './stats';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  it('picks the sample at ceil(p/100 * n)', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
  });
  it('never interpolates between samples', () => {
    expect(percentile([10, 20], 50)).toBe(10);
    expect(percentile([10, 20], 51)).toBe(20);
    expect(percentile([7], 99)).toBe(7);
  });
  it('is NaN without samples and rejects a p outside (0, 100]', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('sorts its input and reports the tail', () => {
    const s = summarize([5, 1, 3, 2, 4, 1000]);
    expect(s).toEqual({ count: 6, min: 1, mean: 169.17, p50: 3, p95: 1000, p99: 1000, max: 1000 });
  });
  it('reports NaN figures for no samples', () => {
    const s = summarize([]);
    expect(s.count).toBe(0);
    expect(s.p99).toBeNaN();
  });
});

describe('perSecond', () => {
  it('divides by elapsed seconds and guards zero time', () => {
    expect(perSecond(5000, 2000)).toBe(2500);
    expect(perSecond(10, 0)).toBe(0);
  });
});
