// How many requests one service client keeps in flight: up to the configured concurrency, halved whenever
// the service throttles (429), then raised again by about one per round of successful answers (additive
// increase, multiplicative decrease). The panel's reads and the sync share one budget per service (service
// protection counts per user, and the bridge is one user): a waiting interactive request (a user looking at a
// form) goes before waiting background work (the sync), each kind in arrival order, so a sync backlog never
// makes a user wait behind it.
export class AdaptiveLimit {
  private limit: number;
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly urgent: Array<() => void> = [];

  constructor(private readonly max: number, private readonly min = 1) {
    this.limit = Math.max(min, max);
  }

  /** The number of requests allowed in flight now. */
  get current(): number {
    return Math.floor(this.limit);
  }

  /** Requests in flight plus those waiting for a slot. */
  get load(): number {
    return this.active + this.waiting.length + this.urgent.length;
  }

  /** Waits for a slot; `interactive` requests are served before background ones that wait. */
  async acquire(interactive = false): Promise<void> {
    if (this.active < this.current && this.waiting.length === 0 && this.urgent.length === 0) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => (interactive ? this.urgent : this.waiting).push(resolve));
  }

  release(): void {
    this.active--;
    this.pump();
  }

  /** The service answered 429: halve what we send at once. */
  throttled(): void {
    this.limit = Math.max(this.min, this.limit / 2);
  }

  /** A request went through: grow back towards the configured concurrency. */
  succeeded(): void {
    if (this.limit >= this.max) return;
    this.limit = Math.min(this.max, this.limit + 1 / this.limit);
    this.pump();
  }

  private pump(): void {
    while ((this.urgent.length > 0 || this.waiting.length > 0) && this.active < this.current) {
      this.active++;
      (this.urgent.shift() ?? this.waiting.shift())!();
    }
  }
}
