// Pure: the step search for the highest sustained live rate. Each step is one open-loop live window at a
// fixed rate; a step passes when the generator held the rate, every edit arrived, none failed, and p99 < 1 s.
// Search: start at a share of the live ceiling, raise by a factor while steps pass, lower while they fail,
// and once there is a passing rate below a failing one, bisect until they are within `resolution`.

export interface StepPlan {
  /** First rate (edits/s), e.g. 50% of the live ceiling. */
  start: number;
  /** Factor after a pass with no failure above it. */
  up: number;
  /** Factor after a failure with no pass below it. */
  down: number;
  /** Stop when (lowest failing - highest passing) / highest passing <= this. */
  resolution: number;
  maxSteps: number;
  minRate: number;
  maxRate: number;
}

export interface StepOutcome { rate: number; ok: boolean }

/** What a step must show to count as sustained. */
export interface StepEvidence {
  rate: number;
  sent: number;
  arrived: number;
  sendFailures: number;
  achievedSendPerSec: number;
  latencyMs: { p99: number };
}

export const MAX_P99_MS = 1000;

/** A step passes when the rate was held (>= 95% of asked), every sent edit arrived, none failed, p99 < 1 s. */
export function stepPassed(s: StepEvidence, maxP99Ms = MAX_P99_MS): boolean {
  return s.sent > 0 && s.sendFailures === 0 && s.arrived === s.sent && s.achievedSendPerSec >= 0.95 * s.rate
    && Number.isFinite(s.latencyMs.p99) && s.latencyMs.p99 < maxP99Ms;
}

/** The next rate to try, or null when the search is over. Rates are whole edits/s within [minRate, maxRate]. */
export function nextRate(steps: readonly StepOutcome[], p: StepPlan): number | null {
  const clamp = (n: number) => Math.max(p.minRate, Math.min(p.maxRate, Math.round(n)));
  if (!steps.length) return clamp(p.start);
  if (steps.length >= p.maxSteps) return null;
  const best = highestPassed(steps);
  const fails = steps.filter((s) => !s.ok && (best === null || s.rate > best)).map((s) => s.rate);
  const lowestFail = fails.length ? Math.min(...fails) : null;
  let next: number;
  if (best === null) {
    if (lowestFail === null || lowestFail <= p.minRate) return null;
    next = clamp(lowestFail * p.down);
  } else if (lowestFail === null) {
    if (best >= p.maxRate) return null;
    next = clamp(best * p.up);
  } else {
    if ((lowestFail - best) / best <= p.resolution) return null;
    next = Math.round((best + lowestFail) / 2);
  }
  return steps.some((s) => s.rate === next) ? null : next;
}

export function highestPassed(steps: readonly StepOutcome[]): number | null {
  const ok = steps.filter((s) => s.ok).map((s) => s.rate);
  return ok.length ? Math.max(...ok) : null;
}

/** Runs the search with `measure` for each step; returns every step in order and the highest passing rate. */
export async function stepSearch<T extends StepEvidence>(p: StepPlan, measure: (rate: number, i: number) => Promise<T>): Promise<{ steps: (T & { ok: boolean })[]; maxRate: number | null }> {
  const steps: (T & { ok: boolean })[] = [];
  for (let rate = nextRate(steps, p); rate !== null; rate = nextRate(steps, p)) {
    const s = await measure(rate, steps.length);
    steps.push({ ...s, rate, ok: stepPassed({ ...s, rate }) });
  }
  return { steps, maxRate: highestPassed(steps) };
}
