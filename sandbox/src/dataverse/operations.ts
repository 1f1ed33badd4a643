// Create, upsert, update and delete as a caller: security, system columns, versioning and the webhook
// steps of the change. Synchronous steps run inside the operation; asynchronous ones after it commits.
import { newDataverseId } from './ids';
import { ifMatchSatisfied, numericEtag } from '../odata';
import { accessTo, type Caller } from './caller';
import { DataverseError, dvErrors } from './errors';
import { LOOKUP_TARGET_ANNOTATION, type TableDef } from './schema-types';
import { text, type DataverseStore, type Row } from './store';
import type { ChangeEvent, WebhookDispatcher } from './webhook-dispatch';
import type { MessageName } from './webhook-context';

export interface OpContext {
  store: DataverseStore;
  hooks: WebhookDispatcher;
  caller: Caller;
  /** The user whose token made the request (differs from caller under impersonation). */
  initiatingUserId: string;
  correlationId: string;
  /** Async webhook events, sent once the request (or changeset) commits. */
  pendingAsync: ChangeEvent[];
}

/** The owner columns of a row owned by `ownerId` (a systemuser or a team), in its business unit, as Dataverse derives them. */
function ownerColumns(store: DataverseStore, ownerId: string, type: string): Row {
  const owner = store.get(type, ownerId);
  return {
    _ownerid_value: ownerId, [`_ownerid_value${LOOKUP_TARGET_ANNOTATION}`]: type,
    _owningteam_value: type === 'team' ? ownerId : null, _owninguser_value: type === 'team' ? null : ownerId,
    _owningbusinessunit_value: owner?._businessunitid_value ?? null,
  };
}

/**
 * Who owns a new row: the owner the request binds (`ownerid@odata.bind`, a team or a user), else the caller. Dataverse
 * assigns no owner from any other column: a row's company (msdyn_company) does not make it the company's (dual-write's
 * own runtime sets its rows' owner to the company's team; any other writer, the bridge included, must bind it).
 */
function ownershipOf(ctx: OpContext, t: TableDef, merged: Row): Row {
  if (t.columns.ownerid === undefined) return {};
  const bound = merged[`_ownerid_value${LOOKUP_TARGET_ANNOTATION}`];
  return typeof bound === 'string' ? ownerColumns(ctx.store, text(merged._ownerid_value), bound) : ownerColumns(ctx.store, ctx.caller.systemUserId, 'systemuser');
}

/** Who did it: `by` the caller (the impersonated user under CallerObjectId), on behalf of the token's user when they differ. */
function userColumns(ctx: OpContext, column: 'created' | 'modified'): Row {
  const behalf = ctx.caller.systemUserId === ctx.initiatingUserId ? null : ctx.initiatingUserId;
  return {
    [`_${column}by_value`]: ctx.caller.systemUserId, [`_${column}by_value${LOOKUP_TARGET_ANNOTATION}`]: 'systemuser',
    [`_${column}onbehalfby_value`]: behalf, ...(behalf ? { [`_${column}onbehalfby_value${LOOKUP_TARGET_ANNOTATION}`]: 'systemuser' } : {}),
  };
}

function stamp(ctx: OpContext, now: string): Row {
  return { modifiedon: now, ...userColumns(ctx, 'modified') };
}

async function fire(ctx: OpContext, t: TableDef, message: MessageName, id: string, target: Row | undefined, pre: Row | undefined, post: Row | undefined): Promise<void> {
  const ev: ChangeEvent = {
    table: t, message, id, target, pre, post, userId: ctx.caller.systemUserId, initiatingUserId: ctx.initiatingUserId,
    businessUnitId: ctx.caller.businessUnitId ?? '00000000-0000-0000-0000-000000000000', correlationId: ctx.correlationId,
  };
  await ctx.hooks.runSync(ev);
  ctx.pendingAsync.push(ev);
}

function checkCreate(ctx: OpContext, t: TableDef, row: Row): void {
  const a = accessTo(ctx.caller, t.companyScoped === true, row);
  if (!a.write) {
    if (!t.companyScoped && !ctx.caller.isApp) throw dvErrors.missingPrivilege(ctx.caller.systemUserId, `prvCreate${t.logicalName}`);
    throw dvErrors.accessDenied(ctx.caller.systemUserId, t.logicalName, String(row[t.primaryKey]), 'CreateAccess');
  }
}

