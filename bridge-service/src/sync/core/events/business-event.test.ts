import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseBusinessEvents, planBusinessEvents, type BusinessEvent } from './business-event';

const raw = readFileSync(fileURLToPath(new URL('../../../../../test/fixtures/real/fo-business-event-customer-changed-custom.json', import.meta.url)), 'utf8');

describe('parseBusinessEvents', () => {
  it('reads the envelope of the real fixture', () => {
    const r = parseBusinessEvents(raw);
    if (!r.ok) throw new Error(r.error);
    expect(r.value).toHaveLength(1);
    expect(r.value[0]).toMatchObject({
      businessEventId: 'FFYCustomerChangedBusinessEvent', controlNumber: 5637985363,
      eventId: '9c091af1-5baf-4ca9-b0a4-94d6e59a0d1c', legalEntity: '0031',
      eventTime: '2023-10-16T15:42:46.344Z', initiatingUserObjectId: 'c600136f-6814-41d9-8642-40ca0ec4edd4',
      majorVersion: 0, minorVersion: 0,
    });
    expect(r.value[0].payload.Account).toBe('6043');
  });

  it('falls back to EventTime /Date(ms)/ and accepts an array', () => {
    const e = JSON.parse(raw) as Record<string, unknown>;
    delete e.EventTimeIso8601;
    const r = parseBusinessEvents([e, { ...e, ControlNumber: 5637985370 }]);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.map((x) => x.eventTime)).toEqual([new Date(1697470966000).toISOString(), new Date(1697470966000).toISOString()]);
  });

  it('returns clear errors for hostile input, never throws', () => {
    expect(parseBusinessEvents('{')).toEqual({ ok: false, error: expect.stringMatching(/not JSON/) });
    expect(parseBusinessEvents([])).toEqual({ ok: false, error: expect.stringMatching(/empty list/) });
    const noControl = parseBusinessEvents({ BusinessEventId: 'X', EventId: 'Y', EventTime: '/Date(1)/' });
    expect(noControl.ok).toBe(false);
    if (!noControl.ok) expect(noControl.error).toMatch(/ControlNumber/);
    const badTime = parseBusinessEvents({ BusinessEventId: 'X', EventId: 'Y', ControlNumber: 1, EventTime: 'yesterday' });
    expect(badTime.ok).toBe(false);
    fc.assert(fc.property(fc.jsonValue(), (v) => typeof parseBusinessEvents(v).ok === 'boolean'), { numRuns: 300 });
  });
});

describe('planBusinessEvents', () => {
  const ev = (n: number): BusinessEvent => ({
    businessEventId: 'E', controlNumber: n, eventId: String(n), legalEntity: 'usmf', eventTime: '2026-01-01T00:00:00.000Z',
    initiatingUserObjectId: null, majorVersion: 0, minorVersion: 0, payload: {},
  });

  it('orders by ControlNumber, drops repeats and already-processed events, allows gaps', () => {
    const processed = new Set([100]);
    const plan = planBusinessEvents([ev(130), ev(100), ev(110), ev(130), ev(200)], (n) => processed.has(n), 100);
    expect(plan.process.map((e) => e.controlNumber)).toEqual([110, 130, 200]);
    expect(plan.duplicates.map((e) => e.controlNumber)).toEqual([100, 130]);
    expect(plan.late).toEqual([]);
    expect(plan.highWater).toBe(200);
  });

  it('flags events below the high-water mark as late but still processes them', () => {
    const plan = planBusinessEvents([ev(50), ev(300)], () => false, 200);
    expect(plan.process.map((e) => e.controlNumber)).toEqual([50, 300]);
    expect(plan.late.map((e) => e.controlNumber)).toEqual([50]);
    expect(plan.highWater).toBe(300);
  });
});
