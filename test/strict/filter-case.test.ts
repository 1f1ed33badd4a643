// Issue 14: string comparison in $filter is case-insensitive on both services (Dataverse's and F&O's
// database collations), so a lookup by a code written in another case finds the row, as in production.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '@finops-bridge/sandbox';

let sb: Sandbox;
beforeAll(async () => { sb = await startSandbox({ quiet: true, customers: 20, seed: 3 }); }, 60_000);
afterAll(async () => { await sb?.close(); });

async function dv(query: string): Promise<Array<Record<string, unknown>>> {
  const res = await fetch(`${sb.urls.dataverseApi}/accounts?${query}`, { headers: { authorization: `Bearer ${await sb.getToken('bridge', 'dataverse')}` } });
  if (res.status !== 200) throw new Error(`${res.status} ${await res.text()} for ${query}`);
  return ((await res.json()) as { value: Array<Record<string, unknown>> }).value;
}
async function fno(query: string): Promise<Array<Record<string, unknown>>> {
  const res = await fetch(`${sb.urls.fno}/data/CustomersV3?cross-company=true&${query}`, { headers: { authorization: `Bearer ${await sb.getToken('bridge', 'fno')}` } });
  if (res.status !== 200) throw new Error(`${res.status} ${await res.text()} for ${query}`);
  return ((await res.json()) as { value: Array<Record<string, unknown>> }).value;
}
const lit = (v: string) => v.replace(/'/g, "''");
const q = (filter: string, select: string) => `$select=${select}&$filter=${encodeURIComponent(filter)}`;

describe('Dataverse $filter compares strings case-insensitively', () => {
  it('eq, ne, startswith, contains, endswith and ordering ignore case', async () => {
    const [row] = await dv(q("startswith(accountnumber,'US-')", 'accountnumber,name'));
    const number = String(row.accountnumber);
    const name = String(row.name);
    expect((await dv(q(`accountnumber eq '${number.toLowerCase()}'`, 'accountnumber'))).map((r) => r.accountnumber)).toEqual([number]);
    expect((await dv(q(`accountnumber ne '${number.toLowerCase()}' and startswith(accountnumber,'us-')`, 'accountnumber'))).map((r) => r.accountnumber)).not.toContain(number);
    expect((await dv(q(`startswith(accountnumber,'us-')`, 'accountnumber'))).length).toBeGreaterThan(1);
    expect((await dv(q(`contains(name,'${lit(name.slice(1, 5).toUpperCase())}')`, 'name'))).map((r) => r.name)).toContain(name);
    expect((await dv(q(`endswith(accountnumber,'${number.slice(-3).toLowerCase()}')`, 'accountnumber'))).map((r) => r.accountnumber)).toContain(number);
    expect((await dv(q(`accountnumber ge '${number.toLowerCase()}' and accountnumber le '${number.toLowerCase()}'`, 'accountnumber'))).map((r) => r.accountnumber)).toEqual([number]);
  });
});

describe('F&O $filter compares strings case-insensitively', () => {
  it('eq, ne, startswith, contains ignore case', async () => {
    const [row] = await fno(q("dataAreaId eq 'usmf'", 'CustomerAccount,OrganizationName,dataAreaId') + '&$top=1');
    const account = String(row.CustomerAccount);
    expect((await fno(q(`CustomerAccount eq '${account.toLowerCase()}' and dataAreaId eq 'USMF'`, 'CustomerAccount'))).map((r) => r.CustomerAccount)).toEqual([account]);
    expect((await fno(q(`dataAreaId eq 'USMF' and CustomerAccount ne '${account.toLowerCase()}'`, 'CustomerAccount'))).map((r) => r.CustomerAccount)).not.toContain(account);
    expect((await fno(q(`startswith(CustomerAccount,'${account.slice(0, 3).toLowerCase()}')`, 'CustomerAccount'))).map((r) => r.CustomerAccount)).toContain(account);
    const name = String(row.OrganizationName);
    if (name.length > 4) expect((await fno(q(`contains(OrganizationName,'${lit(name.slice(1, 4).toUpperCase())}')`, 'OrganizationName'))).map((r) => r.OrganizationName)).toContain(name);
  });
});
