// The dual-write tables exist only while Microsoft's dual-write core solutions are installed, as on a real
// environment: a sandbox started without them (or with one uninstalled) answers 404 for cdm_company and the msdyn_
// tables and their definitions, and lists no core solution.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '../../src/index';

let bare: Sandbox;
let prepared: Sandbox;

async function get(s: Sandbox, path: string): Promise<number> {
  const token = await s.getToken('bridge', 'dataverse');
  return (await fetch(`${s.urls.dataverseApi}/${path}`, { headers: { authorization: `Bearer ${token}` } })).status;
}

beforeAll(async () => {
  bare = await startSandbox({ customers: 5, quiet: true, dualWriteCore: false });
  prepared = await startSandbox({ customers: 5, quiet: true });
});

afterAll(async () => {
  await bare?.close();
  await prepared?.close();
});

describe('the dual-write prerequisite', () => {
  it('without the core solutions, their tables do not exist; the standard ones do', async () => {
    expect(await get(bare, 'cdm_companies?$top=1')).toBe(404);
    expect(await get(bare, 'msdyn_vendors?$top=1')).toBe(404);
    expect(await get(bare, "EntityDefinitions(LogicalName='msdyn_customergroup')")).toBe(404);
    expect(await get(bare, 'accounts?$top=1')).toBe(200);
    expect(bare.dataverse.store.all('solution').filter((r) => /^Dynamics365|CurrencyExchangeRates/.test(String(r.uniquename)))).toEqual([]);
  });

  it('with them installed the tables exist, and uninstalling one takes them away again', async () => {
    expect(await get(prepared, 'cdm_companies?$top=1')).toBe(200);
    const store = prepared.dataverse.store;
    const row = store.all('solution').find((r) => r.uniquename === 'Dynamics365Company')!;
    store.remove('solution', String(row.solutionid));
    try {
      expect(await get(prepared, 'cdm_companies?$top=1')).toBe(404);
    } finally {
      store.put('solution', String(row.solutionid), row, 'created');
    }
    expect(await get(prepared, 'cdm_companies?$top=1')).toBe(200);
  });
});
