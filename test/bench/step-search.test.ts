import { describe, expect, it } from '@jest/globals';
import { highestPassed, nextRate, stepPassed, stepSearch, type StepPlan } from './step-search';

const plan: StepPlan = { start: 400, up: 1.4, down: 0.6, resolution: 0.15, maxSteps: 6, minRate: 10, maxRate: 2000 };
const ev = (rate: number, o: Partial<{ sent: number; arrived: number; sendFailures: number; achievedSendPerSec: number; p99: number }> = {}) => ({
  rate, sent: o.sent ?? rate * 10, arrived: o.arrived ?? o.sent ?? rate * 10, sendFailures: o.sendFailures ?? 0,
  achievedSendPerSec: o.achievedSendPerSec ?? rate, latencyMs: { p99: o.p99 ?? 100 },
});

describe('stepPassed', () => {
  it('passes only when the rate was held, every edit arrived, none failed and p99 < 1 s', () => {
    expect(stepPassed(ev(100))).toBe(true);
    expect(stepPassed(ev(100, { arrived: 999 }))).toBe(false);
    expect(stepPassed(ev(100, { sendFailures: 1 }))).toBe(false);
    expect(stepPassed(ev(100, { p99: 1000 }))).toBe(false);
    expect(stepPassed(ev(100, { p99: 999.9 }))).toBe(true);
    expect(stepPassed(ev(100, { achievedSendPerSec: 94 }))).toBe(false);
    expect(stepPassed(ev(100, { sent: 0, arrived: 0 }))).toBe(false);
    expect(stepPassed(ev(100, { p99: Number.NaN }))).toBe(false);
  });
});

describe('nextRate', () => {
  it('starts at the planned rate, rounded and clamped', () => {
    expect(nextRate([], plan)).toBe(400);
    expect(nextRate([], { ...plan, start: 3 })).toBe(10);
  });
  it('raises after a pass, lowers after a failure, then bisects between them', () => {
    expect(nextRate([{ rate: 400, ok: true }], plan)).toBe(560);
    expect(nextRate([{ rate: 400, ok: false }], plan)).toBe(240);
    expect(nextRate([{ rate: 400, ok: true }, { rate: 560, ok: false }], plan)).toBe(480);
    expect(nextRate([{ rate: 400, ok: false }, { rate: 240, ok: true }], plan)).toBe(320);
  });
  it('stops at the resolution, at the step budget, at the bounds, and never repeats a rate', () => {
    expect(nextRate([{ rate: 400, ok: true }, { rate: 450, ok: false }], plan)).toBeNull();
    expect(nextRate(Array.from({ length: 6 }, (_, i) => ({ rate: 100 + i, ok: true })), plan)).toBeNull();
    expect(nextRate([{ rate: 2000, ok: true }], plan)).toBeNull();
    expect(nextRate([{ rate: 10, ok: false }], plan)).toBeNull();
    expect(nextRate([{ rate: 15, ok: false }], plan)).toBe(10);
  });
  it('ignores failures below the highest pass (noise) when choosing the bracket', () => {
    expect(nextRate([{ rate: 400, ok: true }, { rate: 300, ok: false }], plan)).toBe(560);
    expect(highestPassed([{ rate: 400, ok: true }, { rate: 300, ok: false }])).toBe(400);
    expect(highestPassed([{ rate: 400, ok: false }])).toBeNull();
  });
});

describe('stepSearch', () => {
  it('converges on the highest passing rate of a system that holds up to 500/s', async () => {
    const seen: number[] = [];
    const r = await stepSearch({ ...plan, maxSteps: 10 }, async (rate) => { seen.push(rate); return ev(rate, { p99: rate <= 500 ? 200 : 3000 }); });
    expect(seen).toEqual([400, 560, 480, 520]);
    expect(r.maxRate).toBe(480);
    expect(r.steps.map((s) => s.ok)).toEqual([true, false, true, false]);
  });
  it('reports null when even the lowest rate fails', async () => {
    const r = await stepSearch({ ...plan, start: 20 }, async (rate) => ev(rate, { arrived: 0 }));
    expect(r.steps.map((s) => s.rate)).toEqual([20, 12, 10]);
    expect(r.maxRate).toBeNull();
  });
});
