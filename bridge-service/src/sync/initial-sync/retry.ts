// Bounded retries of one step of an initial sync (a page read, a $batch, the Dataverse index), so that
// one timed-out or reset request does not fail a run of 100,000 rows. Only transient failures are
// retried (clients/failure.ts decides): no answer, a broken connection, 408/429/500/502/503/504. Waits back off exponentially, or as long as the
// service's Retry-After asks. The steps retried are idempotent (see initial-sync.ts).
import { backoffDelay } from '../../clients/backoff';
import { isThrottled, serviceMayRecover } from '../../clients/failure';
import { UpstreamError } from '../../clients/upstream-error';

export interface RetryPolicy {
  /** Tries in all, the first included. A throttling answer with Retry-After is not a failed try (see throttledWaits). */
  attempts: number;
  /**
   * Waits a throttling service may ask for (429 with Retry-After) before the step gives up. Service protection
   * allows one user 6,000 requests per 5 minutes: a run of 100,000 rows meets it again and again and must wait,
   * not fail. Default 1,000.
   */
  throttledWaits?: number;
  baseMs: number;
  capMs: number;
  /** Longest Retry-After honoured; a longer one is waited as capMs (the next try will tell again). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseMs: 1000, capMs: 30_000, maxRetryAfterMs: 300_000 };

/** Raised when the run is stopped (bridge shutting down) during a wait: the run stays resumable. */
export class InitialSyncStopped extends Error {
  constructor() {
    super('the initial sync was stopped while waiting to retry');
    this.name = 'InitialSyncStopped';
  }
}

/** The wait a throttling answer named (the clients put Retry-After on the UpstreamError). */
function askedWait(err: unknown): number | undefined {
  return err instanceof UpstreamError ? err.retryAfterMs : undefined;
}

/** How long to wait before try `attempt + 1` (attempt counts from 1): Retry-After, else capped exponential with jitter. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, err: unknown, random = Math.random): number {
  const asked = askedWait(err);
  if (asked !== undefined) return asked <= policy.maxRetryAfterMs ? asked : policy.capMs;
  return backoffDelay(attempt, { baseMs: policy.baseMs, capMs: policy.capMs, random });
}

export interface RetryEvent { what: string; attempt: number; waitMs: number; error: string }

export const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Runs `step` until it succeeds, fails for good (a non-transient error, thrown as is), or has failed
 * `policy.attempts` times (thrown with what was tried). `signal` ends a wait early with InitialSyncStopped.
 */
export async function withRetries<T>(
  what: string,
  step: (attempt: number) => Promise<T>,
  o: { policy: RetryPolicy; signal?: AbortSignal; onRetry?: (e: RetryEvent) => void },
): Promise<T> {
  let throttled = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await step(attempt);
    } catch (err) {
      if (!serviceMayRecover(err)) throw err;
      if (isThrottled(err) && throttled < (o.policy.throttledWaits ?? 1000)) {
        throttled++;
        const waitMs = retryDelayMs(o.policy, attempt, err);
        o.onRetry?.({ what, attempt, waitMs, error: errorText(err) });
        await sleep(waitMs, o.signal);
        attempt--; // not a failed try: the service named its wait
        continue;
      }
      if (attempt >= o.policy.attempts) {
        throw new Error(`${what} failed ${attempt} times in a row; last: ${errorText(err)}. The rows written so far are kept: `
          + 'start the initial sync again once the service answers (it resumes from the last page written).', { cause: err });
      }
      const waitMs = retryDelayMs(o.policy, attempt, err);
      o.onRetry?.({ what, attempt, waitMs, error: errorText(err) });
      await sleep(waitMs, o.signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new InitialSyncStopped());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(timer); reject(new InitialSyncStopped()); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
