// The finance read and proxied-write use cases: record-level access through Dataverse, the account ->
// F&O customer link (cached in the links table), the summary from F&O, and audited writes.
import type { DataverseClient } from '../clients/dataverse-client';
import type { FnoClient, FnoRecord } from '../clients/fno-client';
import { fnoEnum } from '../clients/fno-client';
import { eq } from '../clients/odata/literals';
import { UpstreamError } from '../clients/upstream-error';
import type { Principal } from '../auth/verifier';
import type { AuditRepo, FieldChanges } from '../store/audit-repo';
import type { LinksRepo } from '../store/links-repo';
import { bridgeError } from '../errors';
import type { EditableField, FinanceEdit, FinanceSummary } from '../contracts/index';
import { CUSTOMER_SELECT, INVOICE_SELECT, ORDER_SELECT, buildSummary, editToFno } from './summary';

export const CUSTOMER_MAP = 'customers-accounts';
const CUSTOMERS = 'CustomersV3';
const EDITABLE: EditableField[] = ['creditLimit', 'onHoldStatus'];

export interface CustomerKey { dataAreaId: string; CustomerAccount: string }
export interface Access { read: boolean; write: boolean }

export interface FinanceServiceDeps {
  fno: FnoClient;
  dataverse: DataverseClient;
  links: LinksRepo;
  audit: AuditRepo;
  /** How many open orders and invoices the summary shows. */
  listSize?: number;
}

export class FinanceService {
  private readonly systemUsers = new Map<string, { id: string | null; at: number }>();
  constructor(private readonly d: FinanceServiceDeps) {}

  /** What the user may do on the account, asked of Dataverse by the bridge's application user. */
  async access(principal: Principal, accountId: string): Promise<Access> {
    const systemUserId = await this.systemUserId(principal.oid);
    if (!systemUserId) return { read: false, write: false };
    let rights: Set<string>;
    try {
      rights = await this.d.dataverse.retrievePrincipalAccess(systemUserId, 'accounts', accountId);
    } catch (e) {
      if (e instanceof UpstreamError && e.status === 404) return { read: false, write: false };
      throw e;
    }
    return { read: rights.has('ReadAccess'), write: rights.has('WriteAccess') };
  }

  private async systemUserId(oid: string): Promise<string | null> {
    const hit = this.systemUsers.get(oid);
    if (hit && Date.now() - hit.at < 5 * 60_000) return hit.id;
    const row = await this.d.dataverse.findSystemUserByObjectId(oid);
    const id = row?.systemuserid ?? null;
    this.systemUsers.set(oid, { id, at: Date.now() });
    return id;
  }

  /** The F&O key of an account: accountnumber + msdyn_company's cdm_companycode, cached as a link. */
  async customerKey(accountId: string): Promise<CustomerKey> {
    const link = await this.d.links.findByDataverse(CUSTOMER_MAP, 'account', accountId);
    // Key fields in F&O's declared order (the link stores them sorted).
    if (link) return { dataAreaId: link.fnoKey.dataAreaId, CustomerAccount: link.fnoKey.CustomerAccount };
    const account = await this.d.dataverse.get('accounts', accountId, { select: ['accountnumber', '_msdyn_company_value'] });
    if (!account) throw bridgeError('FB_ACCOUNT_NOT_FOUND', `no account ${accountId}`);
    const accountNumber = account.accountnumber;
    const companyId = account._msdyn_company_value;
    if (typeof accountNumber !== 'string' || accountNumber === '') throw bridgeError('FB_ACCOUNT_NOT_LINKED', 'the account has no account number');
    if (typeof companyId !== 'string') throw bridgeError('FB_ACCOUNT_NOT_LINKED', 'the account has no company (msdyn_company)');
    const company = await this.d.dataverse.get('cdm_companies', companyId, { select: ['cdm_companycode'] });
    const code = company?.cdm_companycode;
    if (typeof code !== 'string' || code === '') throw bridgeError('FB_ACCOUNT_NOT_LINKED', 'the account\'s company has no company code');
    const key: CustomerKey = { dataAreaId: code.toLowerCase(), CustomerAccount: accountNumber };
    await this.d.links.upsert({ mapName: CUSTOMER_MAP, dataverseTable: 'account', dataverseId: accountId, fnoEntity: CUSTOMERS, fnoKey: { ...key } });
    return key;
  }

