import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseRemoteExecutionContext, recaseAttributes } from './remote-execution-context';
import { parseWcfDate, unwrapValue } from './wire';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../../../../test/fixtures/real/${name}`, import.meta.url)), 'utf8');

describe('parseRemoteExecutionContext', () => {
  it('reads the synchronous (wrapped) encoding: account update', () => {
    const r = parseRemoteExecutionContext(fixture('dataverse-webhook-account-update-sync-mode0.json'));
    if (!r.ok) throw new Error(r.error);
    expect(r.value).toMatchObject({
      table: 'account', id: 'ec4e2f7d-9d60-e811-a95a-000d3af24950', message: 'Update', mode: 0, stage: 40, depth: 1,
      operationId: '08fec203-ec78-4f7a-a024-c96e329a64fe', correlationId: '39499111-e689-42a1-ae8a-5b14a84514ce',
      userId: 'df010dad-f103-4589-ba66-76a5a04c2a11', sizeExceeded: false, organizationName: 'org94971a24',
      createdOn: new Date(1527757530151).toISOString(), preImage: null, postImage: null,
    });
    expect(r.value.changed).toMatchObject({
      telephone1: '1111', accountid: 'ec4e2f7d-9d60-e811-a95a-000d3af24950',
      modifiedon: new Date(1527757524000).toISOString(),
      modifiedby: { Id: 'df010dad-f103-4589-ba66-76a5a04c2a11', LogicalName: 'systemuser', Name: null },
      modifiedonbehalfby: null,
    });
  });

  it('reads the asynchronous (plain) encoding: contact update with a post-image', () => {
    const body = JSON.parse(fixture('dataverse-webhook-remoteexecutioncontext-contact-update.json')) as unknown;
    const r = parseRemoteExecutionContext(body);
    if (!r.ok) throw new Error(r.error);
    expect(r.value).toMatchObject({ table: 'contact', id: '6d81597f-0f9f-e711-8122-000d3aa2331c', message: 'Update', mode: 1, requestId: null });
    expect(r.value.changed).toMatchObject({ firstname: 'James', modifiedon: new Date(1506384247000).toISOString() });
    expect(r.value.postImage).toEqual({ fullname: 'James Glynn (sample)', contactid: '6d81597f-0f9f-e711-8122-000d3aa2331c' });
    // "/Date(1506409448000-0700)/": the number is UTC milliseconds; the offset only names the sender's zone.
    expect(r.value.createdOn).toBe(new Date(1506409448000).toISOString());
  });

  it('marks a body cut for size: no Target, or the header', () => {
    const body = JSON.parse(fixture('dataverse-webhook-remoteexecutioncontext-contact-update.json')) as Record<string, unknown>;
    const cut = { ...body, InputParameters: [], PostEntityImages: [] };
    const r = parseRemoteExecutionContext(cut);
    expect(r.ok && r.value.sizeExceeded && r.value.changed === null).toBe(true);
    const h = parseRemoteExecutionContext(body, { sizeExceededHeader: true });
    expect(h.ok && h.value.sizeExceeded && h.value.changed === null && h.value.postImage === null).toBe(true);
  });

  it('reads a Delete (Target is an EntityReference) with a pre-image', () => {
    const r = parseRemoteExecutionContext({
      MessageName: 'Delete', PrimaryEntityName: 'account', PrimaryEntityId: 'EC4E2F7D-9D60-E811-A95A-000D3AF24950', Depth: 1,
      InputParameters: [{ key: 'Target', value: { __type: 'EntityReference:http://schemas.microsoft.com/xrm/2011/Contracts', Id: 'ec4e2f7d-9d60-e811-a95a-000d3af24950', LogicalName: 'account' } }],
      PreEntityImages: [{ key: 'pre', value: { Attributes: [{ key: 'accountnumber', value: 'US-001' }], LogicalName: 'account' } }],
    });
    if (!r.ok) throw new Error(r.error);
    expect(r.value).toMatchObject({ message: 'Delete', id: 'ec4e2f7d-9d60-e811-a95a-000d3af24950', changed: null, sizeExceeded: false, preImage: { accountnumber: 'US-001' } });
  });

  it('normalises an F&O data event (same contract, F&O entity and field casing)', () => {
    const r = parseRemoteExecutionContext({
      MessageName: 'Update', PrimaryEntityName: 'CustomersV3', PrimaryEntityId: '5637144576', Depth: 1,
      InputParameters: [{ key: 'Target', value: { Attributes: [{ key: 'DATAAREAID', value: 'usmf' }, { key: 'customeraccount', value: 'US-001' }, { key: 'CreditLimit', value: 10 }] } }],
    });
    if (!r.ok) throw new Error(r.error);
    expect(r.value.table).toBe('CustomersV3');
    expect(recaseAttributes(r.value.changed!, ['dataAreaId', 'CustomerAccount', 'CreditLimit']))
      .toEqual({ dataAreaId: 'usmf', CustomerAccount: 'US-001', CreditLimit: 10 });
  });

  it('returns clear errors for hostile input', () => {
    const cases: Array<[unknown, RegExp]> = [
      ['not json', /not JSON/],
      [null, /not a RemoteExecutionContext/],
      [[], /not a RemoteExecutionContext/],
      [{ MessageName: 'Update' }, /PrimaryEntityName/],
      [{ MessageName: 'Assign', PrimaryEntityName: 'account', PrimaryEntityId: 'x' }, /Assign is not handled/],
      [{ MessageName: 'Update', PrimaryEntityName: 'account', PrimaryEntityId: '' }, /PrimaryEntityId/],
      [{ MessageName: 'Update', PrimaryEntityName: 'account', PrimaryEntityId: 'a', InputParameters: [{ key: 'Target', value: 5 }] }, /Target is not an Entity/],
      [{ MessageName: 'Update', PrimaryEntityName: 'account', PrimaryEntityId: 'a', Depth: 'deep' }, /Depth/],
    ];
    for (const [body, error] of cases) {
      const r = parseRemoteExecutionContext(body);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(error);
    }
  });

  it('drops attribute names that would pollute prototypes', () => {
    const r = parseRemoteExecutionContext('{"MessageName":"Update","PrimaryEntityName":"account","PrimaryEntityId":"a","InputParameters":[{"key":"Target","value":{"Attributes":[{"key":"__proto__","value":{"polluted":true}},{"key":"name","value":"A"}]}}]}');
    if (!r.ok) throw new Error(r.error);
    expect(r.value.changed).toEqual({ name: 'A' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(r.value.changed)).toBe(Object.prototype);
  });

  it('never throws, whatever the JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      const r = parseRemoteExecutionContext(value);
      return typeof r.ok === 'boolean';
    }), { numRuns: 300 });
    fc.assert(fc.property(fc.string(), (s) => typeof parseRemoteExecutionContext(s).ok === 'boolean'), { numRuns: 200 });
  });
});

describe('wire values', () => {
  it('unwraps WCF values', () => {
    expect(parseWcfDate('/Date(0)/')).toBe('1970-01-01T00:00:00.000Z');
    expect(parseWcfDate('2020-01-01')).toBeNull();
    expect(unwrapValue({ __type: 'Guid:#System', __value: 'ABC-D' })).toBe('abc-d');
    expect(unwrapValue({ __type: 'OptionSetValue:http://schemas.microsoft.com/xrm/2011/Contracts', Value: 806380001 })).toBe(806380001);
    expect(unwrapValue({ __type: 'Money:http://schemas.microsoft.com/xrm/2011/Contracts', Value: 12.5 })).toBe(12.5);
  });
});
