/* eslint-disable @typescript-eslint/no-unsafe-call -- response bodies are parsed JSON; the assertions check them */
// EntityDefinitions: the table definitions the sandbox serves, in the Web API's metadata shape.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startDv, type DvHarness } from './helpers';

let h: DvHarness;
beforeAll(async () => { h = await startDv(); });
afterAll(async () => { await h.close(); });

describe('GET EntityDefinitions', () => {
  it('describes a table by logical name with its attributes and alternate keys', async () => {
    const r = await h.call('sales', 'GET', "EntityDefinitions(LogicalName='msdyn_vendor')?$select=LogicalName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute&$expand=Attributes($select=LogicalName,AttributeType),Keys");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ LogicalName: 'msdyn_vendor', EntitySetName: 'msdyn_vendors', PrimaryIdAttribute: 'msdyn_vendorid', PrimaryNameAttribute: 'msdyn_name' });
    expect(r.body.Attributes).toContainEqual(expect.objectContaining({ LogicalName: 'msdyn_pimaryphonenumber', AttributeType: 'String', '@odata.type': '#Microsoft.Dynamics.CRM.StringAttributeMetadata' }));
    expect(r.body.Attributes).toContainEqual(expect.objectContaining({ LogicalName: 'msdyn_company', AttributeType: 'Lookup', Targets: ['cdm_company'] }));
    expect(r.body.Keys).toEqual([expect.objectContaining({ KeyAttributes: ['msdyn_vendoraccountnumber', 'msdyn_company'] })]);
    expect(r.body['@odata.context']).toMatch(/\$metadata#EntityDefinitions\(LogicalName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute\)\/\$entity$/);
  });

  it('lists every table, or the one a LogicalName filter names, and finds it again by MetadataId', async () => {
    const all = await h.call('bridge', 'GET', 'EntityDefinitions?$select=LogicalName,EntitySetName,MetadataId');
    expect(all.body.value.map((d: { LogicalName: string }) => d.LogicalName)).toEqual(expect.arrayContaining(['account', 'msdyn_currencyexchangerate', 'solution']));
    const one = await h.call('bridge', 'GET', "EntityDefinitions?$filter=LogicalName eq 'product'&$expand=Attributes");
    expect(one.body.value).toHaveLength(1);
    expect(one.body.value[0].Attributes.map((a: { LogicalName: string }) => a.LogicalName)).toEqual(expect.arrayContaining(['price', 'currentcost']));
    const account = all.body.value.find((d: { LogicalName: string }) => d.LogicalName === 'account');
    const byId = await h.call('bridge', 'GET', `EntityDefinitions(${account.MetadataId as string})?$select=EntitySetName`);
    expect(byId.body).toMatchObject({ EntitySetName: 'accounts' });
  });

  it('answers 404 for an unknown table and 400 for what it does not serve, saying what it does', async () => {
    const missing = await h.call('bridge', 'GET', "EntityDefinitions(LogicalName='nosuchtable')");
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/LogicalName = nosuchtable/);
    const badSelect = await h.call('bridge', 'GET', 'EntityDefinitions?$select=IsCustomEntity');
    expect(badSelect.status).toBe(400);
    expect(badSelect.body.error.message).toMatch(/serves MetadataId, LogicalName/);
    const badFilter = await h.call('bridge', 'GET', 'EntityDefinitions?$filter=IsCustomEntity eq true');
    expect(badFilter.status).toBe(400);
    const write = await h.call('bridge', 'POST', 'EntityDefinitions', { body: {} });
    expect(write.status).toBe(405);
  });
});