  async customer(key: CustomerKey): Promise<FnoRecord> {
    const c = await this.d.fno.getByKey(CUSTOMERS, { ...key }, { select: CUSTOMER_SELECT, crossCompany: true });
    if (!c) throw bridgeError('FB_ACCOUNT_NOT_LINKED', `customer ${key.CustomerAccount} does not exist in company ${key.dataAreaId} in F&O`);
    return c;
  }

  /** The summary, for a user who may read the account (404 otherwise, so existence is not revealed). */
  async summary(principal: Principal, accountId: string, access?: Access): Promise<FinanceSummary> {
    const a = access ?? (await this.access(principal, accountId));
    if (!a.read) throw bridgeError('FB_ACCOUNT_NOT_FOUND', `account ${accountId}`);
    const key = await this.customerKey(accountId);
    const top = this.d.listSize ?? 5;
    const byCustomer = `${eq('dataAreaId', key.dataAreaId)}`;
    const [customer, balance, orders, invoices] = await Promise.all([
      this.customer(key),
      this.d.fno.getByKey('FinOpsBridgeCustomerBalances', { ...key }, { crossCompany: true }),
      this.d.fno.query('SalesOrderHeadersV2', {
        filter: `${byCustomer} and ${eq('OrderingCustomerAccountNumber', key.CustomerAccount)} and SalesOrderStatus eq ${fnoEnum('SalesStatus', 'Backorder')}`,
        select: ORDER_SELECT, orderby: 'OrderCreationDateTime desc', top, crossCompany: true, limit: top,
      }),
      this.d.fno.query('SalesInvoiceHeadersV2', {
        filter: `${byCustomer} and ${eq('InvoiceCustomerAccountNumber', key.CustomerAccount)}`,
        select: INVOICE_SELECT, orderby: 'InvoiceDate desc', top, crossCompany: true, limit: top,
      }),
    ]);
    const editableFields = a.write && principal.roles.includes('Finance.Write') ? EDITABLE : [];
    return buildSummary({ accountId, customer, balance, orders, invoices, editableFields, retrievedAt: new Date().toISOString() });
  }

  /**
   * Applies an edit with the caller's etag. Every attempt leaves an audit row. Returns the new summary;
   * throws FB_CONFLICT_ETAG (with the current values) when the customer changed since the caller read it.
   */
  async edit(principal: Principal, accountId: string, edit: FinanceEdit, ifMatch: string, requestId: string): Promise<FinanceSummary> {
    const auditBase = { requestId, principalOid: principal.oid, principalName: principal.name, accountId };
    const requested: FieldChanges = Object.fromEntries(Object.entries(editToFno(edit)).map(([k, v]) => [k, { before: null, after: v }]));
    const a = await this.access(principal, accountId);
    if (!a.read) {
      await this.d.audit.record({ ...auditBase, company: null, customerAccount: null, changes: requested, result: 'rejected', errorCode: 'FB_ACCOUNT_NOT_FOUND' });
      throw bridgeError('FB_ACCOUNT_NOT_FOUND', `account ${accountId}`);
    }
    if (!a.write) {
      await this.d.audit.record({ ...auditBase, company: null, customerAccount: null, changes: requested, result: 'rejected', errorCode: 'FB_RECORD_FORBIDDEN' });
      throw bridgeError('FB_RECORD_FORBIDDEN', 'you have no write access to this account in Dataverse');
    }
    const key = await this.customerKey(accountId);
    const where = { company: key.dataAreaId, customerAccount: key.CustomerAccount };
    const current = await this.customer(key);
    const fields = editToFno(edit);
    const changes: FieldChanges = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { before: current[k] ?? null, after: v }]));
    const conflict = async () => {
      await this.d.audit.record({ ...auditBase, ...where, changes, result: 'conflict', errorCode: 'FB_CONFLICT_ETAG' });
      const now = await this.summary(principal, accountId, a);
      return bridgeError('FB_CONFLICT_ETAG', undefined, { details: { current: now } });
    };
    if (current['@odata.etag'] !== ifMatch) throw await conflict();
    try {
      await this.d.fno.update(CUSTOMERS, { ...key }, fields, ifMatch);
    } catch (e) {
      if (e instanceof UpstreamError && e.status === 412) throw await conflict();
      await this.d.audit.record({ ...auditBase, ...where, changes, result: 'failed', errorCode: 'FB_UPSTREAM_FNO' });
      throw e;
    }
    await this.d.audit.record({ ...auditBase, ...where, changes, result: 'applied', errorCode: null });
    return this.summary(principal, accountId, a);
  }
}
