// Admin API of the sync engine (/api/v1/admin, app role Sync.Admin): maps, initial sync, errors, conflicts.
import { z } from 'zod';
import { Guid } from './guid';
import { ACTIVE_JOB_STATES, DELETE_OUTCOMES, FAILING_JOB_STATES, MAP_DIRECTIONS, MAP_STATES } from './states';

export const MapStateName = z.enum(MAP_STATES);
export const SideName = z.enum(['fno', 'dataverse']);

export const MapSummary = z.object({
  name: z.string(),
  description: z.string(),
  direction: z.enum(MAP_DIRECTIONS),
  state: MapStateName,
  stateSince: z.string(),
  counters: z.object({ processed: z.number().int(), written: z.number().int(), failed: z.number().int(), conflicts: z.number().int() }),
  /** Records with changes waiting (queued, running or retrying). */
  pending: z.number().int(),
  /** Records parked with an error. */
  parked: z.number().int(),
  /** Age in seconds of the oldest change not yet applied; 0 when nothing waits. */
  lagSeconds: z.number(),
  lastSweepAt: z.string().nullable(),
  lastProcessedAt: z.string().nullable(),
});
export type MapSummary = z.infer<typeof MapSummary>;
export const MapList = z.object({ maps: z.array(MapSummary) });

export const MapNameParams = z.object({ name: z.string().regex(/^[a-z][a-z0-9-]{0,99}$/) });
export const IdParams = z.object({ id: Guid });

export const InitialSyncOptions = z.object({
  /** Which side wins for records that exist on both sides. Default: the map's primary side, else F&O. */
  winner: SideName.optional(),
  /** Limit to these legal entities (within the map's own scope). */
  legalEntities: z.array(z.string().min(1).max(10)).optional(),
  /** Rerun only the records that failed in the last run. */
  failedOnly: z.boolean().optional(),
  /** F&O page size (at most 10,000). */
  pageSize: z.number().int().min(1).max(10_000).optional(),
  /** Start over instead of resuming from the checkpoints. */
  restart: z.boolean().optional(),
}).strict();
export type InitialSyncOptions = z.infer<typeof InitialSyncOptions>;

export const InitialSyncProgress = z.object({
  map: z.string(),
  state: z.enum(['never', 'running', 'done', 'failed', 'stopped']),
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  ratePerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** Steps (page reads, $batch writes) retried after a transient failure in this instance's run. */
  retries: z.number().int().optional(),
  /** The latest of those failures: when, what, which try, the error, the wait before the next try. */
  lastTransientError: z.string().nullable().optional(),
  companies: z.array(z.object({ company: z.string(), pass: z.number().int(), done: z.number().int(), total: z.number().int(), completed: z.boolean() })),
  failures: z.array(z.object({ company: z.string(), recordKey: z.string(), reason: z.string(), at: z.string() })),
});
export type InitialSyncProgress = z.infer<typeof InitialSyncProgress>;

export const SyncErrorItem = z.object({
  id: z.string(),
  map: z.string(),
  side: SideName,
  recordKey: z.string(),
  state: z.enum(FAILING_JOB_STATES),
  attempts: z.number().int(),
  message: z.string().nullable(),
  /** The failure's stable code (contracts/sync-errors.ts) and its parameters: the console says it in the admin's language. */
  code: z.string().nullable().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).nullable().optional(),
  updatedAt: z.string(),
});
export type SyncErrorItem = z.infer<typeof SyncErrorItem>;
/** A record an initial sync could not write (kept until the map's next initial sync; rerun with failedOnly). */
export const InitialSyncFailureItem = z.object({ map: z.string(), company: z.string(), recordKey: z.string(), reason: z.string(), at: z.string() });
export type InitialSyncFailureItem = z.infer<typeof InitialSyncFailureItem>;

export const SyncErrorList = z.object({ errors: z.array(SyncErrorItem), initialSync: z.array(InitialSyncFailureItem) });

