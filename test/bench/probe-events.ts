// Pure: what the benchmark's probe needs from a change notification (a RemoteExecutionContext, from
// Dataverse webhooks and F&O data events alike): message, entity and the Target's attributes, with
// Money / OptionSetValue wrappers unwrapped to their Value.

export interface ProbeChange {
  message: string;
  entity: string;
  attributes: Record<string, unknown>;
}

type Kv = { key?: unknown; value?: unknown };

const unwrap = (v: unknown): unknown =>
  v !== null && typeof v === 'object' && 'Value' in v ? (v).Value : v;

export function probeChange(body: unknown): ProbeChange | null {
  if (body === null || typeof body !== 'object') return null;
  const ctx = body as { MessageName?: unknown; PrimaryEntityName?: unknown; InputParameters?: Kv[] };
  if (typeof ctx.MessageName !== 'string' || typeof ctx.PrimaryEntityName !== 'string') return null;
  const target = (ctx.InputParameters ?? []).find((p) => p.key === 'Target')?.value as { Attributes?: Kv[] } | undefined;
  const attributes: Record<string, unknown> = {};
  for (const a of target?.Attributes ?? []) if (typeof a.key === 'string') attributes[a.key] = unwrap(a.value);
  return { message: ctx.MessageName, entity: ctx.PrimaryEntityName, attributes };
}

/**
 * The marker an edit wrote, if this change carries one on the watched side: F&O -> Dataverse edits write a unique
 * credit limit (it flows from F&O only), Dataverse -> F&O edits a unique phone number (credit limits edited in
 * Dataverse never reach F&O).
 */
export function markerOf(change: ProbeChange, side: 'fno' | 'dataverse'): number | null {
  if (change.message !== 'Update' && change.message !== 'Create') return null;
  const v = side === 'fno' ? (change.entity === 'CustomersV3' ? change.attributes.PrimaryContactPhone : undefined)
    : (change.entity === 'account' ? change.attributes.creditlimit : undefined);
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : null;
}

/** How many edits an open-loop generator at `rate` per second should have started after `elapsedMs`. */
export function dueEdits(elapsedMs: number, rate: number, total: number): number {
  if (elapsedMs < 0) return 0;
  return Math.min(total, Math.floor((elapsedMs * rate) / 1000) + 1);
}
