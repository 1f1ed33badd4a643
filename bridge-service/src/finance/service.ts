// The finance read and proxied-write use cases, for accounts (organisation customers) and contacts (person
// customers): record-level access through Dataverse, the record -> F&O customer link (made by the sync, checked
// here against the record as it is now), the summary from F&O, and audited writes.
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
import type { BalanceUnavailable, ContactFinanceSummary, EditableField, FinanceEdit, FinanceSummary } from '../contracts/index';
import { CUSTOMER_GROUP_SELECT, CUSTOMER_SELECT, INVOICE_SELECT, ORDER_SELECT, PAYMENT_TERM_SELECT, buildSummary, editToFno } from './summary';
import { FINANCE_RECORDS, type FinanceRecordKind, type FinanceRecordRef, type FinanceTable } from './records';

export const CUSTOMER_MAP = FINANCE_RECORDS.account.map;
const CUSTOMERS = 'CustomersV3';
/**
 * The bridge's own read-only F&O entity with a customer's balance and overdue amount: standard F&O exposes none
 * (CustTransOpen is not a public entity). `doctor` checks that it is deployed.
 */
export const BALANCE_ENTITY_SET = 'FinOpsBridgeCustomerBalances';
const EDITABLE: EditableField[] = ['creditLimit', 'onHoldStatus'];

