// A stand-in for CE's context.formatting and the user settings' numberFormattingInfo / dateFormattingInfo, for
// the preview page and the controls' tests. CE formats with the user's personal settings (.NET NumberFormatInfo
// and DateTimeFormatInfo shapes: separators, currency patterns, short date and time patterns); here those
// settings are derived from a locale with Intl, and the formatting methods use only the settings, as CE does.
// A browser script (window.CeFormatting) and a CommonJS module (the tests require it).
/* global window */
(function (root) {
  'use strict';

  function partsOf(locale, options, value) {
    return new Intl.NumberFormat(locale, options).formatToParts(value);
  }

  /** .NET currency patterns: positive 0 "$n", 1 "n$", 2 "$ n", 3 "n $"; negative 1 "-$n", 5 "-n$", 8 "-n $", 12 "$ -n". */
  function currencyPatterns(locale) {
    const pos = partsOf(locale, { style: 'currency', currency: 'EUR' }, 1).map((p) => p.type);
    const before = pos.indexOf('currency') < pos.indexOf('integer');
    const spaced = pos.includes('literal');
    const positive = before ? (spaced ? 2 : 0) : (spaced ? 3 : 1);
    const neg = partsOf(locale, { style: 'currency', currency: 'EUR' }, -1).map((p) => p.type);
    const minusFirst = neg.indexOf('minusSign') < neg.indexOf('currency');
    const negative = before ? (spaced && !minusFirst ? 12 : 1) : (spaced ? 8 : 5);
    return { positive, negative };
  }

  function numberFormattingInfo(locale) {
    const parts = partsOf(locale, {}, 12345.6);
    const group = (parts.find((p) => p.type === 'group') || { value: ',' }).value;
    const decimal = (parts.find((p) => p.type === 'decimal') || { value: '.' }).value;
    const patterns = currencyPatterns(locale);
    const minus = (partsOf(locale, {}, -1).find((p) => p.type === 'minusSign') || { value: '-' }).value;
    return {
      numberDecimalSeparator: decimal, numberGroupSeparator: group, numberGroupSizes: [3], numberDecimalDigits: 2,
      currencyDecimalSeparator: decimal, currencyGroupSeparator: group, currencyGroupSizes: [3], currencyDecimalDigits: 2,
      currencyPositivePattern: patterns.positive, currencyNegativePattern: patterns.negative, currencySymbol: '¤',
      negativeSign: minus, positiveSign: '+', nanSymbol: 'NaN',
    };
  }

  /** Short date and time patterns in .NET notation (M/d/yyyy, h:mm tt; d-M-yyyy, HH:mm; yyyy-MM-dd, HH:mm). */
  function dateFormattingInfo(locale) {
    const sample = new Date(2026, 0, 5, 9, 7);
    const token = { year: () => 'yyyy', month: (v) => (v.length === 2 ? 'MM' : 'M'), day: (v) => (v.length === 2 ? 'dd' : 'd') };
    const date = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(sample)
      .map((p) => (token[p.type] ? token[p.type](p.value) : p.value)).join('');
    const timeParts = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).formatToParts(sample);
    const h12 = timeParts.some((p) => p.type === 'dayPeriod');
    const time = timeParts.map((p) => {
      if (p.type === 'hour') return h12 ? (p.value.length === 2 ? 'hh' : 'h') : (p.value.length === 2 ? 'HH' : 'H');
      if (p.type === 'minute') return 'mm';
      if (p.type === 'dayPeriod') return 'tt';
      return p.value;
    }).join('');
    return { shortDatePattern: date, shortTimePattern: time, amDesignator: 'AM', pmDesignator: 'PM', dateSeparator: date.replace(/[dMy]/g, '')[0] || '/' };
  }

  function group(digits, separator) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  }

  function plain(value, precision, decimalSeparator, groupSeparator) {
    const fixed = Math.abs(value).toFixed(precision);
    const [int, frac] = fixed.split('.');
    return group(int, groupSeparator) + (frac ? decimalSeparator + frac : '');
  }

  function pad(n, width) {
    return String(n).padStart(width, '0');
  }

  function applyDatePattern(pattern, d, info) {
    return pattern.replace(/yyyy|MM|M|dd|d|HH|H|hh|h|mm|tt/g, (t) => {
      switch (t) {
        case 'yyyy': return String(d.getFullYear());
        case 'MM': return pad(d.getMonth() + 1, 2);
        case 'M': return String(d.getMonth() + 1);
        case 'dd': return pad(d.getDate(), 2);
        case 'd': return String(d.getDate());
        case 'HH': return pad(d.getHours(), 2);
        case 'H': return String(d.getHours());
        case 'hh': return pad(d.getHours() % 12 || 12, 2);
        case 'h': return String(d.getHours() % 12 || 12);
        case 'mm': return pad(d.getMinutes(), 2);
        default: return d.getHours() < 12 ? info.amDesignator : info.pmDesignator;
      }
    });
  }

  /** The four formatting methods the controls use, working from the user's settings only (as CE's do). */
  function createFormatting(numberInfo, dateInfo) {
    return {
      formatCurrency(value, precision, symbol) {
        const digits = precision === undefined ? numberInfo.currencyDecimalDigits : precision;
        const n = plain(value, digits, numberInfo.currencyDecimalSeparator, numberInfo.currencyGroupSeparator);
        const s = symbol === undefined ? numberInfo.currencySymbol : symbol;
        // A no-break space between amount and symbol, so that they never land on two lines.
        const sp = '\u00a0';
        // A code or a word as symbol ("SEK") is kept apart from the digits even where "$1" is written together.
        const tight = /\p{L}$/u.test(s) ? sp : '';
        const tightAfter = /^\p{L}/u.test(s) ? sp : '';
        if (value >= 0) return [`${s}${tight}${n}`, `${n}${tightAfter}${s}`, `${s}${sp}${n}`, `${n}${sp}${s}`][numberInfo.currencyPositivePattern] || `${s}${n}`;
        const m = numberInfo.negativeSign;
        return { 1: `${m}${s}${tight}${n}`, 5: `${m}${n}${tightAfter}${s}`, 8: `${m}${n}${sp}${s}`, 12: `${s}${sp}${m}${n}` }[numberInfo.currencyNegativePattern] || `${m}${s}${n}`;
      },
      formatDecimal(value, precision) {
        const n = plain(value, precision === undefined ? numberInfo.numberDecimalDigits : precision, numberInfo.numberDecimalSeparator, numberInfo.numberGroupSeparator);
        return value < 0 ? numberInfo.negativeSign + n : n;
      },
      formatInteger(value) {
        const n = plain(Math.round(value), 0, numberInfo.numberDecimalSeparator, numberInfo.numberGroupSeparator);
        return value < 0 ? numberInfo.negativeSign + n : n;
      },
      formatDateShort(value, includeTime) {
        const date = applyDatePattern(dateInfo.shortDatePattern, value, dateInfo);
        return includeTime ? `${date} ${applyDatePattern(dateInfo.shortTimePattern, value, dateInfo)}` : date;
      },
    };
  }

  const api = { numberFormattingInfo, dateFormattingInfo, createFormatting };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.CeFormatting = api;
})(typeof window !== 'undefined' ? window : this);
