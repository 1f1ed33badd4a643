// Deletes, pure: what the engine does with a linked row when its counterpart was deleted on the other side,
// by the map's delete policy (maps/types.ts DeletePolicy). The runtime (../runtime/deletes.ts) applies it.
import { mapFlows, type DeleteAction, type Scalar, type Side, type TableMap } from './maps/types';

export type { DeleteAction };

export type DeletePlan =
  /** The map does not flow from the deleted side: nothing is propagated and the link stays. */
  | { action: 'none'; target: Side; reason: string }
  | { action: 'delete' | 'unlink'; target: Side }
  | { action: 'deactivate'; target: Side; values: Readonly<Record<string, Scalar>> };

export const otherSide = (side: Side): Side => (side === 'fno' ? 'dataverse' : 'fno');

/** The action a map's policy names for a delete on `deletedSide` ('unlink' when the policy is silent). */
export function deleteActionOf(map: TableMap, deletedSide: Side): DeleteAction {
  const p = map.deletes;
  return (deletedSide === 'fno' ? p?.fnoDeleted : p?.dataverseDeleted) ?? 'unlink';
}

/** What to do with the counterpart of a row deleted on `deletedSide`. */
export function planDelete(map: TableMap, deletedSide: Side): DeletePlan {
  const target = otherSide(deletedSide);
  if (!mapFlows(map, deletedSide === 'fno' ? 'fno_to_dataverse' : 'dataverse_to_fno')) {
    return { action: 'none', target, reason: `the map does not flow from ${deletedSide === 'fno' ? 'F&O' : 'Dataverse'}, so a delete there is not propagated; the next change of the source re-creates the row` };
  }
  const action = deleteActionOf(map, deletedSide);
  if (action !== 'deactivate') return { action, target };
  const values = map.deletes?.deactivate?.[target];
  // validateMaps refuses a map without them; unlinking is the harmless fallback.
  if (!values || Object.keys(values).length === 0) return { action: 'unlink', target };
  return { action, target, values };
}

/**
 * Whether a change of a row that has no link may create its counterpart. Not when the counterpart was deleted and
 * this row was kept by the delete policy (deactivated or unlinked): the sweep or a late update event would otherwise
 * re-create on one side what a user deleted there.
 */
export function mayCreateCounterpart(keptAfterDelete: { action: DeleteAction } | null): boolean {
  return !keptAfterDelete || keptAfterDelete.action === 'delete';
}

/** Words for the admin: what was done, e.g. "F&O customer deleted -> Dataverse row deactivated". */
export function describeDelete(map: TableMap, deletedSide: Side, action: DeleteAction | 'none' | 'both_deleted'): string {
  const deleted = deletedSide === 'fno' ? `${map.fno.entitySet} record` : `${map.dataverse.table} row`;
  const other = deletedSide === 'fno' ? `${map.dataverse.table} row` : `${map.fno.entitySet} record`;
  switch (action) {
    case 'delete': return `The ${deleted} was deleted; the bridge deleted the linked ${other} (map ${map.name}, policy delete).`;
    case 'deactivate': return `The ${deleted} was deleted; the bridge deactivated the linked ${other} and unlinked it (map ${map.name}, policy deactivate).`;
    case 'unlink': return `The ${deleted} was deleted; the linked ${other} was kept and unlinked (map ${map.name}, policy keep and unlink).`;
    case 'both_deleted': return `The ${deleted} was deleted and the linked ${other} no longer exists either; the link was removed (map ${map.name}).`;
    default: return `The ${deleted} was deleted; nothing was propagated because map ${map.name} does not flow that way.`;
  }
}
