import { describe, it, expect } from '@jest/globals';
import { generateFnoData, DEMO_ANCHORS } from './generate';
import { loadFnoSchema } from '../fno/schema';

describe('generateFnoData', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    expect(generateFnoData({ seed: 7 })).toEqual(generateFnoData({ seed: 7 }));
    expect(generateFnoData({ seed: 7 }).CustomersV3[10]).not.toEqual(generateFnoData({ seed: 8 }).CustomersV3[10]);
  });
  it('uses only properties and enum members of the served schema, with unique keys', () => {
    const schema = loadFnoSchema();
    const ds = generateFnoData({});
    for (const [set, rows] of Object.entries(ds)) {
      const entity = schema.entities.get(set);
      expect(entity).toBeDefined();
      const keys = new Set<string>();
      for (const row of rows) {
        for (const [name, value] of Object.entries(row)) {
          const prop = entity!.byName.get(name);
          if (!prop) throw new Error(`${set}.${name} is not a property of the real entity`);
          const enumName = prop.type.replace('Microsoft.Dynamics.DataEntities.', '');
          const en = schema.enums.get(enumName);
          if (en) expect(en.members.map((m) => m.name)).toContain(value);
        }
        const key = entity!.keys.map((k) => String(row[k])).join('|');
        expect(keys.has(key)).toBe(false);
        keys.add(key);
      }
    }
  });
  it('holds the documented anchors in three companies', () => {
    const ds = generateFnoData({ seed: 99 });
    const get = (c: string, a: string) => ds.CustomersV3.find((r) => r.dataAreaId === c && r.CustomerAccount === a)!;
    expect(get('usmf', 'US-001').OrganizationName).toBe(DEMO_ANCHORS.usOrg.OrganizationName);
    expect(get('usmf', 'US-002').InvoiceAccount).toBe('US-001');
    expect(get('nlmf', 'NL-001').OrganizationName).toBe("Bakkerij 't Hoekje");
    expect(get('nlmf', 'NL-002').PartyType).toBe('Person');
    expect(get('semf', 'SE-001')).toMatchObject({ OrganizationName: 'Åkesson & Söner AB', SalesCurrencyCode: 'SEK' });
    const bal = ds.FinOpsBridgeCustomerBalances.find((r) => r.CustomerAccount === 'US-001')!;
    expect(bal).toMatchObject({ Balance: 4650.5, OverdueAmount: 3400.5, OpenInvoiceCount: 2 });
    expect(new Set(ds.CustomersV3.map((r) => r.dataAreaId))).toEqual(new Set(['usmf', 'nlmf', 'semf']));
  });
  it('links the published hierarchy to existing parties and gives vendors the contact fields dual-write maps', () => {
    const ds = generateFnoData({});
    // Relations name parties by party number, which is neither a unit's number nor a company's code (as in F&O).
    const parties = new Set([...ds.OperatingUnits, ...ds.LegalEntities].map((r) => r.PartyNumber));
    for (const r of ds.OperatingUnits) expect(r.PartyNumber).not.toBe(r.OperatingUnitNumber);
    for (const r of ds.LegalEntities) expect(r.PartyNumber).not.toBe(r.LegalEntityId);
    expect(parties.size).toBe(ds.OperatingUnits.length + ds.LegalEntities.length);
    expect(ds.OrganizationHierarchyPublishedV2.length).toBeGreaterThan(0);
    for (const h of ds.OrganizationHierarchyPublishedV2) {
      expect(parties).toContain(h.ParentOrganizationPartyNumber);
      expect(parties).toContain(h.ChildOrganizationPartyNumber);
      expect(h.ChildOrganizationName).not.toBe('');
    }
    for (const v of ds.VendorsV2) {
      expect(v).toMatchObject({ AddressStreet: expect.any(String), AddressZipCode: expect.any(String), PrimaryURL: expect.stringMatching(/^https:/) });
      expect(v.CreditLimit).toBeGreaterThan(0);
    }
    expect(ds.ReleasedProductsV2.every((p) => typeof p.UnitCost === 'number' && p.UnitCost < Number(p.SalesPrice))).toBe(true);
  });
  // Its speed is measured by the benchmark (sandbox start time in its report), not asserted here.
  it('generates 100,000 customers with unique keys', () => {
    const ds = generateFnoData({ customers: 100_000 });
    expect(ds.CustomersV3).toHaveLength(100_000);
    expect(new Set(ds.CustomersV3.map((c) => `${String(c.dataAreaId)}|${String(c.CustomerAccount)}`)).size).toBe(100_000);
  });
});
