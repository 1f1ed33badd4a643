// Pure shaping of a RecordSyncStatus for the badge and its panel.
import type { RecordSyncStatus, SyncState } from '../../bridge-service/src/contracts';
import { formatDateTime } from '../common/locale';
import type { Translate } from '../common/strings';

export type BadgeTone = 'success' | 'info' | 'error' | 'warning' | 'neutral';

const TONES: Record<SyncState, BadgeTone> = { in_sync: 'success', pending: 'info', error: 'error', conflict: 'warning', not_linked: 'neutral' };
const ICONS: Record<SyncState, string> = { in_sync: 'CompletedSolid', pending: 'Sync', error: 'ErrorBadge', conflict: 'Warning', not_linked: 'Unlink' };

export function badge(state: SyncState, t: Translate): { label: string; tone: BadgeTone; icon: string } {
  return { label: t(`Sync_State_${state}`), tone: TONES[state], icon: ICONS[state] };
}

/** "dataAreaId: usmf, CustomerAccount: US-001" in the key's own order. */
export function linkedKeyText(key: Record<string, string> | null): string | null {
  if (!key) return null;
  const parts = Object.entries(key).map(([k, v]) => `${k}: ${v}`);
  return parts.length ? parts.join(', ') : null;
}

export interface DetailRow { key: string; label: string; value: string }

export function detailRows(s: RecordSyncStatus, locale: string, t: Translate): DetailRow[] {
  const rows: DetailRow[] = [];
  const linked = linkedKeyText(s.linkedKey);
  if (linked) rows.push({ key: 'linkedKey', label: t('Sync_LinkedKey'), value: linked });
  rows.push({ key: 'lastSynced', label: t('Sync_LastSynced'), value: s.lastSyncedAt ? formatDateTime(s.lastSyncedAt, locale) : t('Sync_Never') });
  if (s.lastDirection) rows.push({ key: 'direction', label: t('Sync_Direction'), value: t(`Sync_Dir_${s.lastDirection}`) });
  if (s.pendingChanges > 0 || s.state === 'pending') rows.push({ key: 'pending', label: t('Sync_Pending'), value: new Intl.NumberFormat(locale).format(s.pendingChanges) });
  if (s.lastError && (s.state === 'error' || s.state === 'conflict')) rows.push({ key: 'lastError', label: t('Sync_LastError'), value: s.lastError });
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