export async function createRow(ctx: OpContext, t: TableDef, patch: Row, keyValues: Row = {}): Promise<Row> {
  const id = (text(keyValues[t.primaryKey]) || text(patch[t.primaryKey]) || newDataverseId()).toLowerCase();
  if (ctx.store.get(t.logicalName, id)) throw dvErrors.duplicateKey();
  const merged: Row = { ...keyValues, ...patch, [t.primaryKey]: id };
  for (const key of t.alternateKeys) {
    const cols = key.map((c) => (t.lookups[c] ? `_${c}_value` : c));
    // The index bucket holds exactly the rows this comparison accepts; re-checking keeps the rule in one place.
    if (cols.every((c) => merged[c] !== undefined && merged[c] !== null)
      && ctx.store.lookup(t.logicalName, cols, cols.map((c) => merged[c]))
        .some((r) => cols.every((c) => String(r[c]).toLowerCase() === String(merged[c]).toLowerCase()))) {
      throw dvErrors.duplicateKey();
    }
  }
  Object.assign(merged, ownershipOf(ctx, t, merged));
  checkCreate(ctx, t, merged);
  const now = new Date().toISOString();
  const row: Row = {
    ...(t.columns.statecode ? { statecode: 0, statuscode: 1 } : {}),
    ...merged,
    createdon: now, ...userColumns(ctx, 'created'),
    ...stamp(ctx, now),
  };
  if (t.logicalName === 'contact' && row.fullname === undefined) row.fullname = [row.firstname, row.lastname].filter(Boolean).join(' ');
  const stored = ctx.store.put(t.logicalName, id, row, 'created');
  await fire(ctx, t, 'Create', id, { ...merged }, undefined, stored);
  return stored;
}

export async function updateRow(ctx: OpContext, t: TableDef, existing: Row, patch: Row, ifMatch?: string): Promise<Row> {
  const id = String(existing[t.primaryKey]);
  if (!accessTo(ctx.caller, t.companyScoped === true, existing).read) throw dvErrors.accessDenied(ctx.caller.systemUserId, t.logicalName, id, 'ReadAccess');
  if (ifMatch && !ifMatchSatisfied(ifMatch, numericEtag(Number(existing.versionnumber)))) throw dvErrors.etagMismatch();
  // An owner bound in the patch assigns the row: its owning team or user and business unit follow.
  const assigned = typeof patch[`_ownerid_value${LOOKUP_TARGET_ANNOTATION}`] === 'string'
    ? ownerColumns(ctx.store, text(patch._ownerid_value), text(patch[`_ownerid_value${LOOKUP_TARGET_ANNOTATION}`])) : {};
  const after = { ...existing, ...patch, ...assigned };
  if (t.logicalName === 'contact' && ('firstname' in patch || 'lastname' in patch)) after.fullname = [after.firstname, after.lastname].filter(Boolean).join(' ');
  const a = accessTo(ctx.caller, t.companyScoped === true, existing);
  const b = accessTo(ctx.caller, t.companyScoped === true, after);
  if (!a.write || !b.write) {
    if (!t.companyScoped && !ctx.caller.isApp) throw dvErrors.missingPrivilege(ctx.caller.systemUserId, `prvWrite${t.logicalName}`);
    throw dvErrors.accessDenied(ctx.caller.systemUserId, t.logicalName, id, 'WriteAccess');
  }
  const stored = ctx.store.put(t.logicalName, id, { ...after, [t.primaryKey]: id, ...stamp(ctx, new Date().toISOString()) }, 'updated');
  const target = { ...patch, [t.primaryKey]: id, modifiedon: stored.modifiedon, ...stamp(ctx, text(stored.modifiedon)) };
  await fire(ctx, t, 'Update', id, target, existing, stored);
  return stored;
}

export async function deleteRow(ctx: OpContext, t: TableDef, existing: Row, ifMatch?: string): Promise<void> {
  const id = String(existing[t.primaryKey]);
  const a = accessTo(ctx.caller, t.companyScoped === true, existing);
  if (!a.read) throw dvErrors.accessDenied(ctx.caller.systemUserId, t.logicalName, id, 'ReadAccess');
  if (!a.write) {
    if (!t.companyScoped && !ctx.caller.isApp) throw dvErrors.missingPrivilege(ctx.caller.systemUserId, `prvDelete${t.logicalName}`);
    throw dvErrors.accessDenied(ctx.caller.systemUserId, t.logicalName, id, 'DeleteAccess');
  }
  if (ifMatch && !ifMatchSatisfied(ifMatch, numericEtag(Number(existing.versionnumber)))) throw dvErrors.etagMismatch();
  ctx.store.remove(t.logicalName, id);
  await fire(ctx, t, 'Delete', id, undefined, existing, undefined);
}

/** Runs `work` atomically: rolls back the rows (and drops the webhook events) when it throws. */
export async function inTransaction<T>(ctx: OpContext, work: () => Promise<T>): Promise<T> {
  const pendingBefore = ctx.pendingAsync.length;
  ctx.store.begin();
  try {
    const out = await work();
    ctx.store.commit();
    return out;
  } catch (e) {
    ctx.store.rollback();
    ctx.pendingAsync.length = pendingBefore;
    throw e instanceof DataverseError ? e : new DataverseError(500, '0x80040216', `An unexpected error occurred: ${e instanceof Error ? e.message : String(e)}`);
  }
}
