import { describe, expect, it } from '@jest/globals';
import { SHIPPED_MAPS, customersAccounts, releasedProducts } from './maps/shipped/index';
import { dataverseFilteringAttributes, fnoKeyOf, keyString, mapsForChange, selectColumns } from './routing';

const names = (maps: { name: string }[]) => maps.map((m) => m.name);

describe('mapsForChange', () => {
  it('routes an F&O customer to accounts or contacts by PartyType', () => {
    expect(names(mapsForChange(SHIPPED_MAPS, 'fno', 'customersv3', { PartyType: 'Organization', dataAreaId: 'usmf' }))).toEqual(['customers-accounts']);
    expect(names(mapsForChange(SHIPPED_MAPS, 'fno', 'CustomersV3', { PartyType: 'Person' }))).toEqual(['customers-contacts']);
    expect(names(mapsForChange(SHIPPED_MAPS, 'fno', 'CustomersV3', { CreditLimit: 5 }))).toEqual(['customers-accounts', 'customers-contacts']);
  });

  it('routes Dataverse tables by logical name or entity set; unknown tables get no map', () => {
    expect(names(mapsForChange(SHIPPED_MAPS, 'dataverse', 'account', { telephone1: '1' }))).toEqual(['customers-accounts']);
    expect(names(mapsForChange(SHIPPED_MAPS, 'dataverse', 'accounts'))).toEqual(['customers-accounts']);
    expect(mapsForChange(SHIPPED_MAPS, 'dataverse', 'account', { customertypecode: 8 })).toEqual([]);
    expect(mapsForChange(SHIPPED_MAPS, 'dataverse', 'lead', {})).toEqual([]);
  });

  it('honours the legal-entity scope', () => {
    expect(names(mapsForChange(SHIPPED_MAPS, 'fno', 'CDSReleasedDistinctProducts', { dataAreaId: 'usmf' }))).toEqual([releasedProducts.name]);
    expect(mapsForChange(SHIPPED_MAPS, 'fno', 'CDSReleasedDistinctProducts', { dataAreaId: 'nlmf' })).toEqual([]);
    // Released products are read from dual-write's CDS entity, not ReleasedProductsV2.
    expect(mapsForChange(SHIPPED_MAPS, 'fno', 'ReleasedProductsV2', { dataAreaId: 'usmf' })).toEqual([]);
  });

  it('gives a legal entity\'s change to its company and its internal organisation', () => {
    expect(names(mapsForChange(SHIPPED_MAPS, 'fno', 'LegalEntities', { LegalEntityId: 'usmf' }))).toEqual(['legal-entities', 'legal-entity-organisations']);
    expect(names(mapsForChange(SHIPPED_MAPS, 'dataverse', 'msdyn_internalorganization'))).toEqual(['legal-entity-organisations', 'operating-units']);
  });
});

describe('keys and columns', () => {
  it('reads the F&O key, company lower case; null when incomplete', () => {
    expect(fnoKeyOf(customersAccounts, { dataAreaId: 'USMF', CustomerAccount: 'US-001', X: 1 })).toEqual({ dataAreaId: 'usmf', CustomerAccount: 'US-001' });
    expect(fnoKeyOf(customersAccounts, { dataAreaId: 'usmf', CustomerAccount: '' })).toBeNull();
    expect(keyString(customersAccounts, { CustomerAccount: 'US-001', dataAreaId: 'usmf' })).toBe('["usmf","US-001"]');
  });

  it('selects keys, mapped columns (lookups as _x_value) and filter columns', () => {
    const dv = selectColumns(customersAccounts, 'dataverse');
    expect(dv).toEqual(expect.arrayContaining(['accountid', 'accountnumber', '_msdyn_company_value', '_msdyn_customergroupid_value', 'customertypecode', 'modifiedon']));
    expect(dv).not.toContain('msdyn_company');
    const fno = selectColumns(customersAccounts, 'fno');
    expect(fno).toEqual(expect.arrayContaining(['dataAreaId', 'CustomerAccount', 'PartyType', 'OnHoldStatus']));
  });

  it('lists the filtering attributes of a table for the Update step', () => {
    const attrs = dataverseFilteringAttributes(SHIPPED_MAPS, 'account');
    expect(attrs).toEqual(expect.arrayContaining(['accountnumber', 'msdyn_company', 'name', 'customertypecode', 'telephone1']));
    // Finance-controlled columns flow from F&O only: their edits in Dataverse need no notification.
    expect(attrs).not.toEqual(expect.arrayContaining(['creditlimit']));
    expect(attrs).not.toEqual(expect.arrayContaining(['msdyn_onholdstatus']));
    expect(dataverseFilteringAttributes(SHIPPED_MAPS, 'product')).toEqual([]);
  });
});
