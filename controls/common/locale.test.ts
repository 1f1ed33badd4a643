import { describe, it, expect } from '@jest/globals';
import { formatDate, formatMoney, localeFor, parseAmount } from './locale';

const norm = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('localeFor', () => {
  it('maps the Dataverse language id and prefers an explicit locale', () => {
    expect(localeFor(1033)).toBe('en-US');
    expect(localeFor(1043)).toBe('nl-NL');
    expect(localeFor(1053)).toBe('sv-SE');
    expect(localeFor(9999)).toBe('en-US');
    expect(localeFor(1033, 'nl-NL')).toBe('nl-NL');
  });
});

describe('formatMoney', () => {
  it('formats with the record currency in the user locale', () => {
    expect(norm(formatMoney(1234.5, 'USD', 'en-US'))).toBe('$1,234.50');
    expect(norm(formatMoney(1234.5, 'EUR', 'nl-NL'))).toBe('€ 1.234,50');
    expect(norm(formatMoney(1234.5, 'SEK', 'sv-SE'))).toBe('1 234,50 kr');
    expect(norm(formatMoney(1234.5, 'EUR', 'en-US'))).toBe('€1,234.50');
  });

  it('shows a dash for a missing amount and survives an unknown currency code', () => {
    expect(formatMoney(null, 'EUR', 'en-US')).toBe('–');
    expect(formatMoney(1, 'E', 'en-US')).toBe('1.00 E');
  });
});

describe('formatDate', () => {
  it('writes dates the way each language does', () => {
    expect(formatDate('2026-11-14T12:00:00Z', 'en-US', 'UTC')).toBe('Nov 14, 2026');
    expect(formatDate('2026-11-14T12:00:00Z', 'nl-NL', 'UTC')).toBe('14 nov 2026');
    expect(formatDate('2026-11-14T12:00:00Z', 'sv-SE', 'UTC')).toBe('14 nov. 2026');
    expect(formatDate(null, 'en-US')).toBe('–');
    expect(formatDate('not a date', 'en-US')).toBe('–');
  });
});

describe('parseAmount', () => {
  it('reads amounts typed in each locale', () => {
    expect(parseAmount('1,234.50', 'en-US')).toBe(1234.5);
    expect(parseAmount('1.234,50', 'nl-NL')).toBe(1234.5);
    expect(parseAmount('1 234,50', 'sv-SE')).toBe(1234.5);
    expect(parseAmount('30000', 'sv-SE')).toBe(30000);
    expect(parseAmount('-5', 'en-US')).toBe(-5);
  });

  it('rejects text that is not a number', () => {
    expect(parseAmount('', 'en-US')).toBeNull();
    expect(parseAmount('12abc', 'en-US')).toBeNull();
    expect(parseAmount('1,2,3.4.5', 'en-US')).toBeNull();
  });
});
