// Whether an Entra user is an enabled Dataverse user, asked of Dataverse and remembered for a while: the sync
// writes a change made in F&O as the person who made it only when Dataverse knows them.
import type { DataverseClient } from '../../clients/dataverse-client';
import type { DataverseUser } from '../core/attribution';

export function createDataverseUsers(dataverse: Pick<DataverseClient, 'findSystemUserByObjectId'>, ttlMs = 10 * 60_000, now: () => number = Date.now) {
  const cache = new Map<string, { user: DataverseUser; at: number }>();
  return async function dataverseUser(oid: string): Promise<DataverseUser> {
    const hit = cache.get(oid);
    if (hit && now() - hit.at < ttlMs) return hit.user;
    const row = await dataverse.findSystemUserByObjectId(oid);
    const user: DataverseUser = !row ? { kind: 'none' } : row.isdisabled ? { kind: 'disabled', systemUserId: row.systemuserid } : { kind: 'enabled', systemUserId: row.systemuserid };
    if (cache.size >= 10_000) cache.delete(cache.keys().next().value!);
    cache.set(oid, { user, at: now() });
    return user;
  };
}
export type DataverseUsers = ReturnType<typeof createDataverseUsers>;
