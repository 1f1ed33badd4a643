// Who made a change, and as whom the bridge wrote it on the other side. Pure.
//
// Dataverse lets an application user act for another user (CallerObjectId: the row's modifiedby becomes that
// user, modifiedonbehalfby the bridge, and the user's own security applies). So a change a person made in F&O is
// written to Dataverse as that person when they are an enabled Dataverse user. F&O's OData has no such header
// for service calls: a change made in Dataverse is written to F&O by the bridge's application, and the link
// keeps who made it. Either way the link records the change's author and how it was written.
import { isGuid } from '../../contracts/guid';
import type { Side } from './maps/types';
import type { ChangeAttribution } from '../../contracts/sync-status';

export type { ChangeAttribution };

/** The user a notification names: an Entra object id (F&O events) or a Dataverse systemuserid (Dataverse webhooks). */
export interface ChangeActor {
  side: Side;
  /** Entra object id (F&O data and business events name users this way). */
  oid?: string;
  /** Dataverse systemuserid (Dataverse's UserId: the user the operation ran as). */
  systemUserId?: string;
}

const lowerGuid = (v: unknown): string | undefined => {
  if (typeof v !== 'string') return undefined;
  const s = v.replace(/[{}]/g, '').toLowerCase();
  return isGuid(s) ? s : undefined;
};

/** The actor to keep in a queue event's payload, or undefined when the notification names nobody usable. */
export function actorOf(side: Side, user: unknown): ChangeActor | undefined {
  const id = lowerGuid(user);
  if (!id) return undefined;
  return side === 'fno' ? { side, oid: id } : { side, systemUserId: id };
}

/** The actor stored in an event payload (see capture), read defensively: payloads are JSON from the store. */
export function actorFromPayload(payload: unknown): ChangeActor | null {
  const a = (payload as { actor?: unknown } | null)?.actor as Record<string, unknown> | undefined;
  if (!a || (a.side !== 'fno' && a.side !== 'dataverse')) return null;
  const oid = lowerGuid(a.oid);
  const systemUserId = lowerGuid(a.systemUserId);
  if (!oid && !systemUserId) return null;
  return { side: a.side, ...(oid ? { oid } : {}), ...(systemUserId ? { systemUserId } : {}) };
}

/** What Dataverse knows of an Entra user: absent, disabled, or an enabled systemuser. */
export type DataverseUser = { kind: 'none' } | { kind: 'disabled'; systemUserId: string } | { kind: 'enabled'; systemUserId: string };

/** As whom to write Dataverse for a change: the CallerObjectId to send, or the reason to write as the bridge. */
export function dataverseWriter(actor: ChangeActor | null, user: DataverseUser | null): { callerObjectId: string } | { reason: string } {
  if (!actor) return { reason: 'no notification named who made the change (found by the reconciliation sweep, or an initial sync)' };
  if (actor.side === 'dataverse') return { reason: 'the change was made in Dataverse' };
  if (!actor.oid) return { reason: 'the F&O notification named no user' };
  if (!user || user.kind === 'none') return { reason: `the F&O user ${actor.oid} is not a Dataverse user` };
  if (user.kind === 'disabled') return { reason: `the F&O user ${actor.oid} is disabled in Dataverse` };
  return { callerObjectId: actor.oid };
}

/** The attribution of a change from `side` written by the bridge's application (always so toward F&O). */
export function bridgeWrote(side: Side, actor: ChangeActor | null, reason: string): ChangeAttribution {
  return { side, user: actor?.systemUserId ?? actor?.oid ?? null, writtenAs: 'bridge', reason };
}

/** The attribution of a change written to Dataverse as the user who made it in F&O. */
export function userWrote(actor: ChangeActor & { oid: string }): ChangeAttribution {
  return { side: actor.side, user: actor.oid, writtenAs: 'user', reason: null };
}

export const FNO_HAS_NO_IMPERSONATION = 'F&O takes service writes only as the bridge\'s application; the link keeps who made the change';

export const NO_DELEGATE = 'the bridge\'s Dataverse application user lacks prvActOnBehalfOfAnotherUser (the Delegate role), so it wrote as itself';

export const REFUSED_AS_USER = (oid: string): string => `the F&O user ${oid} may not write this row in Dataverse, so the bridge wrote it as itself`;
