import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { SHIPPED_MAPS, customersAccounts } from './shipped/index';
import { assertValidMaps, MapValidationError, validateMaps } from './validate';
import { loadReferenceMetadata } from './load-reference';
import { executionOrder, findCycle, DependencyCycleError } from './order';
import type { TableMap } from './types';

const REFERENCE = fileURLToPath(new URL('../../../../../test/fixtures/real/reference', import.meta.url));
const metadata = loadReferenceMetadata(REFERENCE);

function variant(patch: Partial<TableMap>, base: TableMap = customersAccounts): TableMap {
  return { ...base, ...patch };
}

describe('shipped maps', () => {
  it('validate clean against the real reference metadata', () => {
    expect(Object.keys(metadata.fno)).toContain('CustomersV3');
    expect(metadata.dataverse.account.has('accountnumber')).toBe(true);
    expect(validateMaps(SHIPPED_MAPS, metadata)).toEqual([]);
    expect(() => assertValidMaps(SHIPPED_MAPS, metadata)).not.toThrow();
  });

  it('have unique names and the required maps', () => {
    expect(SHIPPED_MAPS.map((m) => m.name)).toEqual(expect.arrayContaining([
      'legal-entities', 'operating-units', 'organisation-hierarchies', 'currencies', 'exchange-rates', 'customer-groups',
      'payment-terms', 'customers-accounts', 'customers-contacts', 'vendor-groups', 'vendors', 'released-products',
      'legal-entity-organisations', 'organisation-hierarchy-types',
    ]));
    expect(SHIPPED_MAPS).toHaveLength(14);
    expect(new Set(SHIPPED_MAPS.map((m) => m.name)).size).toBe(SHIPPED_MAPS.length);
    expect(Object.isFrozen(SHIPPED_MAPS)).toBe(true);
  });

  it('run in dependency order: reference data before customers', () => {
    const order = executionOrder(SHIPPED_MAPS).map((m) => m.name);
    for (const map of SHIPPED_MAPS) {
      for (const dep of map.dependsOn) expect(order.indexOf(dep)).toBeLessThan(order.indexOf(map.name));
    }
    expect(order.indexOf('customers-accounts')).toBeGreaterThan(order.indexOf('customer-groups'));
    // A vendor's group must be in Dataverse before the vendor, and the group's terms of payment before the group.
    expect(order.indexOf('vendors')).toBeGreaterThan(order.indexOf('vendor-groups'));
    expect(order.indexOf('vendor-groups')).toBeGreaterThan(order.indexOf('payment-terms'));
  });
});

