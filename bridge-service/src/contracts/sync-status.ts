import { z } from 'zod';
import { Guid } from './guid';
import { SYNC_DIRECTIONS } from './states';

export const SyncState = z.enum(['in_sync', 'pending', 'error', 'conflict', 'not_linked']);
export type SyncState = z.infer<typeof SyncState>;

export const SyncDirection = z.enum(SYNC_DIRECTIONS);
export type SyncDirection = z.infer<typeof SyncDirection>;

/** GET /api/v1/sync/records/{table}/{id}: the sync state of one Dataverse row. */
/** Who made the last change the bridge carried across, and as whom the bridge wrote it on the other side. */
export const ChangeAttribution = z.object({
  /** Where the change was made. */
  side: z.enum(['fno', 'dataverse']),
  /** Who made it as the notification named them: an Entra object id (F&O) or a Dataverse systemuserid; null when unknown. */
  user: Guid.nullable(),
  /** 'user': written to Dataverse as that user (impersonation); 'bridge': written as the bridge's application. */
  writtenAs: z.enum(['user', 'bridge']),
  /** Why not as the user, in plain words; null when written as the user. */
  reason: z.string().nullable(),
});
export type ChangeAttribution = z.infer<typeof ChangeAttribution>;

export const RecordSyncStatus = z.object({
  table: z.string(),
  id: Guid,
  state: SyncState,
  /** The map that links this row (for example "customers-accounts"); null when not linked. */
  map: z.string().nullable(),
  /** The F&O key of the linked record, by field name (for an account: dataAreaId and CustomerAccount). */
  linkedKey: z.record(z.string(), z.string()).nullable(),
  lastSyncedAt: z.string().datetime({ offset: true }).nullable(),
  lastDirection: SyncDirection.nullable(),
  /** The last error, in plain words, when state is error or conflict. */
  lastError: z.string().nullable(),
  /**
   * The same error as a stable code (contracts/sync-errors.ts) with its parameters, so that the controls can say it
   * in the user's language. Optional: a bridge that does not send them, or an error without a code, shows lastError.
   */
  lastErrorCode: z.string().nullable().optional(),
  lastErrorParams: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  pendingChanges: z.number().int().min(0),
  /** Whether the caller may ask for a retry (Sync.Admin). */
  canRetry: z.boolean(),
  /** The last change carried across: who made it and as whom it was written (absent before the first). */
  lastChange: ChangeAttribution.optional(),
});
export type RecordSyncStatus = z.infer<typeof RecordSyncStatus>;

export const RecordParams = z.object({
  table: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  id: Guid,
});
