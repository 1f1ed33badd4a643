import { describe, expect, it } from '@jest/globals';
import { SHIPPED_MAPS } from './shipped/index';
import { applyMapsFile, MapsFileError } from './maps-file';

const problemsOf = (text: string) => {
  try {
    applyMapsFile(text, 'maps.yaml', SHIPPED_MAPS);
  } catch (e) {
    if (e instanceof MapsFileError) return e.problems;
    throw e;
  }
  throw new Error('no problem found');
};

describe('the maps file', () => {
  it('adds a field mapping, limits a map to legal entities and replaces a filter; other maps stay as shipped', () => {
    const maps = applyMapsFile([
      'customers-accounts:',
      '  legalEntities: [USMF, nlmf]',
      '  fields:',
      '    - { fno: SalesMemo, dataverse: description, dir: "=" }',
      '  filters:',
      '    dataverse: [{ field: customertypecode, op: eq, value: 3 }]',
    ].join('\n'), 'maps.yaml', SHIPPED_MAPS);
    const accounts = maps.find((m) => m.name === 'customers-accounts')!;
    const shipped = SHIPPED_MAPS.find((m) => m.name === 'customers-accounts')!;
    expect(accounts.fields).toHaveLength(shipped.fields.length + 1);
    expect(accounts.fields.at(-1)).toEqual({ fno: 'SalesMemo', dataverse: 'description', dir: '=' });
    expect(accounts.legalEntities).toEqual(['usmf', 'nlmf']);
    expect(accounts.filters).toEqual({ fno: shipped.filters!.fno, dataverse: [{ field: 'customertypecode', op: 'eq', value: 3 }] });
    expect(maps.filter((m) => m.name !== 'customers-accounts')).toEqual(SHIPPED_MAPS.filter((m) => m.name !== 'customers-accounts'));
  });

  it('changes a shipped field by naming the same field and column (a direction), keeping its key and transform', () => {
    const maps = applyMapsFile('customers-accounts:\n  fields:\n    - { fno: PrimaryContactPhone, dataverse: telephone1, dir: ">" }\n', 'f', SHIPPED_MAPS);
    const f = maps.find((m) => m.name === 'customers-accounts')!.fields.filter((x) => x.fno === 'PrimaryContactPhone');
    expect(f).toEqual([{ fno: 'PrimaryContactPhone', dataverse: 'telephone1', dir: '>' }]);
  });

  it('adds a value map', () => {
    const maps = applyMapsFile('customers-accounts:\n  fields:\n    - fno: CustomerType\n      dataverse: msdyn_customertype\n      dir: ">"\n      values: [{ fno: Organization, dataverse: 1 }, { fno: Person, dataverse: 2 }]\n', 'f', SHIPPED_MAPS);
    expect(maps.find((m) => m.name === 'customers-accounts')!.fields.at(-1)).toMatchObject({ transform: { kind: 'valueMap', pairs: [{ fno: 'Organization', dataverse: 1 }, { fno: 'Person', dataverse: 2 }] } });
  });

  it('names the line of a YAML syntax error', () => {
    expect(problemsOf('customers-accounts:\n  fields: [\n')).toEqual([expect.objectContaining({ line: expect.any(Number) })]);
  });

  it('names the line and what is wrong of a malformed entry', () => {
    const problems = problemsOf('customers-accounts:\n  fields:\n    - { fno: SalesMemo, dataverse: description }\n    - { fno: "bad name", dataverse: description, dir: "=" }\n');
    expect(problems).toEqual(expect.arrayContaining([
      { line: 3, message: expect.stringMatching(/^customers-accounts\.fields\.0\.dir: dir is one of/) },
      { line: 4, message: expect.stringMatching(/^customers-accounts\.fields\.1\.fno: a field or column name/) },
    ]));
  });

  it('names the line of an unknown map', () => {
    expect(problemsOf('customers-accounts: {}\ncustomers-acounts:\n  legalEntities: [usmf]\n')).toEqual([{ line: 2, message: expect.stringMatching(/^no map is named 'customers-acounts' \(known: .*customers-accounts/) }]);
  });

  it('runs the shipped maps\' checks on the result and places each problem at its line', () => {
    const problems = problemsOf([
      'vendors:',
      '  fields:',
      '    - { fno: VendorOrganizationName, dataverse: msdyn_description, dir: "=" }',
      '    - { fno: null, dataverse: msdyn_notes, dir: "=" }',
      'legal-entities:',
      '  fields:',
      '    - { fno: Name, dataverse: cdm_description, dir: "<" }',
    ].join('\n'));
    expect(problems).toEqual(expect.arrayContaining([
      { line: 4, message: expect.stringMatching(/with no F&O field the mapping can only flow to Dataverse/) },
      { line: 7, message: expect.stringMatching(/never syncs Dataverse to F&O/) },
    ]));
  });

  it('an empty file changes nothing', () => {
    expect(applyMapsFile('# nothing yet\n', 'f', SHIPPED_MAPS)).toEqual(SHIPPED_MAPS);
  });
});