describe('validateMaps finds what is wrong', () => {
  it('a key that is not mapped both ways on a two-way map', () => {
    const map = variant({
      fields: customersAccounts.fields.map((f) => (f.fno === 'CustomerAccount' ? { ...f, dir: '>' as const } : f)),
    });
    const problems = validateMaps([map]);
    expect(problems.some((p) => p.field === 'CustomerAccount' && /both ways/.test(p.message))).toBe(true);
  });

  it('a key that is not mapped at all', () => {
    const map = variant({ fields: customersAccounts.fields.filter((f) => f.fno !== 'CustomerAccount') });
    const problems = validateMaps([map]);
    expect(problems.map((p) => p.field)).toEqual(expect.arrayContaining(['CustomerAccount', 'accountnumber']));
  });

  it('a required target field with no source and no default', () => {
    const map = variant({ fields: [...customersAccounts.fields.filter((f) => f.fno !== 'PartyType'), { fno: 'PartyType', dataverse: null, dir: '<', required: true }] });
    const messages = validateMaps([map]).map((p) => p.message);
    expect(messages).toEqual(expect.arrayContaining(['a required target field has no source and no default']));
  });

  it('unknown field names against the reference metadata', () => {
    const map = variant({ fields: [...customersAccounts.fields, { fno: 'CreditLimitt', dataverse: 'creditlimitt', dir: '=' }] });
    const problems = validateMaps([map], metadata);
    expect(problems.find((p) => p.field === 'CreditLimitt')?.message).toMatch(/CustomersV3 has no field CreditLimitt/);
    expect(problems.find((p) => p.field === 'creditlimitt')?.message).toMatch(/account has no column creditlimitt/);
  });

  it('a value map that does not cover the enum', () => {
    const onHold = customersAccounts.fields.find((f) => f.fno === 'OnHoldStatus')!;
    const partial = { ...onHold, transform: { kind: 'valueMap' as const, fnoEnum: 'CustVendorBlocked', pairs: [{ fno: 'No', dataverse: 806380000 }] } };
    const map = variant({ fields: customersAccounts.fields.map((f) => (f === onHold ? partial : f)) });
    const problem = validateMaps([map], metadata).find((p) => p.field?.startsWith('OnHoldStatus'));
    expect(problem?.message).toMatch(/does not cover CustVendorBlocked member\(s\) Invoice, All, Payment, Requisition, Never, PurchOrder/);
  });

  it('a value map whose way back is ambiguous', () => {
    const onHold = customersAccounts.fields.find((f) => f.fno === 'OnHoldStatus')!;
    const dup = { ...onHold, transform: { kind: 'valueMap' as const, pairs: [{ fno: 'No', dataverse: 1 }, { fno: 'Never', dataverse: 1 }] } };
    const map = variant({ fields: customersAccounts.fields.map((f) => (f === onHold ? dup : f)) });
    expect(validateMaps([map]).some((p) => /ambiguous/.test(p.message))).toBe(true);
  });

  it('unknown dependencies and cycles', () => {
    const a = variant({ name: 'a', dependsOn: ['b'] });
    const b = variant({ name: 'b', dependsOn: ['a'] });
    const c = variant({ name: 'c', dependsOn: ['nope'] });
    const problems = validateMaps([a, b, c]);
    expect(problems.some((p) => /dependency cycle: a -> b -> a/.test(p.message))).toBe(true);
    expect(problems.some((p) => p.map === 'c' && /'nope', which is not a known map/.test(p.message))).toBe(true);
    expect(findCycle([a, b])).toEqual(['a', 'b', 'a']);
    expect(() => executionOrder([a, b])).toThrow(DependencyCycleError);
  });

  it('duplicate names, empty legal-entity scope, two mappings writing one column', () => {
    const dupField = variant({ legalEntities: [], fields: [...customersAccounts.fields, { fno: 'KnownAs', dataverse: 'name', dir: '=' }] });
    const problems = validateMaps([dupField, customersAccounts]);
    expect(problems.some((p) => /two maps have this name/.test(p.message))).toBe(true);
    expect(problems.some((p) => /legalEntities is an empty list/.test(p.message))).toBe(true);
    expect(problems.some((p) => /name is written by two mappings/.test(p.message))).toBe(true);
  });

  it('a company-specific map without a company key on Dataverse', () => {
    const map = variant({ dataverse: { ...customersAccounts.dataverse, alternateKey: ['accountnumber'], companyLookup: undefined } });
    expect(validateMaps([map]).some((p) => /rows of different companies overwrite each other/.test(p.message))).toBe(true);
  });

  it('a mapping that can never flow, and a target nothing feeds', () => {
    const map = variant({
      name: 'one-way', direction: 'fno_to_dataverse',
      fields: [...customersAccounts.fields, { fno: null, dataverse: 'description', dir: '>' }],
    });
    const messages = validateMaps([map]).map((p) => `${p.field}: ${p.message}`);
    expect(messages).toEqual(expect.arrayContaining([
      "PartyType < (none): the map never syncs Dataverse to F&O, so this '<' mapping is never used",
      '(none) > description: nothing feeds this target: give it a source field or a default',
    ]));
  });

  it('assertValidMaps throws one error listing every problem', () => {
    const bad = variant({ name: 'Bad Name', dependsOn: ['missing'] });
    try {
      assertValidMaps([bad]);
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(MapValidationError);
      const err = e as MapValidationError;
      expect(err.problems.length).toBeGreaterThanOrEqual(2);
      expect(err.message).toMatch(/lower case letters/);
      expect(err.message).toMatch(/'missing', which is not a known map/);
    }
  });
});

describe('executionOrder', () => {
  it('is stable among independent maps', () => {
    const maps = [
      { name: 'z', dependsOn: [] }, { name: 'y', dependsOn: ['x'] }, { name: 'x', dependsOn: [] }, { name: 'w', dependsOn: [] },
    ];
    expect(executionOrder(maps).map((m) => m.name)).toEqual(['z', 'x', 'y', 'w']);
  });
});