/** A record with changes waiting to be written (queued, being written, or waiting to retry), oldest change first. */
export const QueuedItem = z.object({
  id: z.string(),
  map: z.string(),
  side: SideName,
  recordKey: z.string(),
  state: z.enum(ACTIVE_JOB_STATES),
  attempts: z.number().int(),
  /** When the oldest change not yet written was received; null when unknown (its event was purged). */
  waitingSince: z.string().nullable(),
  /** When the record is due (a retry's backoff, or a Retry-After). */
  nextRunAt: z.string(),
  message: z.string().nullable(),
});
export type QueuedItem = z.infer<typeof QueuedItem>;
export const QueueList = z.object({ queued: z.array(QueuedItem) });

export const ConflictItem = z.object({
  id: z.string(),
  map: z.string(),
  dataverseId: z.string().nullable(),
  fnoKey: z.record(z.string(), z.string()).nullable(),
  fields: z.array(z.string()),
  winner: SideName,
  policy: z.string(),
  detail: z.array(z.object({
    field: z.string(), fnoBase: z.unknown(), fnoValue: z.unknown(), dataverseBase: z.unknown(), dataverseValue: z.unknown(),
    winner: SideName, reason: z.string(),
  })),
  at: z.string(),
});
export type ConflictItem = z.infer<typeof ConflictItem>;
export const ConflictList = z.object({ conflicts: z.array(ConflictItem) });

/** A delete the engine propagated (GET /admin/deletes): which side, what the map's policy did, in words. */
export const DeleteItem = z.object({
  id: z.string(),
  map: z.string(),
  deletedSide: SideName,
  dataverseId: z.string(),
  fnoKey: z.record(z.string(), z.string()),
  action: z.enum(DELETE_OUTCOMES),
  message: z.string(),
  at: z.string(),
});
export type DeleteItem = z.infer<typeof DeleteItem>;
export const DeleteList = z.object({ deletes: z.array(DeleteItem) });

export const ListQuery = z.object({
  map: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const ActionResult = z.object({ ok: z.literal(true), state: z.string().optional(), message: z.string().optional() });
export type ActionResult = z.infer<typeof ActionResult>;

/** What a notification is about. `map_paused_by_alert` is written by the worker's alert rule, the others by the alert monitor. */
export const NOTIFICATION_KINDS = Object.freeze([
  'map_paused_by_alert', 'errors_above_threshold', 'lag_above_limit', 'service_unreachable', 'credential_expiring',
] as const);
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * A notification's delivery to one webhook: pending (waiting for its first or next try), sending (claimed by one
 * instance), delivered, failed (refused, or out of tries), abandoned (its instance stopped mid-send: not sent again,
 * so a notification never reaches a webhook twice).
 */
export const DELIVERY_STATES = Object.freeze(['pending', 'sending', 'delivered', 'failed', 'abandoned'] as const);
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export const NotificationDelivery = z.object({
  /** generic#1, teams#2, ...: the variable and position of the webhook, plus a short hash; never its URL. */
  target: z.string(),
  state: z.enum(DELIVERY_STATES),
  attempts: z.number().int(),
  deliveredAt: z.string().nullable(),
  lastError: z.string().nullable(),
});
export const NotificationItem = z.object({
  id: z.string(),
  map: z.string().nullable(),
  /** One of NOTIFICATION_KINDS (kept open: older rows may carry kinds of another version). */
  kind: z.string(),
  message: z.string(),
  at: z.string(),
  deliveries: z.array(NotificationDelivery),
});
export type NotificationItem = z.infer<typeof NotificationItem>;
export const NotificationList = z.object({ notifications: z.array(NotificationItem) });
export const NotificationQuery = z.object({
  map: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const isoTime = z.iso.datetime({ offset: true, error: 'an ISO 8601 date and time, e.g. 2026-01-31T12:00:00Z' });
export const AuditQuery = z.object({
  accountId: Guid.optional(),
  /** Entries at or after this time. */
  from: isoTime.optional(),
  /** Entries before this time. */
  to: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type AuditQuery = z.infer<typeof AuditQuery>;
export const AuditItem = z.object({
  id: z.string(),
  requestId: z.string(),
  principalOid: z.string(),
  principalName: z.string().nullable(),
  accountId: z.string(),
  company: z.string().nullable(),
  customerAccount: z.string().nullable(),
  changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })),
  result: z.enum(['applied', 'conflict', 'rejected', 'failed']),
  errorCode: z.string().nullable(),
  at: z.string(),
});
export type AuditItem = z.infer<typeof AuditItem>;
export const AuditList = z.object({ entries: z.array(AuditItem) });
