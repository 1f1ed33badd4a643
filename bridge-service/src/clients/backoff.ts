// Capped exponential backoff with full jitter: attempt 1 waits up to base, each next attempt doubles,
// never beyond cap. A server's Retry-After is honoured when it is longer. Used by every retry of the bridge.

export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  /** 0..1 source of randomness; injectable for tests. */
  random?: () => number;
}

/** Delay before retry number `attempt` (1-based). */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, retryAfterMs?: number | null): number {
  const base = options.baseMs ?? 1_000;
  const cap = options.capMs ?? 5 * 60_000;
  const random = options.random ?? Math.random;
  const n = Math.max(1, Math.floor(attempt));
  const ceiling = Math.min(cap, base * 2 ** Math.min(n - 1, 30));
  // Half fixed, half random: spreads retries out without ever retrying at once.
  const delay = Math.round(ceiling / 2 + random() * (ceiling / 2));
  return retryAfterMs && retryAfterMs > delay ? retryAfterMs : delay;
}
