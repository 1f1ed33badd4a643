// A small in-memory F&O and Dataverse behind undici MockAgent, for route tests without the sandbox.
import type { MockAgent } from 'undici';
import { DV, FNO } from './config';

export const ACCOUNT = '6f3c1f2e-5b7a-4c19-9e3f-1a2b3c4d5e6f';
export const UNLINKED = '6f3c1f2e-5b7a-4c19-9e3f-000000000002';
export const COMPANY = 'c0000000-0000-4000-8000-000000000001';
/** A second company (nlmf), to move the account to. */
export const OTHER_COMPANY = 'c0000000-0000-4000-8000-000000000002';
export const USERS = {
  reader: { oid: '11111111-aaaa-4aaa-8aaa-000000000001', su: '5a1e0001-0000-4000-8000-000000000001', rights: 'ReadAccess' },
  writer: { oid: '11111111-aaaa-4aaa-8aaa-000000000002', su: '5a1e0001-0000-4000-8000-000000000002', rights: 'ReadAccess, WriteAccess, AppendAccess' },
  outsider: { oid: '11111111-aaaa-4aaa-8aaa-000000000009', su: '5a1e0001-0000-4000-8000-000000000009', rights: 'None' },
  /** Full rights on the account, but the user is disabled in Dataverse. */
  disabled: { oid: '11111111-aaaa-4aaa-8aaa-00000000000d', su: '5a1e0001-0000-4000-8000-00000000000d', rights: 'ReadAccess, WriteAccess', isdisabled: true },
};

export interface FakeState {
  customer: Record<string, unknown>;
  /** ACCOUNT as Dataverse holds it now (a user may change both). */
  account: { accountnumber: string | null; _msdyn_company_value: string | null };
  version: number;
  patches: { ifMatch: string; body: Record<string, unknown> }[];
  /** Readiness pings F&O answered (GET /data/LegalEntities). */
  pings: number;
}

const etagOf = (v: number) => `W/"${Buffer.from(`'${v},5637144576'`).toString('base64')}"`;

export function installFakes(agent: MockAgent): FakeState {
  const state: FakeState = {
    version: 1,
    account: { accountnumber: "US-0'01", _msdyn_company_value: COMPANY },
    patches: [],
    pings: 0,
    customer: {
      dataAreaId: 'usmf', CustomerAccount: "US-0'01", OrganizationName: 'Contoso Retail San Diego', CreditLimit: 10000,
      CreditLimitIsMandatory: 'Yes', OnHoldStatus: 'No', SalesCurrencyCode: 'USD', PaymentTerms: 'Net30', CustomerGroupId: '10',
    },
  };
  const json = (data: unknown, statusCode = 200) => ({ statusCode, data: JSON.stringify(data), responseOptions: { headers: { 'content-type': 'application/json' } } });

  const dv = agent.get(DV);
  dv.intercept({ path: (p) => p.startsWith('/api/data/v9.2/'), method: 'GET' }).reply((o) => {
    const p = decodeURIComponent(o.path.slice('/api/data/v9.2'.length));
    if (p.startsWith('/systemusers?')) {
      const u = Object.values(USERS).find((x) => p.includes(x.oid));
      return json({ value: u ? [{ systemuserid: u.su, fullname: 'x', isdisabled: 'isdisabled' in u && u.isdisabled }] : [] });
    }
    const rpa = /^\/systemusers\(([^)]+)\)\/Microsoft\.Dynamics\.CRM\.RetrievePrincipalAccess\(Target=@t\)\?@t=\{'@odata\.id':'accounts\(([^)]+)\)'\}$/.exec(p);
    if (rpa) {
      if (rpa[2] !== ACCOUNT && rpa[2] !== UNLINKED) return json({ error: { code: '0x80040217', message: 'account With Id = x Does Not Exist' } }, 404);
      return json({ AccessRights: Object.values(USERS).find((u) => u.su === rpa[1])?.rights ?? 'None' });
    }
    if (p.startsWith(`/accounts(${ACCOUNT})`)) return json(state.account);
    if (p.startsWith(`/accounts(${UNLINKED})`)) return json({ accountnumber: null, _msdyn_company_value: null });
    if (p.startsWith(`/cdm_companies(${COMPANY})`)) return json({ cdm_companycode: 'USMF' });
    if (p.startsWith(`/cdm_companies(${OTHER_COMPANY})`)) return json({ cdm_companycode: 'NLMF' });
    if (p === '/WhoAmI') return json({ UserId: 'x' });
    return json({ error: { code: '0x0', message: `not faked: ${p}` } }, 404);
  }).persist();

  const fno = agent.get(FNO);
  const custPath = `/data/CustomersV3(dataAreaId=${encodeURIComponent("'usmf'")},CustomerAccount=${encodeURIComponent("'US-0''01'")})`;
  fno.intercept({ path: (p) => p.startsWith('/data/'), method: 'GET' }).reply((o) => {
    const p = o.path;
    if (p.startsWith(custPath)) return json({ '@odata.etag': etagOf(state.version), ...state.customer });
    if (p.startsWith('/data/FinOpsBridgeCustomerBalances(')) return json({ dataAreaId: 'usmf', CustomerAccount: "US-0'01", CurrencyCode: 'USD', Balance: 2500.5, OverdueAmount: 300, OpenInvoiceCount: 2 });
    if (p.startsWith('/data/SalesOrderHeadersV2?')) return json({ value: [{ SalesOrderNumber: '000123', OrderCreationDateTime: '2026-11-01T10:00:00Z', RequestedShippingDate: '1900-01-01T12:00:00Z', SalesOrderStatus: 'Backorder', OrderTotalAmount: 99.5, CurrencyCode: 'USD', CustomersOrderReference: null }] });
    if (p.startsWith('/data/SalesInvoiceHeadersV2?')) return json({ value: [{ InvoiceNumber: 'CIV-1', InvoiceDate: '2026-10-01T00:00:00Z', TotalInvoiceAmount: 120, CurrencyCode: 'USD', SalesOrderNumber: '000100' }] });
    if (p.startsWith('/data/LegalEntities?')) {
      state.pings++;
      return json({ value: [{ LegalEntityId: 'usmf' }] });
    }
    return json({ error: { code: '', message: 'not found', innererror: { message: `not faked: ${p}` } } }, 404);
  }).persist();
  fno.intercept({ path: (p) => p.startsWith(custPath), method: 'PATCH' }).reply((o) => {
    const headers = o.headers as Record<string, string>;
    const body = JSON.parse(o.body as string) as Record<string, unknown>;
    state.patches.push({ ifMatch: headers['If-Match'], body });
    if (headers['If-Match'] !== etagOf(state.version)) return json({ error: { code: '', message: 'An error has occurred.', innererror: { message: 'The record has been changed by another user.' } } }, 412);
    Object.assign(state.customer, body);
    state.version++;
    return { statusCode: 204, data: '' };
  }).persist();
  return state;
}
