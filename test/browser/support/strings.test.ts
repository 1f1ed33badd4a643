import { describe, expect, it } from '@jest/globals';
import { money, normalizeSpaces, parseResx, strings } from './strings';

describe('resx strings for the browser tests', () => {
  it('parses data/value pairs and unescapes XML entities', () => {
    const xml = `<root><data name="A" xml:space="preserve"><value>Tom &amp; Jerry &lt;3</value></data>
      <data name="B"><value>two
lines</value></data><resheader name="x"><value>ignored</value></resheader></root>`;
    expect(parseResx(xml)).toEqual({ A: 'Tom & Jerry <3', B: 'two\nlines' });
  });

  it('reads the controls own files per language and fails loudly on a missing name', () => {
    expect(strings('FinancePanel', 1033).Edit_Button).toBe('Change credit settings');
    expect(strings('FinancePanel', 1043).Edit_Button).not.toBe('Change credit settings');
    expect(() => strings('SyncStatus', 1053).No_Such_String).toThrow(/SyncStatus\.1053\.resx has no string No_Such_String/);
  });

  it('formats money per locale with plain spaces', () => {
    expect(money('en-US', 'EUR', 92345)).toBe('€92,345.00');
    expect(money('sv-SE', 'EUR', 92345)).toBe('92 345,00 €');
    expect(normalizeSpaces('\u00a0a\u202fb  c ')).toBe('a b c');
  });
});
