// Record-level access: what a signed-in user may do on one Dataverse row, asked of Dataverse now, by the
// bridge's application user (RetrievePrincipalAccess for the user's systemuser). The one place every route that
// names a record asks; Dataverse security (business units, company owner teams) decides.
import type { DataverseClient } from '../clients/dataverse-client';
import { UpstreamError } from '../clients/upstream-error';
import type { Principal } from './verifier';

export interface Access { read: boolean; write: boolean }

export interface RecordAccess {
  /** The caller's rights on the row; none for a row that does not exist, a user Dataverse does not know, or a disabled one. */
  access(principal: Principal, entitySet: string, id: string): Promise<Access>;
}

const NONE: Access = { read: false, write: false };
/** How long a user's systemuser id (or its absence, or that it is disabled) is kept; rights on rows are never cached. */
const SYSTEM_USER_TTL_MS = 60_000;

export function createRecordAccess(dataverse: DataverseClient): RecordAccess {
  const systemUsers = new Map<string, { id: string | null; at: number }>();

  async function systemUserId(oid: string): Promise<string | null> {
    const hit = systemUsers.get(oid);
    if (hit && Date.now() - hit.at < SYSTEM_USER_TTL_MS) return hit.id;
    const row = await dataverse.findSystemUserByObjectId(oid);
    const id = row && !row.isdisabled ? row.systemuserid : null;
    systemUsers.set(oid, { id, at: Date.now() });
    return id;
  }

  return {
    async access(principal, entitySet, id) {
      const user = await systemUserId(principal.oid);
      if (!user) return NONE;
      let rights: Set<string>;
      try {
        rights = await dataverse.retrievePrincipalAccess(user, entitySet, id);
      } catch (e) {
        if (e instanceof UpstreamError && e.status === 404) return NONE;
        throw e;
      }
      return { read: rights.has('ReadAccess'), write: rights.has('WriteAccess') };
    },
  };
}
