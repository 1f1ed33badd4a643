// Every shipped map beside Microsoft's dual-write map of the same tables (field tables from the mapping reference, in
// test/fixtures/real/reference/dual-write-maps): same names where both map a column, and the sync README's coverage
// table tells the true counts.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compareWithDualWrite, parseDualWriteMap, type DualWriteComparison } from './dual-write-reference';
import { SHIPPED_MAPS } from './shipped';

const REFERENCE = fileURLToPath(new URL('../../../../../test/fixtures/real/reference/dual-write-maps/', import.meta.url));
const SYNC_README = fileURLToPath(new URL('../../README.md', import.meta.url));

/** Each shipped map's counterpart: the file of Microsoft's map of the same tables. */
const COUNTERPARTS: Readonly<Record<string, string>> = {
  'legal-entities': 'LegalEntities-Companies',
  'legal-entity-organisations': 'LegalEntities-msdyn-internalorganizations',
  'organisation-hierarchy-types': 'OrganizationHierarchyType-msdyn-internalorganizationhierarchytypes',
  'operating-units': 'OperatingUnit-msdyn-internalorganizations',
  'organisation-hierarchies': 'OrganizationHierarchyPublished-msdyn-internalorganizationhierarchies',
  currencies: 'Currencies-transactioncurrencies',
  'exchange-rates': 'ExchangeRates-msdyn-currencyexchangerates',
  'payment-terms': 'TermsofPayment-msdyn-paymentterms',
  'customer-groups': 'CustCustomerGroup-msdyn-customergroups',
  'customers-accounts': 'CustomersV3-accounts',
  'customers-contacts': 'CustomersV3-contacts',
  'vendor-groups': 'VendVendorGroup-msdyn-vendorgroups',
  vendors: 'VendorsV2-msdyn-vendors',
  'released-products': 'EcoResReleasedDistinctProductCDSEntity-products',
};

/**
 * Where ours reads another F&O field than Microsoft's map for the same Dataverse column, and why. Anything not listed
 * here fails the test: a name that drifts from Microsoft's must be a decision written down.
 */
const KNOWN_RENAMES: Readonly<Record<string, readonly string[]>> = {};

const compare = (name: string): DualWriteComparison => {
  const map = SHIPPED_MAPS.find((m) => m.name === name);
  if (!map) throw new Error(`no shipped map ${name}`);
  return compareWithDualWrite(map, parseDualWriteMap(readFileSync(`${REFERENCE}${COUNTERPARTS[name]}.md`, 'utf8')));
};

describe('the dual-write reference parser', () => {
  it('reads a field table: lookups split into column and key, none as null, defaults kept', () => {
    const map = parseDualWriteMap(readFileSync(`${REFERENCE}CustomersV3-accounts.md`, 'utf8'));
    expect(map.title).toBe('Customers V3 to accounts');
    expect(map.fields).toHaveLength(62);
    expect(map.fields).toContainEqual({ fno: 'CUSTOMERGROUPID', mapType: '=', dataverse: 'msdyn_customergroupid', lookupKey: 'msdyn_groupid' });
    expect(map.fields).toContainEqual({ fno: null, mapType: '>>', dataverse: 'customertypecode', default: '3' });
    expect(map.fields).toContainEqual({ fno: 'PARTYTYPE', mapType: '<<', dataverse: null, default: 'Organization' });
  });

  it('refuses a file without a title or a field table', () => {
    expect(() => parseDualWriteMap('no title')).toThrow(/title/);
    expect(() => parseDualWriteMap('## Something\n\nno table')).toThrow(/no field table/);
  });
});

describe('shipped maps beside Microsoft\'s dual-write maps', () => {
  it('every shipped map has its counterpart in the reference', () => {
    expect(SHIPPED_MAPS.map((m) => m.name).filter((n) => !COUNTERPARTS[n])).toEqual([]);
  });

  it.each(Object.keys(COUNTERPARTS))('%s reads the F&O field Microsoft\'s map reads for every column both map', (name) => {
    expect(compare(name).renamed.map((r) => r.dataverse).sort()).toEqual([...(KNOWN_RENAMES[name] ?? [])].sort());
  });

  it.each(Object.keys(COUNTERPARTS))('%s matches every lookup on the column Microsoft\'s map matches it on', (name) => {
    expect(compare(name).lookupKeyDiffers).toEqual([]);
  });

  it('a wrong name is caught: a customer group looked up by its description instead of its id', () => {
    const map = SHIPPED_MAPS.find((m) => m.name === 'customers-accounts')!;
    const wrong = {
      ...map,
      fields: map.fields.map((f) => (f.dataverse === 'msdyn_customergroupid'
        ? { ...f, fno: 'CustomerGroupName', transform: { kind: 'lookup' as const, entitySet: 'msdyn_customergroups', table: 'msdyn_customergroup', keyColumn: 'msdyn_description', companyScoped: true } }
        : f)),
    };
    const result = compareWithDualWrite(wrong, parseDualWriteMap(readFileSync(`${REFERENCE}CustomersV3-accounts.md`, 'utf8')));
    expect(result.renamed).toEqual([{ dataverse: 'msdyn_customergroupid', ours: 'CustomerGroupName', microsoft: 'CUSTOMERGROUPID' }]);
    expect(result.lookupKeyDiffers).toEqual([{ dataverse: 'msdyn_customergroupid', ours: 'msdyn_description', microsoft: 'msdyn_groupid' }]);
  });

  it('the sync README\'s coverage table gives each map\'s true counts', () => {
    const readme = readFileSync(SYNC_README, 'utf8');
    const section = readme.slice(readme.indexOf('## Field coverage beside Microsoft\'s dual-write maps'));
    const rows = new Map<string, { microsoft: number; covered: number; extra: number }>();
    for (const m of section.matchAll(/^\| `([a-z-]+)` \| [^|]+ \| (\d+) \| (\d+) \| (\d+) \|/gm)) {
      rows.set(m[1], { microsoft: Number(m[2]), covered: Number(m[3]), extra: Number(m[4]) });
    }
    for (const name of Object.keys(COUNTERPARTS)) {
      const c = compare(name);
      expect({ name, ...rows.get(name) }).toEqual({ name, microsoft: c.microsoft, covered: c.covered, extra: c.extra.length });
    }
  });
});
