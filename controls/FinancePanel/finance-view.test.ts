import { describe, it, expect } from '@jest/globals';
import { availableCredit, buildEdit, changeLines, editableFields, financeFacts, invoiceRows, isStale, orderRows, overLimitText } from './finance-view';
import { summary, translator } from '../test/helpers';

const en = translator('FinancePanel', 1033);
const sv = translator('FinancePanel', 1053);
const norm = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('finance view', () => {
  it('formats the key figures with the record currency', () => {
    const facts = financeFacts(summary(), 'nl-NL', translator('FinancePanel', 1043));
    expect(facts.map((f) => [f.label, norm(f.value)])).toEqual([
      ['Klant', 'NL-001 (NLMF)'], ['Kredietlimiet', '€ 25.000,00'], ['Saldo', '€ 12.345,67'], ['Beschikbaar krediet', '€ 12.654,33'], ['Achterstallig bedrag', '€ 1.500,00'],
      ['Geblokkeerd', 'Nee'], ['Valuta', 'EUR'], ['Betalingsvoorwaarden', 'Net30'], ['Klantgroep', '10'],
    ]);
    expect(facts.find((f) => f.key === 'overdue')?.emphasis).toBe('warning');
  });

  it('builds only permitted, changed fields', () => {
    const s = summary();
    expect(buildEdit(s, { creditLimit: 25000, onHoldStatus: 'No' }, ['creditLimit', 'onHoldStatus'])).toBeNull();
    expect(buildEdit(s, { creditLimit: 30000, onHoldStatus: 'All' }, ['creditLimit'])).toEqual({ creditLimit: 30000 });
    expect(buildEdit(s, { creditLimit: 30000, onHoldStatus: 'All' }, ['creditLimit', 'onHoldStatus'])).toEqual({ creditLimit: 30000, onHoldStatus: 'All' });
  });

  it('describes the change as before and after', () => {
    expect(changeLines(summary({ currency: 'SEK' }), { creditLimit: 30000, onHoldStatus: 'Invoice' }, 'sv-SE', sv).map(norm)).toEqual([
      'Kreditgräns: 25 000,00 kr → 30 000,00 kr', 'Spärrad: Nej → Faktura',
    ]);
  });

  it('marks data as stale after the configured minutes', () => {
    const at = '2026-11-20T10:00:00Z';
    expect(isStale(at, Date.parse('2026-11-20T10:04:59Z'), 5)).toBe(false);
    expect(isStale(at, Date.parse('2026-11-20T10:05:01Z'), 5)).toBe(true);
  });

  it('allows no edits when the form forbids them', () => {
    expect(editableFields(summary(), false)).toEqual([]);
    expect(editableFields(summary({ editableFields: ['creditLimit'] }), true)).toEqual(['creditLimit']);
    expect(en('Edit_Button')).toBe('Change credit settings');
  });

  it('shows available credit and warns when the balance is over the limit', () => {
    const s = summary({ currency: 'SEK', creditLimit: 45000, balance: 47177 });
    expect(availableCredit(s)).toBe(-2177);
    const fact = financeFacts(s, 'en-US', en).find((f) => f.key === 'availableCredit')!;
    expect([fact.label, norm(fact.value), fact.emphasis]).toEqual(['Available credit', '-SEK 2,177.00', 'warning']);
    expect(norm(overLimitText(s, 'en-US', en)!)).toBe('The balance of SEK 47,177.00 is over the credit limit of SEK 45,000.00 by SEK 2,177.00.');
    expect(overLimitText(summary(), 'en-US', en)).toBeNull();
  });

  it('says "unavailable" with the reason for a balance it could not read, never 0', () => {
    const facts = financeFacts(summary({ balance: null, overdueAmount: null, balanceUnavailable: 'read_failed' }), 'en-US', en);
    for (const key of ['balance', 'availableCredit', 'overdue']) {
      const f = facts.find((x) => x.key === key)!;
      expect([key, f.value, f.note]).toEqual([key, 'Unavailable', 'The balance could not be read from Finance and Operations. Refresh to try again.']);
    }
    expect(overLimitText(summary({ balance: null, balanceUnavailable: 'no_record' }), 'en-US', en)).toBeNull();
  });

  it('explains the on-hold status in words', () => {
    const f = financeFacts(summary({ onHoldStatus: 'Invoice' }), 'sv-SE', sv).find((x) => x.key === 'onHold')!;
    expect([f.value, f.note, f.emphasis]).toEqual(['Faktura', 'Inga fakturor kan bokföras för den här kunden.', 'warning']);
  });

  it('names terms of payment and customer group where the bridge knows them, else shows the code', () => {
    const facts = financeFacts(summary({ paymentTermsName: 'Net 30 days', customerGroupName: null, paymentTerms: 'Net30', customerGroup: '20' }), 'en-US', en);
    expect(facts.find((f) => f.key === 'paymentTerms')!.value).toBe('Net 30 days (Net30)');
    expect(facts.find((f) => f.key === 'customerGroup')!.value).toBe('20');
    expect(financeFacts(summary({ paymentTerms: null }), 'en-US', en).find((f) => f.key === 'paymentTerms')!.value).toBe('None');
  });

  it('marks invoices whose due date passed and translates order statuses', () => {
    const s = summary({
      retrievedAt: '2026-12-01T10:00:00Z',
      invoices: [
        { invoiceNumber: 'A', invoiceDate: '2026-10-01T12:00:00Z', dueDate: '2026-10-31T12:00:00Z', amount: 1, currency: 'EUR', salesOrderNumber: null },
        { invoiceNumber: 'B', invoiceDate: '2026-11-20T12:00:00Z', dueDate: '2026-12-20T12:00:00Z', amount: 1, currency: 'EUR', salesOrderNumber: null },
        { invoiceNumber: 'C', invoiceDate: '2026-11-20T12:00:00Z', dueDate: null, amount: 1, currency: 'EUR', salesOrderNumber: null },
      ],
    });
    expect(invoiceRows(s, 'en-US').map((r) => [r.number, r.overdue])).toEqual([['A', true], ['B', false], ['C', false]]);
    expect(invoiceRows(s, 'en-US')[0].due).toBe('Oct 31, 2026');
    const rows = orderRows(summary(), 'nl-NL', translator('FinancePanel', 1043));
    expect([rows[0].status, norm(rows[0].amount)]).toEqual(['Openstaande order', '€ 4.200,50']);
    expect(orderRows(summary({ openOrders: [{ ...summary().openOrders[0], status: 'Odd' }] }), 'en-US', en)[0].status).toBe('Odd');
  });
});
