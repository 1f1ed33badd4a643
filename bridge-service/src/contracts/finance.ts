import { z } from 'zod';
import { Guid } from './guid';

/** F&O CustVendorBlocked, by its OData member names. */
export const OnHoldStatus = z.enum(['No', 'Invoice', 'All', 'Payment', 'Requisition', 'Never', 'PurchOrder']);
export type OnHoldStatus = z.infer<typeof OnHoldStatus>;

const Money = z.number().finite();
const IsoCurrency = z.string().regex(/^[A-Z]{3}$/);
const DateTime = z.string().datetime({ offset: true });

export const OpenSalesOrder = z.object({
  salesOrderNumber: z.string(),
  orderedOn: DateTime.nullable(),
  requestedShipDate: DateTime.nullable(),
  status: z.string(),
  amount: Money.nullable(),
  currency: IsoCurrency,
  customerReference: z.string().nullable(),
});
export type OpenSalesOrder = z.infer<typeof OpenSalesOrder>;

export const Invoice = z.object({
  invoiceNumber: z.string(),
  invoiceDate: DateTime,
  /** Derived from the invoice's terms of payment (SalesInvoiceHeaderV2 has no due date); null when the terms are unknown. */
  dueDate: DateTime.nullable(),
  amount: Money,
  currency: IsoCurrency,
  salesOrderNumber: z.string().nullable(),
});
export type Invoice = z.infer<typeof Invoice>;

/**
 * Why balance and overdue amount are missing: F&O has no balance row for the customer, or the balance entity
 * (the bridge's own, not standard F&O) is not deployed, since F&O answers 404 to both (no_record); or the read
 * failed (read_failed).
 */
export const BalanceUnavailable = z.enum(['no_record', 'read_failed']);
export type BalanceUnavailable = z.infer<typeof BalanceUnavailable>;

export const EditableField = z.enum(['creditLimit', 'onHoldStatus']);
export type EditableField = z.infer<typeof EditableField>;

/** GET /api/v1/accounts/{accountId}/finance */
export const FinanceSummary = z.object({
  accountId: Guid,
  company: z.string(),
  customerAccount: z.string(),
  name: z.string(),
  currency: IsoCurrency,
  creditLimit: Money,
  creditLimitIsMandatory: z.boolean(),
  /** Null when the balance could not be read; balanceUnavailable then says why. Never a made-up 0. */
  balance: Money.nullable(),
  overdueAmount: Money.nullable(),
  balanceUnavailable: BalanceUnavailable.nullable(),
  onHoldStatus: OnHoldStatus,
  paymentTerms: z.string().nullable(),
  /** The terms' description in F&O (PaymentTerms.Description), when it could be read. */
  paymentTermsName: z.string().nullable(),
  customerGroup: z.string().nullable(),
  /** The group's description in F&O (CustomerGroups.Description), when it could be read. */
  customerGroupName: z.string().nullable(),
  openOrders: z.array(OpenSalesOrder),
  invoices: z.array(Invoice),
  /** The F&O record's etag; send it back as If-Match on PATCH. */
  etag: z.string(),
  retrievedAt: DateTime,
  /** What the caller may change here (empty when read-only for them). */
  editableFields: z.array(EditableField),
});
export type FinanceSummary = z.infer<typeof FinanceSummary>;

/**
 * GET /api/v1/contacts/{contactId}/finance: a person customer's summary, the same figures as an account's, named by
 * the contact's id.
 */
export const ContactFinanceSummary = z.object({ contactId: Guid }).extend(FinanceSummary.omit({ accountId: true }).shape);
export type ContactFinanceSummary = z.infer<typeof ContactFinanceSummary>;

/** PATCH /api/v1/accounts/{accountId}/finance and /api/v1/contacts/{contactId}/finance (If-Match: the summary's etag). */
export const FinanceEdit = z
  .object({
    creditLimit: z.number().finite().min(0).max(999_999_999_999).optional(),
    onHoldStatus: OnHoldStatus.optional(),
  })
  .strict()
  .refine((v) => v.creditLimit !== undefined || v.onHoldStatus !== undefined, {
    message: 'Send at least one of creditLimit, onHoldStatus',
  });
export type FinanceEdit = z.infer<typeof FinanceEdit>;

export const AccountIdParams = z.object({ accountId: Guid });
export const ContactIdParams = z.object({ contactId: Guid });
