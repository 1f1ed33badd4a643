// Pure shaping of F&O records into the FinanceSummary contract, and the summary's HTTP ETag.
import { createHash } from 'node:crypto';
import { OnHoldStatus, type EditableField, type FinanceSummary, type Invoice, type OpenSalesOrder } from '../contracts/index';
import type { FnoRecord } from '../clients/fno-client';

/** F&O writes "no date" as 1900-01-01; the contract says null. */
export function fnoDate(v: unknown): string | null {
  if (typeof v !== 'string' || v === '' || v.startsWith('1900-01-01')) return null;
  return new Date(v).toISOString() === 'Invalid Date' ? null : v;
}

const num = (v: unknown, fallback = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : fallback);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const currency = (v: unknown, fallback: string): string => (typeof v === 'string' && /^[A-Z]{3}$/.test(v.toUpperCase()) ? v.toUpperCase() : fallback);

export const CUSTOMER_SELECT = [
  'dataAreaId', 'CustomerAccount', 'OrganizationName', 'CreditLimit', 'CreditLimitIsMandatory', 'OnHoldStatus', 'SalesCurrencyCode',
  'PaymentTerms', 'CustomerGroupId',
];
export const ORDER_SELECT = ['SalesOrderNumber', 'OrderCreationDateTime', 'RequestedShippingDate', 'SalesOrderStatus', 'OrderTotalAmount', 'CurrencyCode', 'CustomersOrderReference'];
export const INVOICE_SELECT = ['InvoiceNumber', 'InvoiceDate', 'TotalInvoiceAmount', 'CurrencyCode', 'SalesOrderNumber'];

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

export function toInvoice(r: FnoRecord, fallbackCurrency: string): Invoice | null {
  const invoiceDate = fnoDate(r.InvoiceDate);
  if (!invoiceDate) return null;
  return {
    invoiceNumber: String(r.InvoiceNumber),
    invoiceDate,
    dueDate: null,
    amount: num(r.TotalInvoiceAmount),
    currency: currency(r.CurrencyCode, fallbackCurrency),
    salesOrderNumber: str(r.SalesOrderNumber),
  };
}

export interface SummaryInput {
  accountId: string;
  customer: FnoRecord;
  balance: FnoRecord | null;
  orders: FnoRecord[];
  invoices: FnoRecord[];
  editableFields: EditableField[];
  retrievedAt: string;
}

export function buildSummary(i: SummaryInput): FinanceSummary {
  const c = i.customer;
  const cur = currency(c.SalesCurrencyCode, currency(i.balance?.CurrencyCode, 'USD'));
  const hold = OnHoldStatus.safeParse(c.OnHoldStatus);
  return {
    accountId: i.accountId.toLowerCase(),
    company: String(c.dataAreaId).toLowerCase(),
    customerAccount: String(c.CustomerAccount),
    name: str(c.OrganizationName) ?? String(c.CustomerAccount),
    currency: cur,
    creditLimit: num(c.CreditLimit),
    creditLimitIsMandatory: c.CreditLimitIsMandatory === 'Yes' || c.CreditLimitIsMandatory === true,
    balance: num(i.balance?.Balance),
    overdueAmount: num(i.balance?.OverdueAmount),
    onHoldStatus: hold.success ? hold.data : 'No',
    paymentTerms: str(c.PaymentTerms),
    customerGroup: str(c.CustomerGroupId),
    openOrders: i.orders.map((o) => toOpenOrder(o, cur)),
    invoices: i.invoices.map((r) => toInvoice(r, cur)).filter((x): x is Invoice => x !== null),
    etag: String(c['@odata.etag'] ?? ''),
    retrievedAt: i.retrievedAt,
    editableFields: i.editableFields,
  };
}

/** Strong ETag over everything but retrievedAt, so an unchanged summary keeps its tag. */
export function summaryEtag(s: FinanceSummary): string {
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
