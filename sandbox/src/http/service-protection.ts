// Service protection of both sandbox services, at the limits Microsoft publishes for F&O and Dataverse alike:
// per user, 6,000 requests and 1,200 seconds of combined execution time per 5-minute window, and 52 concurrent
// requests; beyond them 429 with Retry-After. Also the F&O fault knobs (latency, error rates, held requests).

export interface Limits { windowSeconds: number; maxRequests: number; maxConcurrent: number; maxExecutionSeconds: number }
/** Which limit a refused request ran into (each service words its 429 per limit). */
export type LimitKind = 'requests' | 'execution' | 'concurrency';
export interface Faults {
  latencyMs: number;
  /** Probability (0..1) of answering with that status instead of serving the request. */
  errorRates: Partial<Record<'429' | '500' | '503', number>>;
  /** Probability of holding the request without answering for timeoutSeconds, then dropping the socket. */
  timeoutRate: number;
  timeoutSeconds: number;
  /**
   * F&O only: entity sets this environment lacks (a standard F&O without the bridge's own balance entity, say). Their
   * URLs answer 404 as an unknown entity set does, and the service document leaves them out.
   */
  missingEntitySets?: string[];
}

/** Microsoft's published numbers per user: 6,000 requests and 1,200 s of execution per 5 minutes, 52 concurrent. */
export const DEFAULT_LIMITS: Limits = { windowSeconds: 300, maxRequests: 6000, maxConcurrent: 52, maxExecutionSeconds: 1200 };
/** For benchmarks that measure the bridge, not the limits: say so wherever it is used. */
export const LIFTED_LIMITS: Limits = { windowSeconds: 300, maxRequests: 1_000_000_000, maxConcurrent: 1_000_000, maxExecutionSeconds: 1_000_000_000 };
export const NO_FAULTS: Faults = { latencyMs: 0, errorRates: {}, timeoutRate: 0, timeoutSeconds: 30 };

export class Protection {
  limits: Limits;
  faults: Faults = { ...NO_FAULTS, errorRates: {} };
  private windows = new Map<string, { start: number; count: number; executionMs: number }>();
  /**
   * Per caller since the last reset: requests admitted and refused with 429, and the execution time (ms) of the admitted
   * ones as the limits count it (GET /_sandbox/stats shows them).
   */
  readonly perCaller = new Map<string, { admitted: number; throttled: number; executionMs: number }>();
  private inFlight = new Map<string, number>();
  constructor(limits: Partial<Limits> = {}, private readonly random: () => number = Math.random) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  reset(limits: Partial<Limits> = {}): void {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.faults = { ...NO_FAULTS, errorRates: {} };
    this.windows.clear();
    this.inFlight.clear();
    this.perCaller.clear();
  }

  /** Counts a request of `caller` that was admitted, or refused with 429 (by these limits or an injected fault). */
  count(caller: string, admitted: boolean): void {
    const c = this.perCaller.get(caller) ?? { admitted: 0, throttled: 0, executionMs: 0 };
    if (admitted) c.admitted++;
    else c.throttled++;
    this.perCaller.set(caller, c);
  }

  /** Admits a request or returns the seconds the caller must wait. Call release() when an admitted request ends. */
  admit(caller: string, now = Date.now()): { ok: true } | { ok: false; retryAfter: number; reason: string; limit: LimitKind } {
    const out = this.check(caller, now);
    this.count(caller, out.ok);
    return out;
  }

  private check(caller: string, now: number): { ok: true } | { ok: false; retryAfter: number; reason: string; limit: LimitKind } {
    const w = this.window(caller, now);
    const retryAfter = Math.max(1, Math.ceil((w.start + this.limits.windowSeconds * 1000 - now) / 1000));
    if (w.count >= this.limits.maxRequests) return { ok: false, retryAfter, limit: 'requests', reason: `more than ${this.limits.maxRequests} requests in ${this.limits.windowSeconds} s` };
    if (w.executionMs >= this.limits.maxExecutionSeconds * 1000) {
      return { ok: false, retryAfter, limit: 'execution', reason: `more than ${this.limits.maxExecutionSeconds} s of execution time in ${this.limits.windowSeconds} s` };
    }
    const running = this.inFlight.get(caller) ?? 0;
    if (running >= this.limits.maxConcurrent) return { ok: false, retryAfter: 1, limit: 'concurrency', reason: `more than ${this.limits.maxConcurrent} concurrent requests` };
    w.count++;
    this.inFlight.set(caller, running + 1);
    return { ok: true };
  }

  /** Ends an admitted request; its execution time counts against the caller's window. */
  release(caller: string, executionMs = 0, now = Date.now()): void {
    this.inFlight.set(caller, Math.max(0, (this.inFlight.get(caller) ?? 1) - 1));
    this.window(caller, now).executionMs += Math.max(0, executionMs);
    const c = this.perCaller.get(caller);
    if (c) c.executionMs += Math.max(0, executionMs);
  }

  private window(caller: string, now: number): { start: number; count: number; executionMs: number } {
    const win = this.windows.get(caller);
    if (win && now - win.start < this.limits.windowSeconds * 1000) return win;
    const fresh = { start: now, count: 0, executionMs: 0 };
    this.windows.set(caller, fresh);
    return fresh;
  }

  /** Which fault, if any, this request suffers. */
  draw(): { kind: 'none' } | { kind: 'status'; status: number } | { kind: 'timeout'; seconds: number } {
    if (this.faults.timeoutRate > 0 && this.random() < this.faults.timeoutRate) return { kind: 'timeout', seconds: this.faults.timeoutSeconds };
    for (const [status, rate] of Object.entries(this.faults.errorRates)) {
      if (rate && this.random() < rate) return { kind: 'status', status: Number(status) };
    }
    return { kind: 'none' };
  }
}
