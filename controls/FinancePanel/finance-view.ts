// Pure shaping of a FinanceSummary for display and for the edit flow.
import type { EditableField, FinanceEdit, FinanceSummary, OnHoldStatus } from '../../bridge-service/src/contracts';
import { formatDate, formatDateTime, formatMoney } from '../common/locale';
import { fill, type Translate } from '../common/strings';

export const ON_HOLD_VALUES: readonly OnHoldStatus[] = ['No', 'Invoice', 'All', 'Payment', 'Requisition', 'Never', 'PurchOrder'];

export function onHoldLabel(value: OnHoldStatus, t: Translate): string {
  return t(`OnHold_${value}`);
}

export interface Fact {
  key: string;
  label: string;
  value: string;
  emphasis?: 'warning';
}

export function financeFacts(s: FinanceSummary, locale: string, t: Translate): Fact[] {
  const none = t('Finance_None');
  return [
    { key: 'customer', label: t('Finance_Customer'), value: `${s.customerAccount} (${s.company.toUpperCase()})` },
    { key: 'creditLimit', label: t('Finance_CreditLimit'), value: formatMoney(s.creditLimit, s.currency, locale) },
    { key: 'balance', label: t('Finance_Balance'), value: formatMoney(s.balance, s.currency, locale) },
    {
      key: 'overdue', label: t('Finance_Overdue'), value: formatMoney(s.overdueAmount, s.currency, locale),
      emphasis: s.overdueAmount > 0 ? 'warning' : undefined,
    },
    { key: 'onHold', label: t('Finance_OnHold'), value: onHoldLabel(s.onHoldStatus, t), emphasis: s.onHoldStatus !== 'No' && s.onHoldStatus !== 'Never' ? 'warning' : undefined },
    { key: 'currency', label: t('Finance_Currency'), value: s.currency },
    { key: 'paymentTerms', label: t('Finance_PaymentTerms'), value: s.paymentTerms ?? none },
    { key: 'customerGroup', label: t('Finance_CustomerGroup'), value: s.customerGroup ?? none },
  ];
}

export interface OrderRow { key: string; number: string; date: string; status: string; amount: string }
export interface InvoiceRow { key: string; number: string; date: string; due: string; amount: string }

export function orderRows(s: FinanceSummary, locale: string): OrderRow[] {
  return s.openOrders.map((o) => ({
    key: o.salesOrderNumber,
    number: o.salesOrderNumber,
    date: formatDate(o.orderedOn, locale),
    status: o.status,
    amount: formatMoney(o.amount, o.currency, locale),
  }));
}

export function invoiceRows(s: FinanceSummary, locale: string): InvoiceRow[] {
  return s.invoices.map((i) => ({
    key: i.invoiceNumber,
    number: i.invoiceNumber,
    date: formatDate(i.invoiceDate, locale),
    due: formatDate(i.dueDate, locale),
    amount: formatMoney(i.amount, i.currency, locale),
  }));
}

export function retrievedText(s: FinanceSummary, locale: string, t: Translate): string {
  return fill(t('Common_RetrievedAt'), formatDateTime(s.retrievedAt, locale));
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
export function changeLines(s: FinanceSummary, edit: FinanceEdit, locale: string, t: Translate): string[] {
  const lines: string[] = [];
  if (edit.creditLimit !== undefined) {
    lines.push(fill(t('Confirm_Row'), t('Finance_CreditLimit'), formatMoney(s.creditLimit, s.currency, locale), formatMoney(edit.creditLimit, s.currency, locale)));
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
