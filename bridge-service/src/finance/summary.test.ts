import { describe, it, expect } from '@jest/globals';
import { FinanceSummary } from '../contracts/index';
import { buildSummary, dueDateFromTerms, toOpenOrder } from './summary';

const customer = {
  dataAreaId: 'USMF', CustomerAccount: 'US-001', OrganizationName: 'Contoso', CreditLimit: 45000, CreditLimitIsMandatory: 'Yes',
  OnHoldStatus: 'No', SalesCurrencyCode: 'USD', PaymentTerms: 'Net30', CustomerGroupId: '20', '@odata.etag': 'W/"1"',
};
const terms = [
  { dataAreaId: 'usmf', Name: 'Net30', Description: 'Net 30 days', NumberOfDays: 30, NumberOfMonths: 0, PaymentMethodType: 'Net' },
  { dataAreaId: 'usmf', Name: 'CM15', Description: 'Current month + 15', NumberOfDays: 15, NumberOfMonths: 0, PaymentMethodType: 'CurrentMth' },
];
const groups = [{ dataAreaId: 'usmf', CustomerGroupId: '20', Description: 'Wholesale customers' }];
const base = { accountId: '6b1d3a52-7a1c-4f57-9d0e-8d5f5e0c1a01', orders: [], invoices: [], editableFields: [], retrievedAt: '2026-12-01T10:00:00Z' } as const;

describe('buildSummary (issue 18)', () => {
  it('says why balance and overdue are missing instead of showing 0', () => {
    for (const reason of ['no_record', 'read_failed'] as const) {
      const s = FinanceSummary.parse(buildSummary({ ...base, customer, balance: reason, orders: [], invoices: [], editableFields: [] }));
      expect(s).toMatchObject({ balance: null, overdueAmount: null, balanceUnavailable: reason });
    }
  });

  it('carries the names of the terms of payment and the customer group, and keeps the codes', () => {
    const s = buildSummary({ ...base, customer, balance: { Balance: 47177, OverdueAmount: 0 }, paymentTerms: terms, customerGroups: groups, orders: [], invoices: [], editableFields: [] });
    expect(s).toMatchObject({ balance: 47177, overdueAmount: 0, balanceUnavailable: null, paymentTerms: 'Net30', paymentTermsName: 'Net 30 days', customerGroup: '20', customerGroupName: 'Wholesale customers' });
  });

  it('falls back to the codes when the reference tables could not be read', () => {
    const s = buildSummary({ ...base, customer, balance: { Balance: 1 }, orders: [], invoices: [], editableFields: [] });
    expect(s).toMatchObject({ paymentTermsName: null, customerGroupName: null });
  });

  it('gives invoices the due date of their terms of payment', () => {
    const s = FinanceSummary.parse(buildSummary({
      ...base, customer, balance: { Balance: 1 }, paymentTerms: terms, orders: [], editableFields: [],
      invoices: [
        { InvoiceNumber: 'INV-1', InvoiceDate: '2026-11-01T12:00:00Z', TotalInvoiceAmount: 100, CurrencyCode: 'USD', PaymentTermsName: 'Net30' },
        { InvoiceNumber: 'INV-2', InvoiceDate: '2026-11-01T12:00:00Z', TotalInvoiceAmount: 100, CurrencyCode: 'USD', PaymentTermsName: 'Unknown' },
      ],
    }));
    expect(s.invoices.map((i) => i.dueDate)).toEqual(['2026-12-01T12:00:00.000Z', null]);
  });
});

describe('dueDateFromTerms', () => {
  it('adds days and months for Net terms, counts from the end of the month for CurrentMth, none for unknown types', () => {
    expect(dueDateFromTerms('2026-01-31T12:00:00Z', { NumberOfDays: 10, NumberOfMonths: 0, PaymentMethodType: 'Net' })).toBe('2026-02-10T12:00:00.000Z');
    expect(dueDateFromTerms('2026-02-03T12:00:00Z', terms[1])).toBe('2026-03-15T12:00:00.000Z');
    expect(dueDateFromTerms('2026-02-03T12:00:00Z', { NumberOfDays: 0, PaymentMethodType: 'COD' })).toBe('2026-02-03T12:00:00.000Z');
    expect(dueDateFromTerms('2026-02-03T12:00:00Z', { NumberOfDays: 0, PaymentMethodType: 'CurrentQuarter' })).toBeNull();
    expect(dueDateFromTerms('2026-02-03T12:00:00Z', undefined)).toBeNull();
  });
});

describe('toOpenOrder', () => {
  it('keeps the order total and the F&O status member name', () => {
    expect(toOpenOrder({ SalesOrderNumber: 'SO-1', SalesOrderStatus: 'Backorder', OrderTotalAmount: 1234.5, CurrencyCode: 'usd' }, 'EUR'))
      .toMatchObject({ amount: 1234.5, status: 'Backorder', currency: 'USD' });
  });
});
