// Dataverse webhook bodies (RemoteExecutionContext) -> one normalised change. Both encodings are read:
// asynchronous steps send plain JSON, synchronous ones wrap Guid/DateTime values (see ./wire). F&O data
// events use the same contract, with the F&O entity as the primary entity.
import { z } from 'zod';
import { parseWcfDate, unwrapValue } from './wire';

export type ChangeMessage = 'Create' | 'Update' | 'Delete';

export interface NormalisedChange {
  /** Primary entity: a Dataverse table logical name, or the F&O entity for data events. */
  table: string;
  /** Primary entity id (lower case for guids). */
  id: string;
  message: ChangeMessage;
  /** Attributes set by the operation (the Target), plain values; null for Delete or when the body was cut for size. */
  changed: Record<string, unknown> | null;
  preImage: Record<string, unknown> | null;
  postImage: Record<string, unknown> | null;
  operationId: string | null;
  correlationId: string | null;
  requestId: string | null;
  userId: string | null;
  initiatingUserId: string | null;
  depth: number;
  /** 0 synchronous, 1 asynchronous. */
  mode: number | null;
  stage: number | null;
  /** When the platform created the operation (ISO), if given. */
  createdOn: string | null;
  organizationName: string | null;
  /** The platform dropped the Target and images (body above 256 KB): read the row itself. */
  sizeExceeded: boolean;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

const KeyValue = z.object({ key: z.string(), value: z.unknown() });
const EntityShape = z.object({
  Attributes: z.array(KeyValue).default([]),
  Id: z.unknown().optional(),
  LogicalName: z.string().nullish(),
});
const Context = z.object({
  MessageName: z.string().min(1),
  PrimaryEntityName: z.string().min(1),
  PrimaryEntityId: z.unknown(),
  InputParameters: z.array(KeyValue).default([]),
  PreEntityImages: z.array(KeyValue).nullish(),
  PostEntityImages: z.array(KeyValue).nullish(),
  OperationId: z.unknown().optional(),
  CorrelationId: z.unknown().optional(),
  RequestId: z.unknown().optional(),
  UserId: z.unknown().optional(),
  InitiatingUserId: z.unknown().optional(),
  Depth: z.number().int().min(0).default(1),
  Mode: z.number().int().nullish(),
  Stage: z.number().int().nullish(),
  OperationCreatedOn: z.string().nullish(),
  OrganizationName: z.string().nullish(),
});

function formatIssues(error: z.ZodError): string {
  return error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`).join('; ');
}

function idOf(value: unknown): string | null {
  const v = unwrapValue(value);
  if (typeof v === 'string' && v) return v.toLowerCase();
  return null;
}

/** Attribute names that would reach Object.prototype if copied onto a plain object. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function entityAttributes(value: unknown): Record<string, unknown> | null {
  const parsed = EntityShape.safeParse(value);
  if (!parsed.success) return null;
  const out: Record<string, unknown> = {};
  for (const { key, value: v } of parsed.data.Attributes) {
    if (!UNSAFE_KEYS.has(key)) out[key] = unwrapValue(v);
  }
  return out;
}

function firstImage(images: Array<{ key: string; value: unknown }> | null | undefined): Record<string, unknown> | null {
  for (const image of images ?? []) {
    const attrs = entityAttributes(image.value);
    if (attrs) return attrs;
  }
  return null;
}

export interface ParseOptions {
  /** The `x-ms-dynamics-msg-size-exceeded` header was present. */
  sizeExceededHeader?: boolean;
}

/** Parse a webhook body (string or already-parsed JSON). Never throws: hostile input yields a readable error. */
export function parseRemoteExecutionContext(body: unknown, options: ParseOptions = {}): ParseResult<NormalisedChange> {
  let json: unknown = body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    try {
      json = JSON.parse(body.toString()) as unknown;
    } catch {
      return { ok: false, error: 'the body is not JSON: expected a RemoteExecutionContext as sent by a Dataverse webhook' };
    }
  }
  const parsed = Context.safeParse(json);
  if (!parsed.success) return { ok: false, error: `not a RemoteExecutionContext: ${formatIssues(parsed.error)}` };
  const c = parsed.data;
  if (c.MessageName !== 'Create' && c.MessageName !== 'Update' && c.MessageName !== 'Delete') {
    return { ok: false, error: `message ${c.MessageName} is not handled: register the step for Create, Update or Delete only` };
  }
  const id = idOf(c.PrimaryEntityId);
  if (!id) return { ok: false, error: 'PrimaryEntityId is missing or empty' };

  const target = c.InputParameters.find((p) => p.key === 'Target');
  let changed: Record<string, unknown> | null = null;
  if (target && c.MessageName !== 'Delete') {
    changed = entityAttributes(target.value);
    if (!changed) return { ok: false, error: 'InputParameters.Target is not an Entity (expected Attributes as key/value pairs)' };
  }
  const sizeExceeded = options.sizeExceededHeader === true || (c.MessageName !== 'Delete' && !target);

  return {
    ok: true,
    value: {
      table: c.PrimaryEntityName,
      id,
      message: c.MessageName,
      changed: sizeExceeded ? null : changed,
      preImage: sizeExceeded ? null : firstImage(c.PreEntityImages),
      postImage: sizeExceeded ? null : firstImage(c.PostEntityImages),
      operationId: idOf(c.OperationId),
      correlationId: idOf(c.CorrelationId),
      requestId: idOf(c.RequestId),
      userId: idOf(c.UserId),
      initiatingUserId: idOf(c.InitiatingUserId),
      depth: c.Depth,
      mode: c.Mode ?? null,
      stage: c.Stage ?? null,
      createdOn: c.OperationCreatedOn ? parseWcfDate(c.OperationCreatedOn) : null,
      organizationName: c.OrganizationName ?? null,
      sizeExceeded,
    },
  };
}

/**
 * Attributes of an F&O data event re-cased to the entity's field names (data events may name fields in
 * another case than OData does). Unknown attributes are kept as sent.
 */
export function recaseAttributes(attributes: Record<string, unknown>, fieldNames: readonly string[]): Record<string, unknown> {
  const byLower = new Map(fieldNames.map((n) => [n.toLowerCase(), n]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attributes)) {
    if (!UNSAFE_KEYS.has(k)) out[byLower.get(k.toLowerCase()) ?? k] = v;
  }
  return out;
}
