// The console's words: its own resx files (strings/AdminConsole.<lcid>.resx) and, for sync errors, the SyncStatus
// control's SyncError_* texts, so an error reads the same on the form and in the console. English fills any gap.
import type { Translate } from '../common/strings';

export const LANGUAGES = [
  { lcid: 1033, locale: 'en-US', name: 'English' },
  { lcid: 1043, locale: 'nl-NL', name: 'Nederlands' },
  { lcid: 1053, locale: 'sv-SE', name: 'Svenska' },
] as const;
export type Lcid = (typeof LANGUAGES)[number]['lcid'];

/** The resx texts of one language: the console's own and the SyncStatus control's. */
export interface ResxSet { console: string; syncStatus: string }

/** Pure: `<data name="X"><value>text</value></data>` pairs of a resx file, XML entities decoded. */
export function parseResx(xml: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of xml.matchAll(/<data name="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g)) {
    out[m[1]] = m[2].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  }
  return out;
}

/** A translator for one language, English behind it, the key itself as the last resort (visible, never blank). */
export function translator(resx: Partial<Record<Lcid, ResxSet>>, lcid: Lcid): Translate {
  const table = (l: Lcid) => {
    const r = resx[l];
    return r ? { ...parseResx(r.syncStatus), ...parseResx(r.console) } : {};
  };
  const own = table(lcid);
  const english = lcid === 1033 ? own : table(1033);
  return (key) => own[key] ?? english[key] ?? key;
}

/** The language to start in: ?lcid= when it is one of ours, else the browser's language, else English. */
export function initialLcid(search: string, browserLanguages: readonly string[]): Lcid {
  const asked = Number(new URLSearchParams(search).get('lcid'));
  const byLcid = LANGUAGES.find((l) => l.lcid === asked);
  if (byLcid) return byLcid.lcid;
  for (const tag of browserLanguages) {
    const lang = tag.toLowerCase().split('-')[0];
    const found = LANGUAGES.find((l) => l.locale.startsWith(`${lang}-`));
    if (found) return found.lcid;
  }
  return 1033;
}

export function localeOf(lcid: Lcid): string {
  return LANGUAGES.find((l) => l.lcid === lcid)?.locale ?? 'en-US';
}
