// Pure shaping of a RecordSyncStatus for the badge and its panel.
import type { RecordSyncStatus, SyncState } from '../../bridge-service/src/contracts';
import type { IconName } from '../common/components/icons';
import { SERVICE_MESSAGE_PARAM, SYNC_ERROR_PARAMS, SYSTEM_PARAMS, isSyncErrorCode } from '../../bridge-service/src/contracts/sync-errors';
import { asFormatter, type FormatSource, type Formatter } from '../common/formatter';
import { fill, type Translate } from '../common/strings';

export type BadgeTone = 'success' | 'info' | 'error' | 'warning' | 'neutral';

const TONES: Record<SyncState, BadgeTone> = { in_sync: 'success', pending: 'info', error: 'error', conflict: 'warning', not_linked: 'neutral' };
/** Inline SVG icons (common/components/icons): no icon font, so nothing to load from a CDN. */
const ICONS: Record<SyncState, IconName> = { in_sync: 'check', pending: 'sync', error: 'error', conflict: 'warning', not_linked: 'unlink' };

export function badge(state: SyncState, t: Translate): { label: string; tone: BadgeTone; icon: IconName } {
  return { label: t(`Sync_State_${state}`), tone: TONES[state], icon: ICONS[state] };
}

/** Key fields a person knows by name: the F&O field and the text that reads it ("customer {0} in company {1}"). */
const KEY_TEXTS: [field: string, text: string][] = [
  ['CustomerAccount', 'Sync_Key_customer'], ['VendorAccountNumber', 'Sync_Key_vendor'], ['ItemNumber', 'Sync_Key_product'],
  ['CustomerGroupId', 'Sync_Key_customerGroup'], ['LegalEntityId', 'Sync_Key_company'], ['CurrencyCode', 'Sync_Key_currency'],
];

/**
 * The linked F&O key as a person reads it: "customer NL-001 in company NLMF". Keys of other entities fall back
 * to "field: value" in the key's own order.
 */
export function linkedKeyText(key: Record<string, string> | null, t?: Translate): string | null {
  if (!key) return null;
  const known = t && KEY_TEXTS.find(([field]) => key[field] !== undefined);
  if (known && t) return fill(t(known[1]), key[known[0]], (key.dataAreaId ?? '').toUpperCase());
  const parts = Object.entries(key).map(([k, v]) => `${k}: ${v}`);
  return parts.length ? parts.join(', ') : null;
}

export interface DetailRow { key: string; label: string; value: string }

export function detailRows(s: RecordSyncStatus, fmt: FormatSource, t: Translate): DetailRow[] {
  const rows: DetailRow[] = [];
  const f = asFormatter(fmt);
  const linked = linkedKeyText(s.linkedKey, t);
  if (linked) rows.push({ key: 'linkedKey', label: t('Sync_LinkedKey'), value: linked });
  rows.push({ key: 'lastSynced', label: t('Sync_LastSynced'), value: s.lastSyncedAt ? f.dateTime(s.lastSyncedAt) : t('Sync_Never') });
  if (s.lastDirection) rows.push({ key: 'direction', label: t('Sync_Direction'), value: t(`Sync_Dir_${s.lastDirection}`) });
  if (s.pendingChanges > 0 || s.state === 'pending') rows.push({ key: 'pending', label: t('Sync_Pending'), value: f.integer(s.pendingChanges) });
  const lastError = lastErrorText(s, t, f);
  if (lastError && (s.state === 'error' || s.state === 'conflict')) rows.push({ key: 'lastError', label: t('Sync_LastError'), value: lastError });
  return rows;
}

/** Poll while something is on its way; stop once settled. */
export function shouldPoll(s: RecordSyncStatus): boolean {
  return s.state === 'pending' || s.pendingChanges > 0;
}

/** After a saved edit: the lastSyncedAt seen then, and until when to keep looking for the sync. */
export interface Follow { since: string | null; until: number }

/** Keep polling after an edit until the record has synced again (or the time is up). */
export function isFollowing(f: Follow, s: RecordSyncStatus, nowMs: number): boolean {
  return nowMs < f.until && s.lastSyncedAt === f.since;
}

/**
 * The record's last error in the user's language: a known code (contracts/sync-errors.ts) with its parameters
 * from resx (SyncError_<code>), the other system's own message after it; the bridge's text for anything else.
 */
export function lastErrorText(s: Pick<RecordSyncStatus, 'lastError' | 'lastErrorCode' | 'lastErrorParams'>, t: Translate, fmt: FormatSource = 'en-US'): string | null {
  const code = s.lastErrorCode;
  if (!isSyncErrorCode(code)) return s.lastError;
  const params = s.lastErrorParams ?? {};
  const names: readonly string[] = SYNC_ERROR_PARAMS[code];
  // A code without all its parameters cannot be said well: the bridge's own text can.
  if (names.some((n) => params[n] === undefined || params[n] === '') && s.lastError) return s.lastError;
  const f = asFormatter(fmt);
  const values = names.map((n) => paramText(n, params[n], t, f));
  const text = fill(t(`SyncError_${code}`), ...values);
  const said = params[SERVICE_MESSAGE_PARAM];
  if (typeof said === 'string' && said.trim() !== '') {
    const side = typeof params.side === 'string' ? params.side : null;
    return `${text} ${fill(t('SyncError_ServiceSaid'), side ? systemName(side, t) : t('SyncError_System_other'), said.trim().slice(0, 500))}`;
  }
  return text;
}

function systemName(side: string, t: Translate): string {
  return side === 'fno' || side === 'dataverse' ? t(`SyncError_System_${side}`) : t('SyncError_System_other');
}

function paramText(name: string, value: string | number | undefined, t: Translate, f: Formatter): string {
  if (value === undefined) return '';
  if (SYSTEM_PARAMS.includes(name)) return systemName(String(value), t);
  // HTTP statuses stay as they are ("HTTP 400", not "HTTP 400.00"); other numbers in the user's format.
  if (typeof value === 'number') return name === 'status' ? String(value) : f.integer(value);
  return value;
}
