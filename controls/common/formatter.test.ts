import { describe, it, expect, jest } from '@jest/globals';
import { currencyDigits, currencySymbol, hostFormatter, intlFormatter, parseWithSeparators, type HostFormatting } from './formatter';
import { formatterFor } from './host-context';
// The preview's stand-in for CE's formatting (the same file the preview page loads).
import { ceFormatting as ce } from '../test/helpers';

const norm = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

/** A CE user whose personal format is `format` (whatever their language), in time zone UTC+offset. */
function ceHost(format: string, offsetMinutes = 0): HostFormatting {
  const numberFormattingInfo = ce.numberFormattingInfo(format);
  return {
    formatting: ce.createFormatting(numberFormattingInfo, ce.dateFormattingInfo(format)),
    userSettings: { numberFormattingInfo, getTimeZoneOffsetMinutes: () => offsetMinutes },
  };
}

describe('hostFormatter: the user personal settings through context.formatting', () => {
  it('formats amounts with the personal format, the currency decimals and the symbol in the user language', () => {
    const formatting = { formatCurrency: jest.fn((v: number, p?: number, s?: string) => `<${v}|${p}|${s}>`) };
    const f = hostFormatter('en-US', { formatting });
    expect(f.money(1234.5, 'EUR')).toBe('<1234.5|2|€>');
    expect(f.money(1234, 'JPY')).toBe('<1234|0|¥>');
    expect(f.money(5, 'SEK')).toBe('<5|2|SEK>');
    expect(hostFormatter('sv-SE', { formatting }).money(5, 'SEK')).toBe('<5|2|kr>');
    // Nothing to format: the dash, without asking the host.
    expect(f.money(null, 'EUR')).toBe('–');
    expect(formatting.formatCurrency).toHaveBeenCalledTimes(4);
  });

  it('an English-speaking user with Dutch number and date formats sees Dutch formats', () => {
    const f = hostFormatter('en-US', ceHost('nl-NL'));
    expect(norm(f.money(25000, 'EUR'))).toBe('€ 25.000,00');
    expect(norm(f.money(-2177, 'SEK'))).toBe('SEK -2.177,00');
    expect(f.number(2500)).toBe('2.500,00');
    expect(f.integer(1234)).toBe('1.234');
    expect(f.date('2026-11-14T00:00:00Z')).toBe('14-11-2026');
    // The same user reads what they type in their own format, not in the language's.
    expect(f.parseAmount('30.000,50')).toBe(30000.5);
    expect(intlFormatter('en-US').parseAmount('30.000,50')).not.toBe(30000.5);
  });

  it('a Swedish format and an American one', () => {
    expect(norm(hostFormatter('sv-SE', ceHost('sv-SE')).money(1234.5, 'SEK'))).toBe('1 234,50 kr');
    expect(hostFormatter('sv-SE', ceHost('sv-SE')).date('2026-01-05T00:00:00Z')).toBe('2026-01-05');
    expect(hostFormatter('en-US', ceHost('en-US')).money(1234.5, 'USD')).toBe('$1,234.50');
    expect(hostFormatter('en-US', ceHost('en-US')).date('2026-01-05T00:00:00Z')).toBe('1/5/2026');
    expect(hostFormatter('sv-SE', ceHost('sv-SE')).parseAmount('1 234,50')).toBe(1234.5);
  });

  it('shows a moment in the user CE time zone, not the browser one', () => {
    // 10:15 UTC is 11:15 for a user in UTC+1 and 05:15 for one in UTC-5, whatever the browser's zone.
    expect(hostFormatter('nl-NL', ceHost('nl-NL', 60)).dateTime('2026-11-20T10:15:00Z')).toBe('20-11-2026 11:15');
    expect(norm(hostFormatter('en-US', ceHost('en-US', -300)).dateTime('2026-11-20T10:15:00Z'))).toBe('11/20/2026 5:15 AM');
  });

  it('keeps a calendar date on its day in every time zone', () => {
    const formatDateShort = jest.fn((d: Date) => `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`);
    expect(hostFormatter('en-US', { formatting: { formatDateShort } }).date('2026-11-14T00:00:00Z')).toBe('2026-11-14');
  });

  it('falls back to Intl with the language where the host has no formatting or it fails', () => {
    expect(norm(hostFormatter('nl-NL', {}).money(1234.5, 'EUR'))).toBe('€ 1.234,50');
    const throwing = { formatCurrency: () => { throw new Error('not here'); }, formatDateShort: () => '', formatDecimal: () => { throw new Error('no'); } };
    const f = hostFormatter('sv-SE', { formatting: throwing });
    expect(norm(f.money(1234.5, 'SEK'))).toBe('1 234,50 kr');
    expect(f.date('2026-11-14T00:00:00Z')).toBe('14 nov. 2026');
    expect(norm(f.number(2500))).toBe('2 500,00');
    expect(f.parseAmount('1 234,50')).toBe(1234.5);
    // An unknown currency code: two decimals and the code.
    expect(currencyDigits('XYZ1')).toBe(2);
    expect(currencySymbol('XYZ1', 'en-US')).toBe('XYZ1');
  });

  it('parses with explicit separators and refuses what is not a number', () => {
    expect(parseWithSeparators('1.234,5', ',', '.')).toBe(1234.5);
    expect(parseWithSeparators('1,234.5', '.', ',')).toBe(1234.5);
    expect(parseWithSeparators('12a', '.', ',')).toBeNull();
    expect(parseWithSeparators('  ', '.', ',')).toBeNull();
  });

  it('formatterFor gives the same formatter for the same host objects (memoised components stay quiet)', () => {
    const host = ceHost('nl-NL');
    expect(formatterFor(host, 'en-US')).toBe(formatterFor(host, 'en-US'));
    expect(formatterFor(host, 'en-US')).not.toBe(formatterFor(host, 'sv-SE'));
    expect(norm(formatterFor({}, 'nl-NL').money(1, 'EUR'))).toBe('€ 1,00');
  });
});
