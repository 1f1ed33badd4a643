// The controls' own resx strings, so the tests look for exactly the text a user of each language sees.
import fs from 'node:fs';
import path from 'node:path';
import { CONTROLS_DIR } from './world';

export const LANGUAGES = [
  { lcid: 1033, code: 'en', locale: 'en-US' },
  { lcid: 1043, code: 'nl', locale: 'nl-NL' },
  { lcid: 1053, code: 'sv', locale: 'sv-SE' },
] as const;

export type ControlName = 'FinancePanel' | 'SyncStatus';

/** Parses `<data name="X"><value>text</value></data>` pairs of one resx file (the only shape the controls use). */
export function parseResx(xml: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of xml.matchAll(/<data name="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g)) {
    out[m[1]] = m[2].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  }
  return out;
}

export function strings(control: ControlName, lcid: number): Record<string, string> {
  const file = path.join(CONTROLS_DIR, control, 'strings', `${control}.${lcid}.resx`);
  const all = parseResx(fs.readFileSync(file, 'utf8'));
  return new Proxy(all, {
    get(target, key: string) {
      if (!(key in target)) throw new Error(`${path.basename(file)} has no string ${key}`);
      return target[key];
    },
  });
}

/** Browsers and Node may differ in which space they put in formatted numbers (NBSP, narrow NBSP). */
export function normalizeSpaces(s: string): string {
  return s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}

export function money(locale: string, currency: string, value: number): string {
  return normalizeSpaces(new Intl.NumberFormat(locale, { style: 'currency', currency }).format(value));
}
