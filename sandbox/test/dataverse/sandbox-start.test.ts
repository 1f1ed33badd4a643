import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox, DATAVERSE_ANCHORS, dataverseSeedFrom, dvId, generateFnoData, TENANT_ID } from '../../src/index';

let sb: Sandbox;
beforeAll(async () => { sb = await startSandbox({ ports: { fno: 0, dataverse: 0, identity: 0 }, customers: 20, quiet: true, fastRetries: true }); });
afterAll(async () => { await sb.close(); });

describe('startSandbox', () => {
  it('returns real URLs of three running services', () => {
    expect(sb.urls.issuer).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/${TENANT_ID}/v2\\.0$`));
    expect(sb.urls.dataverseApi).toBe(`${sb.urls.dataverse}/api/data/v9.2`);
    expect(sb.urls.fno).not.toMatch(/\/data$/);
  });

  it('hands out tokens each service accepts', async () => {
    const fnoToken = await sb.getToken('bridge');
    const fno = await fetch(`${sb.urls.fno}/data/LegalEntities`, { headers: { authorization: `Bearer ${fnoToken}` } });
    expect(fno.status).toBe(200);
    const dvToken = await sb.getToken('bridge', 'dataverse');
    const dv = await fetch(`${sb.urls.dataverseApi}/accounts(${DATAVERSE_ANCHORS.usOrg})?$select=accountnumber`, { headers: { authorization: `Bearer ${dvToken}` } });
    expect(((await dv.json()) as { accountnumber: string }).accountnumber).toBe('US-001');
    const wrongAudience = await fetch(`${sb.urls.dataverseApi}/WhoAmI()`, { headers: { authorization: `Bearer ${fnoToken}` } });
    expect(wrongAudience.status).toBe(401);
  });
});

describe('dataverseSeedFrom', () => {
  it('is deterministic, links companies and keeps prospects without an F&O customer', () => {
    const a = dataverseSeedFrom(generateFnoData({ seed: 3, customers: 20 }));
    const b = dataverseSeedFrom(generateFnoData({ seed: 3, customers: 20 }));
    expect(a.account.map((r) => r.accountid)).toEqual(b.account.map((r) => r.accountid));
    expect(a.cdm_company.map((c) => c.cdm_companycode).sort()).toEqual(['nlmf', 'semf', 'usmf']);
    const us1 = a.account.find((r) => r.accountnumber === 'US-001')!;
    expect(us1._msdyn_company_value).toBe(dvId('cdm_company', 'usmf'));
    expect(us1.msdyn_creditlimitismandatory).toBe(true);
    expect(a.account.find((r) => r.accountid === DATAVERSE_ANCHORS.prospectUs)?.accountnumber).toBeUndefined();
    expect(a.contact.some((c) => c.contactid === DATAVERSE_ANCHORS.nlPerson)).toBe(true);
    expect(dvId('x', 'y')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-e[0-9a-f]{3}-[0-9a-f]{4}-000d3a[0-9a-f]{6}$/); // Dataverse-shaped, not RFC 4122
  });
});
