import { describe, it, expect } from '@jest/globals';
import { FinanceEdit, RecordParams, OnHoldStatus } from './index';

describe('FinanceEdit', () => {
  it('accepts a credit limit or an on-hold status', () => {
    expect(FinanceEdit.safeParse({ creditLimit: 5000 }).success).toBe(true);
    expect(FinanceEdit.safeParse({ onHoldStatus: 'Invoice' }).success).toBe(true);
  });

  it('rejects an empty edit, unknown fields, negative or non-finite amounts and unknown statuses', () => {
    expect(FinanceEdit.safeParse({}).success).toBe(false);
    expect(FinanceEdit.safeParse({ creditLimit: 1, name: 'x' }).success).toBe(false);
    expect(FinanceEdit.safeParse({ creditLimit: -1 }).success).toBe(false);
    expect(FinanceEdit.safeParse({ creditLimit: Infinity }).success).toBe(false);
    expect(FinanceEdit.safeParse({ creditLimit: '100' }).success).toBe(false);
    expect(FinanceEdit.safeParse({ onHoldStatus: 'Maybe' }).success).toBe(false);
  });

  it('knows every CustVendorBlocked member of F&O', () => {
    expect(OnHoldStatus.options).toEqual(['No', 'Invoice', 'All', 'Payment', 'Requisition', 'Never', 'PurchOrder']);
  });
});

describe('RecordParams', () => {
  it('allows logical table names and GUIDs only', () => {
    expect(RecordParams.safeParse({ table: 'account', id: '6f3c1f2e-5b7a-4c19-9e3f-1a2b3c4d5e6f' }).success).toBe(true);
    expect(RecordParams.safeParse({ table: '../etc', id: '6f3c1f2e-5b7a-4c19-9e3f-1a2b3c4d5e6f' }).success).toBe(false);
    expect(RecordParams.safeParse({ table: 'account', id: "x' or 1 eq 1" }).success).toBe(false);
  });
});
