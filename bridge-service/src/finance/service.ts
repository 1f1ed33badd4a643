// The finance read and proxied-write use cases: record-level access through Dataverse, the account ->
// F&O customer link (made by the sync, checked here against the account as it is now), the summary from F&O,
// and audited writes.
import type { DataverseClient } from '../clients/dataverse-client';
import type { FnoClient, FnoRecord } from '../clients/fno-client';
import { fnoEnum } from '../clients/fno-client';
import { eq } from '../clients/odata/literals';
import { UpstreamError } from '../clients/upstream-error';
import type { Principal } from '../auth/verifier';
import type { Access, RecordAccess } from '../auth/record-access';
import type { AuditRepo, FieldChanges } from '../db/repos/audit';
import type { LinksRepo } from '../db/repos/links';
import { bridgeError, isBridgeError } from '../http/bridge-error';
import type { BalanceUnavailable, EditableField, FinanceEdit, FinanceSummary } from '../contracts/index';
import { CUSTOMER_GROUP_SELECT, CUSTOMER_SELECT, INVOICE_SELECT, ORDER_SELECT, PAYMENT_TERM_SELECT, buildSummary, editToFno } from './summary';

export const CUSTOMER_MAP = 'customers-accounts';
const CUSTOMERS = 'CustomersV3';
const EDITABLE: EditableField[] = ['creditLimit', 'onHoldStatus'];

export interface CustomerKey { dataAreaId: string; CustomerAccount: string }

export interface FinanceServiceDeps {
  fno: FnoClient;
  dataverse: DataverseClient;
  access: RecordAccess;
  links: LinksRepo;
  audit: AuditRepo;
  /** How many open orders and invoices the summary shows. */
  listSize?: number;
}

export class FinanceService {
  private readonly companyCodes = new Map<string, string>();
  constructor(private readonly d: FinanceServiceDeps) {}

  /** What the user may do on the account, asked of Dataverse now. */
  access(principal: Principal, accountId: string): Promise<Access> {
    return this.d.access.access(principal, 'accounts', accountId);
  }

  /**
   * The F&O customer of an account: the link the sync made, only while it still matches the account as it is now
   * (its company and account number). Access was decided on the account's current company, so a link left over
   * from another company, or a number a user typed, must never lead to another company's customer. An account
   * without a link is read by its own company and number (the company access was decided on), never changed, and
   * no link is stored: only the sync links records.
   */
  async customerKey(accountId: string, purpose: 'read' | 'write' = 'read'): Promise<{ key: CustomerKey; linked: boolean }> {
    const current = await this.currentKey(accountId);
    const link = await this.d.links.findByDataverse(CUSTOMER_MAP, 'account', accountId);
    if (!link && purpose === 'read') return { key: current, linked: false };
    if (!link) throw bridgeError('FB_ACCOUNT_NOT_LINKED', 'the customer sync has not linked this account to its F&O customer yet, and finance data is only changed through such a link');
    // Key fields in F&O's declared order (the link stores them sorted). F&O compares keys case-insensitively.
    const linked: CustomerKey = { dataAreaId: link.fnoKey.dataAreaId, CustomerAccount: link.fnoKey.CustomerAccount };
    const same = linked.dataAreaId.toLowerCase() === current.dataAreaId && linked.CustomerAccount.toLowerCase() === current.CustomerAccount.toLowerCase();
    if (!same) {
      throw bridgeError('FB_ACCOUNT_NOT_LINKED', 'the account\'s company or account number changed since it was linked to its F&O customer; the customer sync must re-link it before its finance data can be shown or changed');
    }
    return { key: linked, linked: true };
  }