export interface CustomerKey { dataAreaId: string; CustomerAccount: string }
/** An account's summary, or a contact's (the same figures, named by contactId). */
export type SummaryOf<T extends FinanceTable> = T extends 'contact' ? ContactFinanceSummary : FinanceSummary;

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

  /** What the user may do on the record, asked of Dataverse now. */
  access(principal: Principal, record: FinanceRecordRef): Promise<Access> {
    return this.d.access.access(principal, record.kind.entitySet, record.id);
  }

  /**
   * The F&O customer of an account or contact: the link the sync made (under the record's map), only while it
   * still matches the record as it is now (its company and customer key). Access was decided on the record's
   * current company, so a link left over from another company, or a key a user typed, must never lead to another
   * company's customer. An account without a link is read by its own company and number (the company access was
   * decided on) and never changed; a contact without a link is refused. No link is ever stored here: only the sync
   * links records.
   */
  async customerKey(record: FinanceRecordRef, purpose: 'read' | 'write' = 'read'): Promise<{ key: CustomerKey; linked: boolean }> {
    const { kind, id } = record;
    const current = await this.currentKey(record);
    const link = await this.d.links.findByDataverse(kind.map, kind.table, id);
    if (!link && purpose === 'read' && kind.readsUnlinked) return { key: current, linked: false };
    if (!link) {
      throw bridgeError(kind.notLinked, purpose === 'read'
        ? `the customer sync has not linked this ${kind.table} to its F&O customer yet, and a ${kind.table}'s finance data is only shown through such a link`
        : `the customer sync has not linked this ${kind.table} to its F&O customer yet, and finance data is only changed through such a link`);
    }
    // Key fields in F&O's declared order (the link stores them sorted). F&O compares keys case-insensitively.
    const linked: CustomerKey = { dataAreaId: link.fnoKey.dataAreaId, CustomerAccount: link.fnoKey.CustomerAccount };
    const same = linked.dataAreaId.toLowerCase() === current.dataAreaId && linked.CustomerAccount.toLowerCase() === current.CustomerAccount.toLowerCase();
    if (!same) {
      throw bridgeError(kind.notLinked, `the ${kind.table}'s company or ${kind.keyName} changed since it was linked to its F&O customer; the customer sync must re-link it before its finance data can be shown or changed`);
    }
    return { key: linked, linked: true };
  }

  /** The record's F&O key as the record stands now: its key column and its company's cdm_companycode. */
  private async currentKey({ kind, id }: FinanceRecordRef): Promise<CustomerKey> {
    const row = await this.d.dataverse.get(kind.entitySet, id, { select: [kind.keyColumn, '_msdyn_company_value'] });
    if (!row) throw bridgeError(kind.notFound, `no ${kind.table} ${id}`);
    const customerAccount = row[kind.keyColumn];
    const companyId = row._msdyn_company_value;
    if (typeof customerAccount !== 'string' || customerAccount === '') throw bridgeError(kind.notLinked, `the ${kind.table} has no ${kind.keyName}`);
    if (typeof companyId !== 'string') throw bridgeError(kind.notLinked, `the ${kind.table} has no company (msdyn_company)`);
    return { dataAreaId: await this.companyCode(companyId, kind), CustomerAccount: customerAccount };
  }

  /** A company's code (cdm_companycode, lower case as F&O's dataAreaId); codes never change, so they are kept. */
  private async companyCode(companyId: string, kind: FinanceRecordKind): Promise<string> {
    const known = this.companyCodes.get(companyId);
    if (known) return known;
    const company = await this.d.dataverse.get('cdm_companies', companyId, { select: ['cdm_companycode'] });
    const code = company?.cdm_companycode;
    if (typeof code !== 'string' || code === '') throw bridgeError(kind.notLinked, `the ${kind.table}'s company has no company code`);
    this.companyCodes.set(companyId, code.toLowerCase());
    return code.toLowerCase();
  }

  async customer(key: CustomerKey, kind: FinanceRecordKind = FINANCE_RECORDS.account): Promise<FnoRecord> {
    const c = await this.d.fno.getByKey(CUSTOMERS, { ...key }, { select: CUSTOMER_SELECT, crossCompany: true });
    if (!c) throw bridgeError(kind.notLinked, `customer ${key.CustomerAccount} does not exist in company ${key.dataAreaId} in F&O`);
    return c;
  }

  /** The summary, for a user who may read the record (404 otherwise, so existence is not revealed). */
  async summary<T extends FinanceTable>(principal: Principal, record: FinanceRecordRef<T>, access?: Access): Promise<SummaryOf<T>> {
    const { kind, id } = record;
    const a = access ?? (await this.access(principal, record));
    if (!a.read) throw bridgeError(kind.notFound, `${kind.table} ${id}`);
    const { key, linked } = await this.customerKey(record);
    const top = this.d.listSize ?? 5;
    const byCustomer = `${eq('dataAreaId', key.dataAreaId)}`;
    const [customer, balance, paymentTerms, customerGroups, orders, invoices] = await Promise.all([
      this.customer(key, kind),
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
    const summary = buildSummary({ accountId: id, customer, balance, paymentTerms, customerGroups, orders, invoices, editableFields, retrievedAt: new Date().toISOString() });
    if (kind.table === 'account') return summary as SummaryOf<T>;
    const { accountId, ...figures } = summary;
    const contact: ContactFinanceSummary = { contactId: accountId, ...figures };
    return contact as SummaryOf<T>;
  }

  /**
   * The customer's balance row from the bridge's own F&O entity, or why it cannot be shown: standard F&O has no
   * balance entity, so where ours is not deployed the panel says so instead of showing 0.
   */
  private async balance(key: CustomerKey): Promise<FnoRecord | BalanceUnavailable> {
    try {
      return (await this.d.fno.getByKey(BALANCE_ENTITY_SET, { ...key }, { crossCompany: true })) ?? 'no_record';
    } catch {
      return 'read_failed';
    }
  }

  /**
   * Applies an edit with the caller's etag. Every attempt leaves an audit row. Returns the new summary;
   * throws FB_CONFLICT_ETAG (with the current values) when the customer changed since the caller read it.
   */
  async edit<T extends FinanceTable>(principal: Principal, record: FinanceRecordRef<T>, edit: FinanceEdit, ifMatch: string, requestId: string): Promise<SummaryOf<T>> {
    const { kind, id } = record;
    // The audit row names the record by its id (an account's or a contact's: Dataverse ids are unique).
    const auditBase = { requestId, principalOid: principal.oid, principalName: principal.name, accountId: id };
    const requested: FieldChanges = Object.fromEntries(Object.entries(editToFno(edit)).map(([k, v]) => [k, { before: null, after: v }]));
    const a = await this.access(principal, record);
    if (!a.read) {
      await this.d.audit.record({ ...auditBase, company: null, customerAccount: null, changes: requested, result: 'rejected', errorCode: kind.notFound });
      throw bridgeError(kind.notFound, `${kind.table} ${id}`);
    }
    if (!a.write) {
      await this.d.audit.record({ ...auditBase, company: null, customerAccount: null, changes: requested, result: 'rejected', errorCode: 'FB_RECORD_FORBIDDEN' });
      throw bridgeError('FB_RECORD_FORBIDDEN', `you have no write access to this ${kind.table} in Dataverse`);
    }
    let key: CustomerKey;
    try {
      ({ key } = await this.customerKey(record, 'write'));
    } catch (e) {
      await this.d.audit.record({ ...auditBase, company: null, customerAccount: null, changes: requested, result: 'rejected', errorCode: isBridgeError(e) ? e.code : 'FB_UPSTREAM_DATAVERSE' });
      throw e;
    }
    const where = { company: key.dataAreaId, customerAccount: key.CustomerAccount };
    const current = await this.customer(key, kind);
    const fields = editToFno(edit);
    const changes: FieldChanges = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { before: current[k] ?? null, after: v }]));
    const conflict = async () => {
      await this.d.audit.record({ ...auditBase, ...where, changes, result: 'conflict', errorCode: 'FB_CONFLICT_ETAG' });
      const now = await this.summary(principal, record, a);
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
    return this.summary(principal, record, a);
  }
}
