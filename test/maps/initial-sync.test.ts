// An initial sync of every shipped map that flows into Dataverse, run with the sync engine's pure core
// (mapRow, filters, execution order) against the running sandbox: every F&O row of every map maps without
// problems and is accepted by the sandbox's Dataverse, lookups included. This is what "demo data for every
// map" has to make true; the engine's worker does the same with queues, retries and snapshots.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  executionOrder, mapRow, selectColumns, SHIPPED_MAPS, toODataFilter, type LookupRequest, type MapResult, type TableMap,
} from '../../bridge-service/src/sync/core';
import { startSandbox, type Sandbox } from '../../sandbox/src';

type Row = Record<string, unknown>;
let sandbox: Sandbox;
let fnoToken: string;
let dvToken: string;
const written = new Map<string, { rows: number; created: number; problems: string[] }>();

async function request(method: string, url: string, token: string, body?: unknown): Promise<Row> {
  const res = await fetch(url, {
    method, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) as Row : {};
}
const dvGet = async (path: string): Promise<Row[]> => (await request('GET', `${sandbox.urls.dataverseApi}/${path}`, dvToken)).value as Row[];
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
const quote = (v: string): string => `'${v.replace(/'/g, "''")}'`;

async function companyGuid(code: string): Promise<string | null> {
  const rows = await dvGet(`cdm_companies?$select=cdm_companyid&$filter=cdm_companycode eq ${quote(code)}`);
  return rows.length ? str(rows[0].cdm_companyid) : null;
}

/** The worker's lookup resolver, answered by Web API queries. */
async function resolveLookup(req: LookupRequest): Promise<string | null> {
  if (req.want === 'key') throw new Error('this test only syncs F&O to Dataverse');
  const t = req.lookup;
  const primaryId = `${t.table}id`;
  let filter = `${t.keyColumn} eq ${quote(req.value)}`;
  if (req.company) {
    const company = await companyGuid(req.company);
    if (!company) return null;
    filter += ` and _msdyn_company_value eq ${company}`;
  }
  const rows = await dvGet(`${t.entitySet}?$select=${primaryId}&$filter=${encodeURIComponent(filter)}`);
  return rows.length ? str(rows[0][primaryId]) : null;
}

/** Alternate key of a mapped payload, as the stored row names it (lookups as `_<column>_value`). */
function sameKey(map: TableMap, result: MapResult, row: Row): boolean {
  return map.dataverse.alternateKey.every((c) => {
    const stored = row[c] ?? row[`_${c}_value`];
    const wanted = result.key[c];
    const a = str(stored).toLowerCase();
    const b = str(wanted).toLowerCase();
    return a === b || (a !== '' && Date.parse(a) === Date.parse(b));
  });
}

async function syncMap(map: TableMap): Promise<void> {
  const filters = [toODataFilter(map.filters?.fno)];
  if (map.legalEntities !== 'all' && map.fno.companyField) filters.push(`(${map.legalEntities.map((le) => `${map.fno.companyField!} eq '${le}'`).join(' or ')})`);
  const filter = filters.filter(Boolean).join(' and ');
  const url = `${sandbox.urls.fno}/data/${map.fno.entitySet}?cross-company=true&$select=${selectColumns(map, 'fno').join(',')}${filter ? `&$filter=${encodeURIComponent(filter)}` : ''}`;
  const source = (await request('GET', url, fnoToken)).value as Row[];
  const existing = await dvGet(map.dataverse.entitySet);
  const stats = { rows: source.length, created: 0, problems: [] as string[] };
  const ctx = { resolveLookup };
  const deferred: { id: string; row: Row }[] = [];
  for (const row of source) {
    const result = await mapRow(map, 'fno_to_dataverse', row, ctx);
    stats.problems.push(...result.problems.map((p) => `${p.field}: ${p.message}`));
    const match = existing.find((r) => sameKey(map, result, r));
    let id: string;
    if (match) {
      id = str(match[map.dataverse.primaryId]);
      await request('PATCH', `${sandbox.urls.dataverseApi}/${map.dataverse.entitySet}(${id})`, dvToken, result.payload);
    } else {
      const created = await fetch(`${sandbox.urls.dataverseApi}/${map.dataverse.entitySet}`, {
        method: 'POST', body: JSON.stringify(result.payload), headers: { authorization: `Bearer ${dvToken}`, 'content-type': 'application/json' },
      });
      if (created.status !== 204) throw new Error(`POST ${map.dataverse.entitySet} answered ${created.status}: ${await created.text()}`);
      id = /\(([^)]+)\)$/.exec(created.headers.get('odata-entityid') ?? '')![1];
      stats.created++;
    }
    if (result.deferred.length) deferred.push({ id, row });
  }
  // Second pass: self references whose rows now exist.
  for (const { id, row } of deferred) {
    const result = await mapRow(map, 'fno_to_dataverse', row, ctx);
    stats.problems.push(...result.problems.map((p) => `second pass ${p.field}: ${p.message}`));
    await request('PATCH', `${sandbox.urls.dataverseApi}/${map.dataverse.entitySet}(${id})`, dvToken, result.payload);
  }
  written.set(map.name, stats);
}

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  fnoToken = await sandbox.getToken('bridge', 'fno');
  dvToken = await sandbox.getToken('bridge', 'dataverse');
  for (const map of executionOrder(SHIPPED_MAPS)) if (map.direction !== 'dataverse_to_fno') await syncMap(map);
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
});

