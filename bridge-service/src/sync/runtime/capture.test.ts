import { describe, expect, it } from '@jest/globals';
import { SHIPPED_MAPS } from '../core/maps/shipped/index';
import { dataverseEvents, fnoBusinessEvents } from './capture';
import type { NormalisedChange } from '../core/events/remote-execution-context';

const OID = 'c600136f-6814-41d9-8642-40ca0ec4edd4';
const SYSTEM_USER = '5a1e0001-0000-4000-8000-000000000002';

describe('capture keeps who made the change', () => {
  it('an F&O business event: the initiating user\'s Entra object id', () => {
    const events = fnoBusinessEvents(SHIPPED_MAPS, [{
      businessEventId: 'CustomerChangedBusinessEvent', controlNumber: 7, eventId: 'e', legalEntity: 'usmf', eventTime: '2026-01-01T00:00:00Z',
      initiatingUserObjectId: OID, majorVersion: 0, minorVersion: 0, payload: { Account: 'US-001', ChangeType: 'Update' },
    }]);
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(e.payload).toMatchObject({ actor: { side: 'fno', oid: OID } });
  });

  it('a Dataverse webhook: UserId, the systemuser the operation ran as', () => {
    const change = {
      table: 'account', id: 'ec4e2f7d-9d60-e811-a95a-000d3af24950', message: 'Update', changed: { name: 'x' }, preImage: null, postImage: null,
      operationId: 'op', correlationId: null, requestId: null, userId: SYSTEM_USER, initiatingUserId: '5a1e0001-0000-4000-8000-0000000000b1',
      depth: 1, mode: 1, stage: 40, createdOn: null, organizationName: null, sizeExceeded: false,
    } satisfies NormalisedChange;
    const events = dataverseEvents(SHIPPED_MAPS, change, '{}');
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(e.payload).toMatchObject({ actor: { side: 'dataverse', systemUserId: SYSTEM_USER } });
  });
});
