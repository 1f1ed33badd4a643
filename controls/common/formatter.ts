// Numbers, amounts and dates as the user's personal settings in CE say: through the PCF formatting API
// (context.formatting) and the user settings (numberFormattingInfo, dateFormattingInfo, time zone) where the
// host has them, else through Intl with the user's language. CE lets a user read English and write
// "1.234,56" and "31-12-2026": the language id alone cannot know that.
import { formatDate, formatDateTime, formatMoney, formatNumber, parseAmount } from './locale';

export interface Formatter {
  /** The BCP 47 tag of the user's language (used for currency symbols and the Intl fallback). */
  readonly locale: string;
  /** An amount in a currency, with that currency's number of decimals; '–' when there is none. */
  money(amount: number | null | undefined, currency: string): string;
  /** A number with a fixed number of decimals (2 unless told). */
  number(value: number, fractionDigits?: number): string;
  /** A whole number (counts). */
  integer(value: number): string;
  /** A calendar date (an invoice date, a due date): the same day wherever the user is. */
  date(iso: string | null | undefined): string;
  /** A moment (retrieved at, last synced): date and time in the user's time zone. */
  dateTime(iso: string | null | undefined): string;
  /** Reads an amount the user typed in their own number format; null when it is not a number. */
  parseAmount(text: string): number | null;
}

/** What the PCF host offers (context.formatting and context.userSettings); every part may be missing. */
export interface HostFormatting {
  formatting?: Partial<Pick<ComponentFramework.Formatting, 'formatCurrency' | 'formatDecimal' | 'formatInteger' | 'formatDateShort'>> | null;
  userSettings?: {
    numberFormattingInfo?: Partial<ComponentFramework.UserSettingApi.NumberFormattingInfo> | null;
    getTimeZoneOffsetMinutes?: (date?: Date) => number;
  } | null;
}

/** A function argument that is either a formatter or a locale (then Intl formats, as before). */
export type FormatSource = Formatter | string;

export function asFormatter(source: FormatSource): Formatter {
  return typeof source === 'string' ? intlFormatter(source) : source;
}

/** Intl with the user's language: the fallback, and what tests and hosts without context.formatting get. */
export function intlFormatter(locale: string, timeZone?: string): Formatter {
  return {
    locale,
    money: (amount, currency) => formatMoney(amount, currency, locale),
    number: (value, digits = 2) => formatNumber(value, locale, digits),
    integer: (value) => new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value),
    date: (iso) => formatDate(iso, locale, timeZone ?? 'UTC'),
    dateTime: (iso) => formatDateTime(iso, locale, timeZone),
    parseAmount: (text) => parseAmount(text, locale),
  };
}

/** The currency's usual number of decimals (2 for EUR, 0 for JPY); 2 for a code Intl does not know. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** The currency's symbol as the user's language writes it ("€", "kr", "SEK"); the code when Intl does not know it. */
export function currencySymbol(currency: string, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).formatToParts(1).find((p) => p.type === 'currency')?.value ?? currency;
  } catch {
    return currency;
  }
}

function validDate(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The calendar day of an F&O date (sent as midnight UTC) as a local Date, so no time zone moves it a day. */
function calendarDay(d: Date): Date {
  return new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

/**
 * A Date whose local fields show the user's wall clock in their CE time zone (getTimeZoneOffsetMinutes), which
 * may differ from the browser's: formatDateShort formats local fields.
 */
function inUserZone(d: Date, offsetMinutes: ((date?: Date) => number) | undefined): Date {
  if (!offsetMinutes) return d;
  const offset = offsetMinutes(d);
  return Number.isFinite(offset) ? new Date(d.getTime() + (offset + d.getTimezoneOffset()) * 60_000) : d;
}

/** Calls a host formatter and falls back when it is missing, throws or returns nothing usable. */
function attempt(host: () => string | undefined, fallback: () => string): string {
  try {
    const s = host();
    if (typeof s === 'string' && s !== '') return s;
  } catch {
    // A host that cannot format this value: Intl can.
  }
  return fallback();
}

/** The user's personal format where the host gives one, Intl with the language for everything it does not. */
export function hostFormatter(locale: string, host: HostFormatting): Formatter {
  const intl = intlFormatter(locale);
  const f = host.formatting ?? undefined;
  const numbers = host.userSettings?.numberFormattingInfo ?? undefined;
  const zone = host.userSettings?.getTimeZoneOffsetMinutes?.bind(host.userSettings);
  return {
    locale,
    money: (amount, currency) => {
      if (amount === null || amount === undefined || !Number.isFinite(amount) || !f?.formatCurrency) return intl.money(amount, currency);
      return attempt(() => f.formatCurrency!(amount, currencyDigits(currency), currencySymbol(currency, locale)), () => intl.money(amount, currency));
    },
    number: (value, digits = 2) => (f?.formatDecimal ? attempt(() => f.formatDecimal!(value, digits), () => intl.number(value, digits)) : intl.number(value, digits)),
    integer: (value) => (f?.formatInteger ? attempt(() => f.formatInteger!(value), () => intl.integer(value)) : intl.integer(value)),
    date: (iso) => {
      const d = validDate(iso);
      return d && f?.formatDateShort ? attempt(() => f.formatDateShort!(calendarDay(d), false), () => intl.date(iso)) : intl.date(iso);
    },
    dateTime: (iso) => {
      const d = validDate(iso);
      return d && f?.formatDateShort ? attempt(() => f.formatDateShort!(inUserZone(d, zone), true), () => intl.dateTime(iso)) : intl.dateTime(iso);
    },
    parseAmount: (text) => {
      const decimal = numbers?.numberDecimalSeparator;
      if (!decimal) return intl.parseAmount(text);
      return parseWithSeparators(text, decimal, numbers?.numberGroupSeparator ?? '');
    },
  };
}

/** Reads "1.234,50" with the user's own separators (numberFormattingInfo), whatever their language. */
export function parseWithSeparators(text: string, decimal: string, group: string): number | null {
  let s = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (s === '') return null;
  if (group && !/^\s+$/.test(group) && group !== decimal) s = s.split(group).join('');
  s = s.replace(decimal, '.').replace(/^\u2212/, '-');
  if (!/^-?\d+(\.\d+)?$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}
