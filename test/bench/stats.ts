// Latency statistics: nearest-rank percentiles over recorded samples (milliseconds). Pure.

export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * The p-th percentile (0 < p <= 100) by the nearest-rank method: the smallest sample such that at least
 * p% of the samples are at or below it. Nearest rank never invents a value between two samples, so a
 * p99 is always a latency that really happened. NaN for no samples.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile: p must be in (0, 100], got ${p}`);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

const round = (n: number, digits = 2) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : n);

/** Summary of unsorted samples; all fields NaN (count 0) when there are none. */
export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = n ? sorted.reduce((a, b) => a + b, 0) / n : Number.NaN;
  return {
    count: n,
    min: round(n ? sorted[0] : Number.NaN),
    mean: round(mean),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(n ? sorted[n - 1] : Number.NaN),
  };
}

/** Records per second, or 0 when no time passed. */
export function perSecond(count: number, ms: number): number {
  return ms > 0 ? round((count * 1000) / ms, 1) : 0;
}

/** A share: achieved / allowed, rounded to 0.01; null when either is missing. */
export function shareOf(achieved: number | null | undefined, allowed: number | null | undefined): number | null {
  if (typeof achieved !== 'number' || typeof allowed !== 'number' || !Number.isFinite(achieved) || !(allowed > 0)) return null;
  return Math.round((achieved / allowed) * 100) / 100;
}