describe('initial sync of the shipped maps into the sandbox', () => {
  it.each(SHIPPED_MAPS.filter((m) => m.direction !== 'dataverse_to_fno').map((m) => [m.name]))('%s moves rows without problems', (name) => {
    const stats = written.get(name)!;
    expect(stats.problems).toEqual([]);
    expect(stats.rows).toBeGreaterThan(0);
  });

  it('creates the rows Dataverse did not have: exchange rates, hierarchy, operating units, missing customers', () => {
    expect(written.get('exchange-rates')!.created).toBe(6);
    expect(written.get('organisation-hierarchies')!.created).toBe(5);
    expect(written.get('operating-units')!.created).toBe(4);
    // The seed has the legal entities' internal organisations and the hierarchy types, as dual-write left them.
    expect(written.get('legal-entity-organisations')!.created).toBe(0);
    expect(written.get('organisation-hierarchy-types')!.created).toBe(0);
    expect(written.get('customers-accounts')!.created).toBeGreaterThan(0);
  });

  it('writes the dual-write columns with the F&O values, lookups resolved by party number', async () => {
    const vendor = sandbox.data.VendorsV2[0];
    const [dvVendor] = await dvGet(`msdyn_vendors?$filter=msdyn_vendoraccountnumber eq ${quote(str(vendor.VendorAccountNumber))}`);
    expect(dvVendor).toMatchObject({
      msdyn_name: vendor.VendorOrganizationName, msdyn_pimaryphonenumber: vendor.PrimaryPhoneNumber, msdyn_primarycontacturl: vendor.PrimaryURL,
      msdyn_addressstreet: vendor.AddressStreet, msdyn_vendorcreditlimit: vendor.CreditLimit,
    });
    // semf (party 000001703) under Contoso Nordics (OU-004, party 000002004).
    const [edge] = await dvGet("msdyn_internalorganizationhierarchies?$filter=msdyn_childpartyid eq '000001703'");
    const [parent] = await dvGet("msdyn_internalorganizations?$filter=msdyn_partynumber eq '000002004'");
    const [child] = await dvGet("msdyn_internalorganizations?$filter=msdyn_partynumber eq '000001703'");
    const [chart] = await dvGet("msdyn_internalorganizationhierarchytypes?$filter=msdyn_name eq 'Organization chart'");
    expect(edge).toMatchObject({
      msdyn_hierarchytypename: 'Organization chart', msdyn_parentpartyid: '000002004', _msdyn_parentid_value: parent.msdyn_internalorganizationid,
      _msdyn_childid_value: child.msdyn_internalorganizationid, _msdyn_hierarchytypeid_value: chart.msdyn_internalorganizationhierarchytypeid,
    });
    const [product] = await dvGet("products?$filter=msdyn_productnumber eq 'D0002'");
    expect(product).toMatchObject({ price: 349, currentcost: 209.4, msdyn_itemnumber: 'D0002', name: 'Cabinet', producttypecode: 1 });
  });
});
