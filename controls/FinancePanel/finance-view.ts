// Pure shaping of a FinanceSummary for display and for the edit flow.
import type { EditableField, FinanceEdit, FinanceSummary, OnHoldStatus } from '../../bridge-service/src/contracts';
import { asFormatter, type FormatSource } from '../common/formatter';
import { fill, type Translate } from '../common/strings';

export const ON_HOLD_VALUES: readonly OnHoldStatus[] = ['No', 'Invoice', 'All', 'Payment', 'Requisition', 'Never', 'PurchOrder'];

export function onHoldLabel(value: OnHoldStatus, t: Translate): string {
  return t(`OnHold_${value}`);
}

/** F&O SalesStatus members; anything else is shown as F&O sent it. */
const ORDER_STATUSES = ['None', 'Backorder', 'Delivered', 'Invoiced', 'Canceled'];

export function orderStatusLabel(status: string, t: Translate): string {
  return ORDER_STATUSES.includes(status) ? t(`OrderStatus_${status}`) : status;
}

export interface Fact {
  key: string;
  label: string;
  value: string;
  /** A second line that explains the value (what an on-hold status means, why a figure is missing). */
  note?: string;
  emphasis?: 'warning';
}

/** "Net 30 days (Net30)" when F&O gave the name, else the code; "None" without a code. */
function named(code: string | null, name: string | null, none: string): string {
  if (!code) return none;
  return name && name !== code ? `${name} (${code})` : code;
}

/** Credit limit minus balance; null when the balance is unknown. */
export function availableCredit(s: FinanceSummary): number | null {
  return s.balance === null ? null : Math.round((s.creditLimit - s.balance) * 100) / 100;
}

/** The amount by which the balance exceeds the credit limit, or null when it does not (or is unknown). */
export function overLimitBy(s: FinanceSummary): number | null {
  const available = availableCredit(s);
  return available !== null && available < 0 ? -available : null;
}

export function overLimitText(s: FinanceSummary, fmt: FormatSource, t: Translate): string | null {
  const over = overLimitBy(s);
  if (over === null) return null;
  const f = asFormatter(fmt);
  const money = (n: number | null) => f.money(n, s.currency);
  return fill(t('Finance_OverLimit'), money(s.balance), money(s.creditLimit), money(over));
}

export function financeFacts(s: FinanceSummary, fmt: FormatSource, t: Translate): Fact[] {
  const none = t('Finance_None');
  const f = asFormatter(fmt);
  const money = (n: number | null) => f.money(n, s.currency);
  const unavailable = s.balanceUnavailable ? t(`Finance_Unavailable_${s.balanceUnavailable}`) : t('Finance_Unavailable_read_failed');
  const available = availableCredit(s);
  const held = s.onHoldStatus !== 'No' && s.onHoldStatus !== 'Never';
  return [
    { key: 'customer', label: t('Finance_Customer'), value: `${s.customerAccount} (${s.company.toUpperCase()})` },
    { key: 'creditLimit', label: t('Finance_CreditLimit'), value: money(s.creditLimit) },
    s.balance === null
      ? { key: 'balance', label: t('Finance_Balance'), value: t('Finance_Unavailable'), note: unavailable }
      : { key: 'balance', label: t('Finance_Balance'), value: money(s.balance) },
    available === null
      ? { key: 'availableCredit', label: t('Finance_AvailableCredit'), value: t('Finance_Unavailable'), note: unavailable }
      : { key: 'availableCredit', label: t('Finance_AvailableCredit'), value: money(available), emphasis: available < 0 ? 'warning' : undefined },
    s.overdueAmount === null
      ? { key: 'overdue', label: t('Finance_Overdue'), value: t('Finance_Unavailable'), note: unavailable }
      : { key: 'overdue', label: t('Finance_Overdue'), value: money(s.overdueAmount), emphasis: s.overdueAmount > 0 ? 'warning' : undefined },
    { key: 'onHold', label: t('Finance_OnHold'), value: onHoldLabel(s.onHoldStatus, t), note: t(`OnHoldMeaning_${s.onHoldStatus}`), emphasis: held ? 'warning' : undefined },
    { key: 'currency', label: t('Finance_Currency'), value: s.currency },
    { key: 'paymentTerms', label: t('Finance_PaymentTerms'), value: named(s.paymentTerms, s.paymentTermsName, none) },
    { key: 'customerGroup', label: t('Finance_CustomerGroup'), value: named(s.customerGroup, s.customerGroupName, none) },
  ];
}

