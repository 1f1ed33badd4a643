import { describe, expect, it } from '@jest/globals';
import { boundCompanyId, ownedBy, withCompanyOwner } from './ownership';
import { SHIPPED_MAPS } from './maps/shipped';

const accounts = SHIPPED_MAPS.find((m) => m.name === 'customers-accounts')!;
const currencies = SHIPPED_MAPS.find((m) => m.name === 'currencies')!;
const COMPANY = '11111111-0000-4000-8000-000000000001';
const TEAM = '22222222-0000-4000-8000-000000000002';

describe('the owner of a row the bridge creates', () => {
  it('is the company the payload binds, read from the map\'s company lookup', () => {
    expect(boundCompanyId(accounts, { 'msdyn_company@odata.bind': `/cdm_companies(${COMPANY.toUpperCase()})` })).toBe(COMPANY);
    expect(boundCompanyId(accounts, { name: 'x' })).toBeNull();
    expect(boundCompanyId(currencies, { 'msdyn_company@odata.bind': `/cdm_companies(${COMPANY})` })).toBeNull();
  });

  it('binds the company\'s default owning team, and nothing when the company has none', async () => {
    const payload = { name: 'Contoso', 'msdyn_company@odata.bind': `/cdm_companies(${COMPANY})` };
    const teams = new Map([[COMPANY, TEAM]]);
    expect(await withCompanyOwner(accounts, payload, async (id) => teams.get(id) ?? null)).toEqual({ ...payload, 'ownerid@odata.bind': `/teams(${TEAM})` });
    expect(await withCompanyOwner(accounts, payload, async () => null)).toEqual(payload);
    expect(ownedBy(payload, null)).not.toBe(payload);
  });
});
