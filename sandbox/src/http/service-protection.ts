// Service protection (per caller: requests per window, concurrent requests -> 429 + Retry-After) and the
// fault knobs of the control API (latency, error rates, held requests).

export interface Limits { windowSeconds: number; maxRequests: number; maxConcurrent: number }
export interface Faults {
  latencyMs: number;
  /** Probability (0..1) of answering with that status instead of serving the request. */
  errorRates: Partial<Record<'429' | '500' | '503', number>>;
  /** Probability of holding the request without answering for timeoutSeconds, then dropping the socket. */
  timeoutRate: number;
  timeoutSeconds: number;
}

/** Microsoft's published numbers per user per web server: 6,000 requests / 5 minutes, 52 concurrent. */
export const DEFAULT_LIMITS: Limits = { windowSeconds: 300, maxRequests: 6000, maxConcurrent: 52 };
export const NO_FAULTS: Faults = { latencyMs: 0, errorRates: {}, timeoutRate: 0, timeoutSeconds: 30 };

export class Protection {
  limits: Limits;
  faults: Faults = { ...NO_FAULTS, errorRates: {} };
  private windows = new Map<string, { start: number; count: number }>();
  private inFlight = new Map<string, number>();
  constructor(limits: Partial<Limits> = {}, private readonly random: () => number = Math.random) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  reset(limits: Partial<Limits> = {}): void {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.faults = { ...NO_FAULTS, errorRates: {} };
    this.windows.clear();
    this.inFlight.clear();
  }

  /** Admits a request or returns the seconds the caller must wait. Call release() when an admitted request ends. */
  admit(caller: string, now = Date.now()): { ok: true } | { ok: false; retryAfter: number; reason: string } {
    const win = this.windows.get(caller);
    const w = win && now - win.start < this.limits.windowSeconds * 1000 ? win : { start: now, count: 0 };
    this.windows.set(caller, w);
    const retryAfter = Math.max(1, Math.ceil((w.start + this.limits.windowSeconds * 1000 - now) / 1000));
    if (w.count >= this.limits.maxRequests) return { ok: false, retryAfter, reason: `more than ${this.limits.maxRequests} requests in ${this.limits.windowSeconds} s` };
    const running = this.inFlight.get(caller) ?? 0;
    if (running >= this.limits.maxConcurrent) return { ok: false, retryAfter: 1, reason: `more than ${this.limits.maxConcurrent} concurrent requests` };
    w.count++;
    this.inFlight.set(caller, running + 1);
    return { ok: true };
  }

  release(caller: string): void {
    this.inFlight.set(caller, Math.max(0, (this.inFlight.get(caller) ?? 1) - 1));
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
