// Pure shaping of F&O records into the FinanceSummary contract, and the summary's HTTP ETag.
import { createHash } from 'node:crypto';
import { OnHoldStatus, type BalanceUnavailable, type ContactFinanceSummary, type EditableField, type FinanceSummary, type Invoice, type OpenSalesOrder } from '../contracts/index';
import type { FnoRecord } from '../clients/fno-client';

/** F&O writes "no date" as 1900-01-01; the contract says null. */
export function fnoDate(v: unknown): string | null {
  if (typeof v !== 'string' || v === '' || v.startsWith('1900-01-01')) return null;
  return new Date(v).toISOString() === 'Invalid Date' ? null : v;
}

const num = (v: unknown, fallback = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : fallback);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
/** F&O codes compare without case. */
const lowerKey = (v: unknown): string => (typeof v === 'string' ? v.toLowerCase() : '');
const currency = (v: unknown, fallback: string): string => (typeof v === 'string' && /^[A-Z]{3}$/.test(v.toUpperCase()) ? v.toUpperCase() : fallback);

export const CUSTOMER_SELECT = [
  'dataAreaId', 'CustomerAccount', 'OrganizationName', 'PersonFirstName', 'PersonLastName', 'CreditLimit', 'CreditLimitIsMandatory', 'OnHoldStatus', 'SalesCurrencyCode',
  'PaymentTerms', 'CustomerGroupId',
];
export const ORDER_SELECT = ['SalesOrderNumber', 'OrderCreationDateTime', 'RequestedShippingDate', 'SalesOrderStatus', 'OrderTotalAmount', 'CurrencyCode', 'CustomersOrderReference'];
export const INVOICE_SELECT = ['InvoiceNumber', 'InvoiceDate', 'TotalInvoiceAmount', 'CurrencyCode', 'SalesOrderNumber', 'PaymentTermsName'];
export const PAYMENT_TERM_SELECT = ['dataAreaId', 'Name', 'Description', 'NumberOfDays', 'NumberOfMonths', 'PaymentMethodType'];
export const CUSTOMER_GROUP_SELECT = ['dataAreaId', 'CustomerGroupId', 'Description'];

/**
 * The due date F&O computes from the terms of payment at posting, for the method types we can reproduce:
 * Net (invoice date + months + days), CurrentMth (end of the invoice month + months + days) and COD (the
 * NetCurrent members of the real PaymentTerm metadata). The
 * posted due date itself lives on the customer transaction, which SalesInvoiceHeaderV2 does not expose.
 */
export function dueDateFromTerms(invoiceDate: string, term: FnoRecord | undefined): string | null {
  if (!term) return null;
  const method = typeof term.PaymentMethodType === 'string' && term.PaymentMethodType !== '' ? term.PaymentMethodType : 'Net';
  const d = new Date(invoiceDate);
  if (Number.isNaN(d.getTime())) return null;
  if (method === 'COD') return d.toISOString();
  if (method === 'CurrentMth') d.setUTCDate(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate());
  else if (method !== 'Net') return null;
  d.setUTCMonth(d.getUTCMonth() + num(term.NumberOfMonths));
  d.setUTCDate(d.getUTCDate() + num(term.NumberOfDays));
  return d.toISOString();
}

export function toOpenOrder(r: FnoRecord, fallbackCurrency: string): OpenSalesOrder {
  return {
    salesOrderNumber: String(r.SalesOrderNumber),
    orderedOn: fnoDate(r.OrderCreationDateTime),
    requestedShipDate: fnoDate(r.RequestedShippingDate),
    status: typeof r.SalesOrderStatus === 'string' ? r.SalesOrderStatus : 'None',
    amount: r.OrderTotalAmount === null || r.OrderTotalAmount === undefined ? null : num(r.OrderTotalAmount),
    currency: currency(r.CurrencyCode, fallbackCurrency),
    customerReference: str(r.CustomersOrderReference),
  };
}

