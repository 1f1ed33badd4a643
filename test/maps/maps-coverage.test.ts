// The sandbox serves every entity set, table, key, field and column of the maps the bridge ships, and holds
// demo rows for each of them, so an initial sync of every map moves rows. Names are read from what the
// running sandbox serves ($metadata and EntityDefinitions), not from its source.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SHIPPED_MAPS } from '../../bridge-service/src/sync/core/maps/shipped';
import { toODataFilter } from '../../bridge-service/src/sync/core/maps/filters';
import type { TableMap } from '../../bridge-service/src/sync/core/maps/types';
import { startSandbox, type Sandbox } from '../../sandbox/src';
import { coverageProblems, parseCsdl, parseEntityDefinitions, type DvServedSchema, type FnoServedSchema } from './served-schema';

let sandbox: Sandbox;
let fnoToken: string;
let dvToken: string;
let fno: FnoServedSchema;
let dv: DvServedSchema;

async function get(url: string, token: string): Promise<Response> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  return res;
}

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  fnoToken = await sandbox.getToken('bridge', 'fno');
  dvToken = await sandbox.getToken('bridge', 'dataverse');
  fno = parseCsdl(await (await get(`${sandbox.urls.fno}/data/$metadata`, fnoToken)).text());
  dv = parseEntityDefinitions(await (await get(`${sandbox.urls.dataverseApi}/EntityDefinitions?$select=LogicalName,EntitySetName,PrimaryIdAttribute&$expand=Attributes($select=LogicalName),Keys`, dvToken)).json() as never);
});

afterAll(async () => {
  await sandbox?.close();
});

/** The F&O query an initial sync of the map starts with: its source filter and legal-entity scope. */
function initialSyncFilter(map: TableMap): string {
  const parts = [toODataFilter(map.filters?.fno)];
  if (map.legalEntities !== 'all' && map.fno.companyField) parts.push(`(${map.legalEntities.map((le) => `${map.fno.companyField} eq '${le}'`).join(' or ')})`);
  return parts.filter(Boolean).join(' and ');
}

describe('the sandbox serves the shipped maps', () => {
  it('has every entity set, key, field, table, alternate key, column, lookup target and enum member they name', () => {
    expect(coverageProblems(SHIPPED_MAPS, fno, dv)).toEqual([]);
  });

  it.each(SHIPPED_MAPS.filter((m) => m.direction !== 'dataverse_to_fno').map((m) => [m.name, m] as const))(
    '%s: F&O holds rows for its initial sync',
    async (_name, map) => {
      const filter = initialSyncFilter(map);
      const url = `${sandbox.urls.fno}/data/${map.fno.entitySet}?cross-company=true&$top=1&$count=true${filter ? `&$filter=${encodeURIComponent(filter)}` : ''}`;
      const body = await (await get(url, fnoToken)).json() as { '@odata.count': number; value: Record<string, unknown>[] };
      expect(body['@odata.count']).toBeGreaterThan(0);
      // Every mapped F&O field comes back on a record, so nothing the map reads is silently missing.
      for (const f of map.fields) if (f.fno && f.dir !== '<') expect(Object.keys(body.value[0])).toContain(f.fno);
    },
  );

  it.each(SHIPPED_MAPS.filter((m) => m.direction !== 'fno_to_dataverse').map((m) => [m.name, m] as const))(
    '%s: Dataverse answers the map\'s source query',
    async (_name, map) => {
      const filter = toODataFilter(map.filters?.dataverse);
      const url = `${sandbox.urls.dataverseApi}/${map.dataverse.entitySet}?$top=1${filter ? `&$filter=${encodeURIComponent(filter)}` : ''}`;
      const body = await (await get(url, dvToken)).json() as { value: unknown[] };
      expect(body.value.length).toBeGreaterThan(0);
    },
  );
});

describe('coverageProblems', () => {
  it('names what a map uses and the sandbox does not serve', () => {
    const vendors = SHIPPED_MAPS.find((m) => m.name === 'vendors')!;
    const broken: TableMap = {
      ...vendors,
      fno: { ...vendors.fno, entitySet: 'VendorsV9' },
      fields: [...vendors.fields, { fno: 'CreditLimit', dataverse: 'msdyn_creditlimit', dir: '=' }],
    };
    expect(coverageProblems([broken], fno, dv)).toEqual([
      'vendors: F&O serves no entity set VendorsV9',
      'vendors: Dataverse msdyn_vendor has no column msdyn_creditlimit',
    ]);
  });

  it('reports a key that differs from the served one', () => {
    const hierarchy = SHIPPED_MAPS.find((m) => m.name === 'organisation-hierarchies')!;
    const oldKeys: TableMap = { ...hierarchy, fno: { ...hierarchy.fno, keys: ['HierarchyType', 'ParentOrganizationPartyNumber', 'ChildOrganizationPartyNumber'] } };
    expect(coverageProblems([oldKeys], fno, dv)).toEqual([
      'organisation-hierarchies: F&O OrganizationHierarchyPublishedV2 is keyed by (HierarchyType, ChildOrganizationPartyNumber, validFrom), the map says (HierarchyType, ParentOrganizationPartyNumber, ChildOrganizationPartyNumber)',
    ]);
  });
});
