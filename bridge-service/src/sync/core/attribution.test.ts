import { describe, expect, it } from '@jest/globals';
import { actorFromPayload, actorOf, bridgeWrote, dataverseWriter, userWrote } from './attribution';

const OID = 'c600136f-6814-41d9-8642-40ca0ec4edd4';

describe('change attribution', () => {
  it('reads the user a notification names: braces and case as F&O sends them, nothing that is not a GUID', () => {
    expect(actorOf('fno', `{${OID.toUpperCase()}}`)).toEqual({ side: 'fno', oid: OID });
    expect(actorOf('dataverse', OID)).toEqual({ side: 'dataverse', systemUserId: OID });
    expect(actorOf('fno', 'Admin')).toBeUndefined();
    expect(actorOf('fno', null)).toBeUndefined();
  });

  it('reads the actor back from a stored payload, ignoring anything malformed', () => {
    expect(actorFromPayload({ actor: { side: 'fno', oid: OID } })).toEqual({ side: 'fno', oid: OID });
    expect(actorFromPayload({ changed: ['name'] })).toBeNull();
    expect(actorFromPayload({ actor: { side: 'elsewhere', oid: OID } })).toBeNull();
    expect(actorFromPayload({ actor: { side: 'fno', oid: "x' or 1 eq 1" } })).toBeNull();
    expect(actorFromPayload(null)).toBeNull();
  });

  it('writes Dataverse as the F&O user only when Dataverse knows them and they are enabled', () => {
    const fno = { side: 'fno' as const, oid: OID };
    expect(dataverseWriter(fno, { kind: 'enabled', systemUserId: 'x' })).toEqual({ callerObjectId: OID });
    expect(dataverseWriter(fno, { kind: 'disabled', systemUserId: 'x' })).toEqual({ reason: expect.stringMatching(/disabled in Dataverse/) });
    expect(dataverseWriter(fno, { kind: 'none' })).toEqual({ reason: expect.stringMatching(/not a Dataverse user/) });
    expect(dataverseWriter(null, null)).toEqual({ reason: expect.stringMatching(/no notification named/) });
    expect(dataverseWriter({ side: 'dataverse', systemUserId: OID }, null)).toEqual({ reason: expect.stringMatching(/made in Dataverse/) });
  });

  it('records who made the change either way', () => {
    expect(userWrote({ side: 'fno', oid: OID })).toEqual({ side: 'fno', user: OID, writtenAs: 'user', reason: null });
    expect(bridgeWrote('dataverse', { side: 'dataverse', systemUserId: OID }, 'why')).toEqual({ side: 'dataverse', user: OID, writtenAs: 'bridge', reason: 'why' });
    expect(bridgeWrote('fno', null, 'why').user).toBeNull();
  });
});
