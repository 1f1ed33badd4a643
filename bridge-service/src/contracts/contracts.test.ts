import { describe, it, expect } from '@jest/globals';
import { FinanceEdit, RecordParams, OnHoldStatus, RecordSyncStatus, SYNC_ERROR_PARAMS, isSyncErrorCode } from './index';

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

describe('RecordSyncStatus last error', () => {
  const base = {
    table: 'account', id: '6f3c1f2e-5b7a-4c19-9e3f-1a2b3c4d5e6f', state: 'error', map: 'customers-accounts', linkedKey: null,
    lastSyncedAt: null, lastDirection: null, lastError: 'Finance and Operations rejected the data (HTTP 400). Fix the record, then retry.',
    pendingChanges: 0, canRetry: false,
  };

  it('still accepts a status without a code (older bridges), and one with a code and parameters', () => {
    expect(RecordSyncStatus.safeParse(base).success).toBe(true);
    const coded = RecordSyncStatus.parse({ ...base, lastErrorCode: 'SYNC_REJECTED', lastErrorParams: { side: 'fno', status: 400, serviceMessage: 'Field X' } });
    expect(coded.lastErrorCode).toBe('SYNC_REJECTED');
    expect(coded.lastErrorParams).toEqual({ side: 'fno', status: 400, serviceMessage: 'Field X' });
    expect(RecordSyncStatus.safeParse({ ...base, lastErrorCode: null }).success).toBe(true);
    expect(RecordSyncStatus.safeParse({ ...base, lastErrorParams: { side: { nested: true } } }).success).toBe(false);
  });

  it('knows its codes, each with named parameters, and nothing else', () => {
    expect(isSyncErrorCode('SYNC_REJECTED')).toBe(true);
    expect(isSyncErrorCode('toString')).toBe(false);
    expect(isSyncErrorCode(undefined)).toBe(false);
    for (const [code, params] of Object.entries(SYNC_ERROR_PARAMS)) {
      expect(code).toMatch(/^SYNC_[A-Z_]+$/);
      for (const p of params) expect(p).toMatch(/^[a-z][A-Za-z]*$/);
    }
  });
});
