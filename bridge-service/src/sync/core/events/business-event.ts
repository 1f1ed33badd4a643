// F&O business event envelope, and a pure plan for a batch: drop what was already processed (by
// ControlNumber), process the rest in ControlNumber order. ControlNumber increases but has gaps, so a
// gap is never waited for; a number below the high-water mark is late, not wrong.
import { z } from 'zod';
import { parseWcfDate } from './wire';
import type { ParseResult } from './remote-execution-context';

export interface BusinessEvent {
  businessEventId: string;
  controlNumber: number;
  eventId: string;
  legalEntity: string | null;
  /** ISO time of the event. */
  eventTime: string;
  initiatingUserObjectId: string | null;
  majorVersion: number;
  minorVersion: number;
  /** The whole payload, for event-specific fields (e.g. Account). */
  payload: Record<string, unknown>;
}

const Envelope = z.looseObject({
  BusinessEventId: z.string().min(1),
  ControlNumber: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]),
  EventId: z.string().min(1),
  EventTime: z.string().optional(),
  EventTimeIso8601: z.string().optional(),
  BusinessEventLegalEntity: z.string().nullish(),
  InitiatingUserAADObjectId: z.string().nullish(),
  MajorVersion: z.number().int().default(0),
  MinorVersion: z.number().int().default(0),
});

function parseOne(item: unknown, index: number | null): ParseResult<BusinessEvent> {
  const where = index === null ? '' : `event ${index}: `;
  const r = Envelope.safeParse(item);
  if (!r.success) {
    const detail = r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    return { ok: false, error: `${where}not an F&O business event envelope: ${detail}` };
  }
  const e = r.data;
  const iso = e.EventTimeIso8601 && !Number.isNaN(Date.parse(e.EventTimeIso8601))
    ? new Date(Date.parse(e.EventTimeIso8601)).toISOString()
    : e.EventTime ? parseWcfDate(e.EventTime) : null;
  if (!iso) return { ok: false, error: `${where}EventTime is missing or not a /Date(ms)/ value` };
  return {
    ok: true,
    value: {
      businessEventId: e.BusinessEventId,
      controlNumber: e.ControlNumber,
      eventId: e.EventId.replace(/[{}]/g, '').toLowerCase(),
      legalEntity: e.BusinessEventLegalEntity ? e.BusinessEventLegalEntity.toLowerCase() : null,
      eventTime: iso,
      initiatingUserObjectId: e.InitiatingUserAADObjectId ? e.InitiatingUserAADObjectId.replace(/[{}]/g, '').toLowerCase() : null,
      majorVersion: e.MajorVersion,
      minorVersion: e.MinorVersion,
      payload: e,
    },
  };
}

/** One envelope or an array of them (as an endpoint batch). Never throws. */
export function parseBusinessEvents(body: unknown): ParseResult<BusinessEvent[]> {
  let json: unknown = body;
  if (typeof body === 'string') {
    try { json = JSON.parse(body) as unknown; } catch { return { ok: false, error: 'the body is not JSON: expected an F&O business event' }; }
  }
  const items = Array.isArray(json) ? json : [json];
  if (items.length === 0) return { ok: false, error: 'the body is an empty list of business events' };
  const out: BusinessEvent[] = [];
  for (const [i, item] of items.entries()) {
    const r = parseOne(item, Array.isArray(json) ? i : null);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return { ok: true, value: out };
}

export interface BusinessEventPlan {
  /** New events, ascending ControlNumber, each once. */
  process: BusinessEvent[];
  /** Already processed, or repeated within the batch. */
  duplicates: BusinessEvent[];
  /** New, but below the high-water mark: delivered out of order (processed anyway). */
  late: BusinessEvent[];
  highWater: number | null;
}

export function planBusinessEvents(
  events: readonly BusinessEvent[], alreadyProcessed: (controlNumber: number) => boolean, highWater: number | null,
): BusinessEventPlan {
  const seen = new Set<number>();
  const plan: BusinessEventPlan = { process: [], duplicates: [], late: [], highWater };
  for (const e of [...events].sort((a, b) => a.controlNumber - b.controlNumber)) {
    if (seen.has(e.controlNumber) || alreadyProcessed(e.controlNumber)) { plan.duplicates.push(e); continue; }
    seen.add(e.controlNumber);
    if (highWater !== null && e.controlNumber < highWater) plan.late.push(e);
    plan.process.push(e);
    plan.highWater = plan.highWater === null ? e.controlNumber : Math.max(plan.highWater, e.controlNumber);
  }
  return plan;
}
