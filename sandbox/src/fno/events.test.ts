import { describe, it, expect } from '@jest/globals';
import { customerChangedBody, dataEventBody } from './events';
import { loadFnoSchema } from './schema';

const entity = loadFnoSchema().entities.get('CustomersV3')!;
const row = { dataAreaId: 'nlmf', CustomerAccount: 'NL-001', OrganizationName: "Bakkerij 't Hoekje", CreditLimit: 10 };
const at = '2026-01-15T12:00:00.000Z';

describe('event bodies', () => {
  it('data events: Create carries the row, Update keys + changed fields and a PreImage, Delete an EntityReference', () => {
    const create = dataEventBody({ kind: 'Create', entitySet: 'CustomersV3', after: row, changed: Object.keys(row), userOid: 'u', at }, entity, 'http://fno');
    expect(create).toMatchObject({ MessageName: 'Create', PrimaryEntityName: 'CustomersV3', PreEntityImages: [], OperationCreatedOn: `/Date(${Date.parse(at)})/` });
    const upd = dataEventBody({ kind: 'Update', entitySet: 'CustomersV3', before: row, after: { ...row, CreditLimit: 20 }, changed: ['CreditLimit'], userOid: 'u', at }, entity, 'http://fno');
    const target = (upd.InputParameters as { value: { Attributes: { key: string }[] } }[])[0].value;
    expect(target.Attributes.map((a) => a.key)).toEqual(['dataAreaId', 'CustomerAccount', 'CreditLimit']);
    expect((upd.PreEntityImages as { key: string }[])[0].key).toBe('PreImage');
    const del = dataEventBody({ kind: 'Delete', entitySet: 'CustomersV3', before: row, changed: [], userOid: 'u', at }, entity, 'http://fno');
    expect((del.InputParameters as { value: { __type: string } }[])[0].value.__type).toMatch(/^EntityReference:/);
  });
  it('business events follow the real envelope', () => {
    const b = customerChangedBody({ kind: 'Update', entitySet: 'CustomersV3', after: row, changed: [], userOid: 'c600136f-6814-41d9-8642-40ca0ec4edd4', at }, 5637985363);
    expect(b).toMatchObject({ Account: 'NL-001', BusinessEventLegalEntity: 'nlmf', LegalEntity: 'nlmf', ControlNumber: 5637985363, MajorVersion: 0, MinorVersion: 0,
      InitiatingUserAADObjectId: '{C600136F-6814-41D9-8642-40CA0EC4EDD4}', Name: "Bakkerij 't Hoekje", EventTime: `/Date(${Date.parse(at)})/` });
    expect(String(b.EventId)).toMatch(/^[0-9A-F-]{36}$/);
  });
});
