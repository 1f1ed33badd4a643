import { describe, expect, it } from '@jest/globals';
import { parsePrefer } from './routes';
import { accessRightsText } from './caller';
import { buildContext, toEntity } from './webhook-context';
import { TABLE_BY_NAME, navigationProperty } from './tables';
import { audienceFor, resourceFromScope } from '../identity/claims';
import { BRIDGE_API } from '../identity/principals';

const account = TABLE_BY_NAME.get('account')!;

describe('parsePrefer', () => {
  it('reads page size (capped at 5000), annotations and return=representation', () => {
    expect(parsePrefer('odata.maxpagesize=10, odata.include-annotations="*", return=representation')).toEqual({ maxPageSize: 10, annotations: true, representation: true });
    expect(parsePrefer('odata.maxpagesize=99999').maxPageSize).toBe(5000);
    expect(parsePrefer(undefined)).toEqual({ annotations: false, representation: false });
  });
});

describe('accessRightsText', () => {
  it('writes the flags the way the platform joins them', () => {
    expect(accessRightsText({ read: true, write: false }, false)).toBe('ReadAccess, AppendToAccess');
    expect(accessRightsText({ read: true, write: true }, false)).toBe('ReadAccess, WriteAccess, AppendAccess, AppendToAccess');
    expect(accessRightsText({ read: false, write: false }, false)).toBe('None');
  });
});

describe('navigationProperty', () => {
  it('resolves single and polymorphic lookups', () => {
    expect(navigationProperty(account, 'msdyn_company')).toEqual({ column: 'msdyn_company', target: 'cdm_company' });
    expect(navigationProperty(TABLE_BY_NAME.get('sdkmessageprocessingstep')!, 'eventhandler_serviceendpoint')).toEqual({ column: 'eventhandler', target: 'serviceendpoint' });
    expect(navigationProperty(account, 'nosuch')).toBeUndefined();
  });
});

describe('webhook context', () => {
  const base = {
    table: account, id: 'a1', images: { pre: [], post: [] }, stage: 40, stepId: 's1', stepName: 'step', userId: 'u1', initiatingUserId: 'u0',
    businessUnitId: 'b1', organizationId: 'o1', organizationName: 'org', correlationId: 'c1', operationId: 'op', requestId: null, now: new Date(0),
  };
  it('writes Delete targets as an EntityReference and wraps ids of synchronous Create outputs', () => {
    const del = buildContext({ ...base, message: 'Delete', mode: 1 }) as { InputParameters: { value: { __type: string } }[] };
    expect(del.InputParameters[0].value.__type).toMatch(/^EntityReference:/);
    const create = buildContext({ ...base, message: 'Create', mode: 0, target: { name: 'x' } }) as { OutputParameters: unknown[] };
    expect(create.OutputParameters).toEqual([{ key: 'id', value: { __type: 'Guid:#System', __value: 'a1' } }]);
  });
  it('encodes money, option sets and lookups as SDK types', () => {
    const e = toEntity(account, 'a1', { creditlimit: 5, msdyn_onholdstatus: 806380000, _msdyn_company_value: 'c', '_msdyn_company_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'cdm_company' }, false, true) as { Attributes: { key: string; value: Record<string, unknown> }[] };
    const byKey = Object.fromEntries(e.Attributes.map((a) => [a.key, a.value]));
    expect(byKey.creditlimit).toMatchObject({ Value: 5 });
    expect(String(byKey.msdyn_onholdstatus.__type)).toMatch(/^OptionSetValue:/);
    expect(byKey.msdyn_company).toMatchObject({ Id: 'c', LogicalName: 'cdm_company' });
  });
});

describe('token claims helpers', () => {
  it('maps scopes to resources and audiences like Entra', () => {
    expect(resourceFromScope('http://127.0.0.1:4001/.default')).toBe('http://127.0.0.1:4001');
    expect(resourceFromScope(BRIDGE_API.scope)).toBe(BRIDGE_API.appIdUri);
    expect(audienceFor(BRIDGE_API.appIdUri, '2.0')).toBe(BRIDGE_API.clientId);
    expect(audienceFor(BRIDGE_API.appIdUri, '1.0')).toBe(BRIDGE_API.appIdUri);
  });
});