export interface OrderRow { key: string; number: string; date: string; status: string; amount: string }
export interface InvoiceRow { key: string; number: string; date: string; due: string; amount: string; overdue: boolean }

export function orderRows(s: FinanceSummary, fmt: FormatSource, t: Translate): OrderRow[] {
  const f = asFormatter(fmt);
  return s.openOrders.map((o) => ({
    key: o.salesOrderNumber,
    number: o.salesOrderNumber,
    date: f.date(o.orderedOn),
    status: orderStatusLabel(o.status, t),
    amount: f.money(o.amount, o.currency),
  }));
}

/** Overdue: the due date has passed at the time the figures were retrieved. */
export function invoiceRows(s: FinanceSummary, fmt: FormatSource): InvoiceRow[] {
  const at = Date.parse(s.retrievedAt);
  const f = asFormatter(fmt);
  return s.invoices.map((i) => ({
    key: i.invoiceNumber,
    number: i.invoiceNumber,
    date: f.date(i.invoiceDate),
    due: f.date(i.dueDate),
    amount: f.money(i.amount, i.currency),
    overdue: i.dueDate !== null && Number.isFinite(at) && Date.parse(i.dueDate) < at,
  }));
}

export function retrievedText(s: FinanceSummary, fmt: FormatSource, t: Translate): string {
  return fill(t('Common_RetrievedAt'), asFormatter(fmt).dateTime(s.retrievedAt));
}

export function isStale(retrievedAt: string, nowMs: number, staleAfterMinutes: number): boolean {
  const at = Date.parse(retrievedAt);
  return Number.isFinite(at) && nowMs - at > staleAfterMinutes * 60_000;
}

export interface Draft {
  creditLimit?: number;
  onHoldStatus?: OnHoldStatus;
}

/** Only the fields the user may edit and that differ from the summary; null when nothing changed. */
export function buildEdit(s: FinanceSummary, draft: Draft, editable: readonly EditableField[]): FinanceEdit | null {
  const edit: { creditLimit?: number; onHoldStatus?: OnHoldStatus } = {};
  if (editable.includes('creditLimit') && draft.creditLimit !== undefined && draft.creditLimit !== s.creditLimit) edit.creditLimit = draft.creditLimit;
  if (editable.includes('onHoldStatus') && draft.onHoldStatus !== undefined && draft.onHoldStatus !== s.onHoldStatus) edit.onHoldStatus = draft.onHoldStatus;
  return edit.creditLimit === undefined && edit.onHoldStatus === undefined ? null : edit;
}

/** Lines for the confirmation: "Credit limit: $1,000.00 → $2,000.00". */
export function changeLines(s: FinanceSummary, edit: FinanceEdit, fmt: FormatSource, t: Translate): string[] {
  const lines: string[] = [];
  const f = asFormatter(fmt);
  if (edit.creditLimit !== undefined) {
    lines.push(fill(t('Confirm_Row'), t('Finance_CreditLimit'), f.money(s.creditLimit, s.currency), f.money(edit.creditLimit, s.currency)));
  }
  if (edit.onHoldStatus !== undefined) {
    lines.push(fill(t('Confirm_Row'), t('Finance_OnHold'), onHoldLabel(s.onHoldStatus, t), onHoldLabel(edit.onHoldStatus, t)));
  }
  return lines;
}

/** Who may edit: the bridge says which fields; the form can still forbid it (disabled, field security). */
export function editableFields(s: FinanceSummary, formAllowsEdits: boolean): EditableField[] {
  return formAllowsEdits ? s.editableFields.filter((f) => f === 'creditLimit' || f === 'onHoldStatus') : [];
}
