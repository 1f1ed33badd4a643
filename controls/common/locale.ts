// Locale-aware formatting through Intl. The locale comes from the user's Dataverse settings.

const LOCALE_BY_LCID: Record<number, string> = {
  1033: 'en-US', 2057: 'en-GB', 1043: 'nl-NL', 2067: 'nl-BE', 1053: 'sv-SE', 1031: 'de-DE', 1036: 'fr-FR',
  1030: 'da-DK', 1044: 'nb-NO', 1035: 'fi-FI', 3082: 'es-ES', 1040: 'it-IT',
};

/** BCP 47 tag for a Dataverse language id (LCID); an explicit locale wins when the host gives one. */
export function localeFor(languageId: number | undefined, explicit?: string): string {
  if (explicit && isSupportedLocale(explicit)) return explicit;
  return (languageId !== undefined && LOCALE_BY_LCID[languageId]) || 'en-US';
}

function isSupportedLocale(tag: string): boolean {
  try {
    return Intl.NumberFormat.supportedLocalesOf([tag]).length > 0;
  } catch {
    return false;
  }
}

export function formatMoney(amount: number | null | undefined, currency: string, locale: string): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return '–';
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
  } catch {
    // An unknown currency code must not break the panel: show the number and the code.
    return `${formatNumber(amount, locale)} ${currency}`;
  }
}

export function formatNumber(value: number, locale: string, fractionDigits = 2): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(value);
}

export function formatDate(iso: string | null | undefined, locale: string, timeZone?: string): string {
  const d = toDate(iso);
  return d ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone }).format(d) : '–';
}

export function formatDateTime(iso: string | null | undefined, locale: string, timeZone?: string): string {
  const d = toDate(iso);
  return d ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(d) : '–';
}

function toDate(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * Reads an amount typed in the user's locale ("1.234,50" in Dutch, "1 234,50" in Swedish, "1,234.50" in
 * English). Returns null for anything that is not a plain non-negative or negative number.
 */
export function parseAmount(text: string, locale: string): number | null {
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  const group = parts.find((p) => p.type === 'group')?.value ?? ',';
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  let s = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (s === '') return null;
  // Group separators that are spaces were removed above; remove the others.
  if (!/\s/.test(group)) s = s.split(group).join('');
  s = s.replace(decimal, '.').replace(/^\u2212/, '-');
  if (!/^-?\d+(\.\d+)?$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}