export function toInvoice(r: FnoRecord, fallbackCurrency: string, terms: ReadonlyMap<string, FnoRecord> = new Map()): Invoice | null {
  const invoiceDate = fnoDate(r.InvoiceDate);
  if (!invoiceDate) return null;
  return {
    invoiceNumber: String(r.InvoiceNumber),
    invoiceDate,
    dueDate: dueDateFromTerms(invoiceDate, terms.get(lowerKey(r.PaymentTermsName))),
    amount: num(r.TotalInvoiceAmount),
    currency: currency(r.CurrencyCode, fallbackCurrency),
    salesOrderNumber: str(r.SalesOrderNumber),
  };
}

export interface SummaryInput {
  accountId: string;
  customer: FnoRecord;
  /** The balance row, or why there is none. */
  balance: FnoRecord | BalanceUnavailable;
  /** The company's terms of payment and customer groups; empty when they could not be read. */
  paymentTerms?: FnoRecord[];
  customerGroups?: FnoRecord[];
  orders: FnoRecord[];
  invoices: FnoRecord[];
  editableFields: EditableField[];
  retrievedAt: string;
}

export function buildSummary(i: SummaryInput): FinanceSummary {
  const c = i.customer;
  const bal = typeof i.balance === 'string' ? null : i.balance;
  const cur = currency(c.SalesCurrencyCode, currency(bal?.CurrencyCode, 'USD'));
  const hold = OnHoldStatus.safeParse(c.OnHoldStatus);
  const terms = new Map((i.paymentTerms ?? []).map((t) => [lowerKey(t.Name), t]));
  const group = (i.customerGroups ?? []).find((g) => lowerKey(g.CustomerGroupId) === lowerKey(c.CustomerGroupId));
  const amount = (v: unknown): number | null => (bal ? num(v) : null);
  return {
    accountId: i.accountId.toLowerCase(),
    company: String(c.dataAreaId).toLowerCase(),
    customerAccount: String(c.CustomerAccount),
    // A person customer's party name is in OrganizationName too; its name parts are the fallback.
    name: str(c.OrganizationName) ?? str([c.PersonFirstName, c.PersonLastName].filter((p) => typeof p === 'string' && p !== '').join(' ')) ?? String(c.CustomerAccount),
    currency: cur,
    creditLimit: num(c.CreditLimit),
    creditLimitIsMandatory: c.CreditLimitIsMandatory === 'Yes' || c.CreditLimitIsMandatory === true,
    balance: amount(bal?.Balance),
    overdueAmount: amount(bal?.OverdueAmount),
    balanceUnavailable: typeof i.balance === 'string' ? i.balance : null,
    onHoldStatus: hold.success ? hold.data : 'No',
    paymentTerms: str(c.PaymentTerms),
    paymentTermsName: str(terms.get(lowerKey(c.PaymentTerms))?.Description),
    customerGroup: str(c.CustomerGroupId),
    customerGroupName: str(group?.Description),
    openOrders: i.orders.map((o) => toOpenOrder(o, cur)),
    invoices: i.invoices.map((r) => toInvoice(r, cur, terms)).filter((x): x is Invoice => x !== null),
    etag: String(c['@odata.etag'] ?? ''),
    retrievedAt: i.retrievedAt,
    editableFields: i.editableFields,
  };
}

/** Strong ETag over everything but retrievedAt, so an unchanged summary keeps its tag. */
export function summaryEtag(s: FinanceSummary | ContactFinanceSummary): string {
  const { retrievedAt: _ignored, ...rest } = s;
  return `"${createHash('sha256').update(JSON.stringify(rest)).digest('base64url').slice(0, 27)}"`;
}

/** Whether an If-None-Match header matches the tag (list and weak comparison per RFC 9110). */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}

/** The F&O field names and values of an edit. */
export function editToFno(edit: { creditLimit?: number; onHoldStatus?: string }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (edit.creditLimit !== undefined) out.CreditLimit = edit.creditLimit;
  if (edit.onHoldStatus !== undefined) out.OnHoldStatus = edit.onHoldStatus;
  return out;
}
