import { describe, it, expect } from '@jest/globals';
import { buildEdit, changeLines, editableFields, financeFacts, isStale } from './finance-view';
import { summary, translator } from '../test/helpers';

const en = translator('FinancePanel', 1033);
const sv = translator('FinancePanel', 1053);
const norm = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('finance view', () => {
  it('formats the key figures with the record currency', () => {
    const facts = financeFacts(summary(), 'nl-NL', translator('FinancePanel', 1043));
    expect(facts.map((f) => [f.label, norm(f.value)])).toEqual([
      ['Klant', 'NL-001 (NLMF)'], ['Kredietlimiet', '€ 25.000,00'], ['Saldo', '€ 12.345,67'], ['Achterstallig bedrag', '€ 1.500,00'],
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
});