  /** The account's F&O key as the account stands now: accountnumber and its company's cdm_companycode. */
  private async currentKey(accountId: string): Promise<CustomerKey> {
    const account = await this.d.dataverse.get('accounts', accountId, { select: ['accountnumber', '_msdyn_company_value'] });
    if (!account) throw bridgeError('FB_ACCOUNT_NOT_FOUND', `no account ${accountId}`);
    const accountNumber = account.accountnumber;
    const companyId = account._msdyn_company_value;
    if (typeof accountNumber !== 'string' || accountNumber === '') throw bridgeError('FB_ACCOUNT_NOT_LINKED', 'the account has no account number');
    if (typeof companyId !== 'string') throw bridgeError('FB_ACCOUNT_NOT_LINKED', 'the account has no company (msdyn_company)');
    return { dataAreaId: await this.companyCode(companyId), CustomerAccount: accountNumber };
  }

  /** A company's code (cdm_companycode, lower case as F&O's dataAreaId); codes never change, so they are kept. */
  private async companyCode(companyId: string): Promise<string> {
    const known = this.companyCodes.get(companyId);
    if (known) return known;
    const company = await this.d.dataverse.get('cdm_companies', companyId, { select: ['cdm_companycode'] });
    const code = company?.cdm_companycode;
    if (typeof code !== 'string' || code === '') throw bridgeError('FB_ACCOUNT_NOT_LINKED', 'the account\'s company has no company code');
    this.companyCodes.set(companyId, code.toLowerCase());
    return code.toLowerCase();
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
    const { key, linked } = await this.customerKey(accountId);
    const top = this.d.listSize ?? 5;
    const byCustomer = `${eq('dataAreaId', key.dataAreaId)}`;
    const [customer, balance, paymentTerms, customerGroups, orders, invoices] = await Promise.all([
      this.customer(key),
      this.balance(key),
      // Small per-company reference tables: names for codes. Without them the codes are shown.
      this.d.fno.query('PaymentTerms', { filter: byCustomer, select: PAYMENT_TERM_SELECT, top: 200, crossCompany: true, limit: 200 }).catch(() => []),
      this.d.fno.query('CustomerGroups', { filter: byCustomer, select: CUSTOMER_GROUP_SELECT, top: 200, crossCompany: true, limit: 200 }).catch(() => []),
      this.d.fno.query('SalesOrderHeadersV2', {
        filter: `${byCustomer} and ${eq('OrderingCustomerAccountNumber', key.CustomerAccount)} and SalesOrderStatus eq ${fnoEnum('SalesStatus', 'Backorder')}`,
        select: ORDER_SELECT, orderby: 'OrderCreationDateTime desc', top, crossCompany: true, limit: top,
      }),
      this.d.fno.query('SalesInvoiceHeadersV2', {
        filter: `${byCustomer} and ${eq('InvoiceCustomerAccountNumber', key.CustomerAccount)}`,
        select: INVOICE_SELECT, orderby: 'InvoiceDate desc', top, crossCompany: true, limit: top,
      }),
    ]);
    // Edits go only through a link the sync made (see customerKey).
    const editableFields = linked && a.write && principal.roles.includes('Finance.Write') ? EDITABLE : [];
    return buildSummary({ accountId, customer, balance, paymentTerms, customerGroups, orders, invoices, editableFields, retrievedAt: new Date().toISOString() });
  }

  /**
   * The customer's balance row from the bridge's own F&O entity, or why it cannot be shown: standard F&O has no
   * balance entity, so where ours is not deployed the panel says so instead of showing 0.
   */
  private async balance(key: CustomerKey): Promise<FnoRecord | BalanceUnavailable> {
    try {
      return (await this.d.fno.getByKey('FinOpsBridgeCustomerBalances', { ...key }, { crossCompany: true })) ?? 'no_record';
    } catch {
      return 'read_failed';
    }
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
    let key: CustomerKey;
    try {
      ({ key } = await this.customerKey(accountId, 'write'));
    } catch (e) {
      await this.d.audit.record({ ...auditBase, company: null, customerAccount: null, changes: requested, result: 'rejected', errorCode: isBridgeError(e) ? e.code : 'FB_UPSTREAM_DATAVERSE' });
      throw e;
    }
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
