// Delete propagation: a linked record is gone on one side, so its counterpart is deleted, deactivated or kept by the
// map's policy (core/deletes.ts), the link is removed, and the delete is recorded in sync_deletes, where admins read
// it and where the applier and the echo filter find their tombstones:
//  - a row kept (deactivated or unlinked) is never re-created on the side where its counterpart was deleted, however
//    it changes later (the sweep, a late update event, the deactivation's own update event);
//  - the bridge's own delete of the counterpart, notified back, is an echo and propagates nothing.
// The deleted side is read, never taken from the event: a Delete event of a record that exists again (or still
// exists) is an ordinary change.
import type { FnoClient } from '../../clients/fno-client';
import type { DataverseClient } from '../../clients/dataverse-client';
import { keyJson, type Link, type LinksRepo } from '../../db/repos/links';
import type { DeleteRecord, DeletesRepo } from '../../db/repos/deletes';
import { dvLockKey, fnoLockKey, type LockScope } from '../../db/repos/locks';
import { describeDelete, planDelete } from '../core/deletes';
import type { DeleteAction, Side, TableMap } from '../core/maps/types';

export type DeleteOutcome =
  | { kind: 'deleted'; action: DeleteAction | 'both_deleted'; deletedSide: Side; record: DeleteRecord }
  | { kind: 'skipped'; reason: string };

export interface DeletePropagation {
  /** The record `recordKey` (Dataverse row id, or keyJson of the F&O key) is gone on `deletedSide`. */
  propagate(map: TableMap, deletedSide: Side, recordKey: string, locks: LockScope): Promise<DeleteOutcome>;
  /** Why this unlinked record must not be created on the other side (it was kept after a delete there), or null. */
  keptAfterDelete(map: TableMap, side: Side, recordKey: string): Promise<string | null>;
  /** Whether the record on `side` was deleted by the bridge itself (a policy 'delete'): its Delete event is an echo. */
  deletedByBridge(map: TableMap, side: Side, recordKey: string): Promise<boolean>;
}

const sideWords = (map: TableMap, side: Side) => (side === 'fno' ? `${map.fno.entitySet} record` : `${map.dataverse.table} row`);

export function createDeletePropagation(deps: { fno: FnoClient; dataverse: DataverseClient; links: LinksRepo; deletes: DeletesRepo }): DeletePropagation {
  const { fno, dataverse, links, deletes } = deps;

  const findLink = (map: TableMap, side: Side, recordKey: string): Promise<Link | null> => (side === 'dataverse'
    ? links.findByDataverse(map.name, map.dataverse.table, recordKey)
    : links.findByFno(map.name, map.fno.entitySet, JSON.parse(recordKey) as Record<string, string>));

  async function counterpartExists(map: TableMap, target: Side, link: Link): Promise<boolean> {
    if (target === 'dataverse') return (await dataverse.get(map.dataverse.entitySet, link.dataverseId, { select: [map.dataverse.primaryId] })) !== null;
    return (await fno.getByKey(map.fno.entitySet, link.fnoKey, { crossCompany: true })) !== null;
  }

  async function deletedByBridge(map: TableMap, side: Side, recordKey: string): Promise<boolean> {
    const t = await deletes.latestFor(map.name, side, recordKey);
    return !!t && t.deletedSide !== side && t.action === 'delete';
  }

  return {
    deletedByBridge,

    async keptAfterDelete(map, side, recordKey) {
      const t = await deletes.latestFor(map.name, side, recordKey);
      if (!t || t.deletedSide === side || (t.action !== 'deactivate' && t.action !== 'unlink')) return null;
      return `its linked ${sideWords(map, t.deletedSide)} was deleted on ${t.at} and this ${sideWords(map, side)} was kept (policy ${t.action === 'unlink' ? 'keep and unlink' : 'deactivate'}): it is not re-created there`;
    },

    async propagate(map, deletedSide, recordKey, locks) {
      const link = await findLink(map, deletedSide, recordKey);
      if (!link) {
        if (await deletedByBridge(map, deletedSide, recordKey)) {
          return { kind: 'skipped', reason: `the bridge deleted this ${sideWords(map, deletedSide)} itself (map ${map.name}, policy delete): nothing to propagate` };
        }
        return { kind: 'skipped', reason: `the ${sideWords(map, deletedSide)} was deleted and is not linked: nothing to propagate` };
      }
      const plan = planDelete(map, deletedSide);
      if (plan.action === 'none') return { kind: 'skipped', reason: plan.reason };
      const target = plan.target;
      await locks.hold(target === 'dataverse' ? dvLockKey(map.name, link.dataverseId) : fnoLockKey(map.name, link.fnoKey));
      const base = { map: map.name, deletedSide, dataverseId: link.dataverseId, fnoKey: keyJson(link.fnoKey) };

      let action: DeleteAction | 'both_deleted' = plan.action;
      if (!(await counterpartExists(map, target, link))) action = 'both_deleted';
      else if (plan.action === 'delete') {
        if (target === 'dataverse') await dataverse.delete(map.dataverse.entitySet, link.dataverseId);
        else await fno.delete(map.fno.entitySet, link.fnoKey);
      } else if (plan.action === 'deactivate') {
        if (target === 'dataverse') await dataverse.upsert(map.dataverse.entitySet, link.dataverseId, { ...plan.values }, { mode: 'update' });
        else await fno.update(map.fno.entitySet, link.fnoKey, { ...plan.values }, '*');
      }
      // Recorded before the link goes: a job that finds no link always finds the tombstone.
      const record = await deletes.record({ ...base, action, message: describeDelete(map, deletedSide, action) });
      await links.remove(link.id);
      return { kind: 'deleted', action, deletedSide, record };
    },
  };
}
