// Pure shaping of the admin API's answers for the console: durations, initial-sync progress, errors in plain words
// with what to do, audit changes. No React here: tests call these directly.
import type { AuditItem, InitialSyncProgress, MapSummary, SyncErrorItem } from '../../bridge-service/src/contracts/admin';
import type { Formatter } from '../common/formatter';
import { fill, type Translate } from '../common/strings';
import { lastErrorText, linkedKeyText } from '../SyncStatus/sync-view';

/** A duration as a person reads it: "45 s", "3 min 20 s", "2 h 5 min". */
export function durationText(seconds: number, t: Translate): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return fill(t('Duration_S'), s);
  if (s < 3600) return fill(t('Duration_MS'), Math.floor(s / 60), s % 60);
  return fill(t('Duration_HM'), Math.floor(s / 3600), Math.floor((s % 3600) / 60));
}

export type Tone = 'success' | 'info' | 'warning' | 'error' | 'neutral';

const MAP_TONES: Record<MapSummary['state'], Tone> = { running: 'success', catching_up: 'info', initial_sync: 'info', paused: 'warning', not_running: 'neutral' };

export function mapStateView(m: Pick<MapSummary, 'state'>, t: Translate): { label: string; tone: Tone } {
  return { label: t(`MapState_${m.state}`), tone: MAP_TONES[m.state] };
}

/** Which of pause and resume a map offers now (none while its initial sync runs or it does not run). */
export function mapAction(m: Pick<MapSummary, 'state'>): 'pause' | 'resume' | null {
  if (m.state === 'paused') return 'resume';
  return m.state === 'running' || m.state === 'catching_up' ? 'pause' : null;
}

/** One reading of a map's figures, taken by the console each time it refreshes. */
export interface Sample { at: number; processed: number; pending: number; parked: number }

/** How far back the chart looks (the console keeps its readings this long). */
export const HISTORY_MS = 60 * 60_000;

/** How far back the throughput looks. */
export const THROUGHPUT_WINDOW_MS = 5 * 60_000;

/**
 * Records processed per minute over the readings of the last five minutes (the API gives counters, not rates);
 * null until two readings at least 5 s apart exist.
 */
export function throughputPerMinute(samples: readonly Sample[], now: number): number | null {
  const recent = samples.filter((s) => now - s.at <= THROUGHPUT_WINDOW_MS);
  if (recent.length < 2) return null;
  const first = recent[0];
  const last = recent[recent.length - 1];
  const ms = last.at - first.at;
  if (ms < 5_000) return null;
  return Math.max(0, last.processed - first.processed) / (ms / 60_000);
}

export interface ProgressView {
  state: InitialSyncProgress['state'];
  stateLabel: string;
  /** 0..1, or undefined while the total is not known yet (an indeterminate bar). */
  fraction: number | undefined;
  counts: string;
  rate: string | null;
  timeLeft: string | null;
  failed: string | null;
}

export function progressView(p: InitialSyncProgress, t: Translate, f: Formatter): ProgressView {
  const fraction = p.state === 'done' ? 1 : p.total > 0 ? Math.min(1, p.done / p.total) : p.state === 'running' ? undefined : 0;
  return {
    state: p.state,
    stateLabel: t(`InitialSync_State_${p.state}`),
    fraction,
    counts: fill(t('InitialSync_Counts'), f.integer(p.done), f.integer(p.total)),
    rate: p.state === 'running' && p.ratePerSecond > 0 ? fill(t('InitialSync_Rate'), f.number(p.ratePerSecond, 1)) : null,
    timeLeft: p.state === 'running' && p.etaSeconds !== null ? fill(t('InitialSync_TimeLeft'), durationText(p.etaSeconds, t)) : null,
    failed: p.failed > 0 ? fill(t('InitialSync_Failed'), f.integer(p.failed)) : null,
  };
}

/**
 * A failing record in the admin's language: a known code through the SyncStatus control's texts (which say what to
 * do), else the bridge's English text followed by the general advice.
 */
export function errorText(e: Pick<SyncErrorItem, 'message' | 'code' | 'params'>, t: Translate, f: Formatter): { text: string; advice: string | null } {
  const said = lastErrorText({ lastError: e.message, lastErrorCode: e.code ?? null, lastErrorParams: e.params ?? undefined }, t, f);
  const known = said !== null && said !== e.message;
  return { text: said ?? t('Errors_NoMessage'), advice: known ? null : t('Errors_Advice') };
}

/** "Credit limit: 1,000.00 → 2,500.00" per changed field, in the order the bridge recorded them. */
export function auditChanges(a: Pick<AuditItem, 'changes'>, t: Translate, f: Formatter): string[] {
  return Object.entries(a.changes).map(([field, { before, after }]) =>
    fill(t('Audit_Change'), t(`Audit_Field_${field}`), valueText(before, t, f), valueText(after, t, f)));
}

function valueText(v: unknown, t: Translate, f: Formatter): string {
  if (v === null || v === undefined || v === '') return t('Audit_Empty');
  if (typeof v === 'number') return f.number(v);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The F&O key of a conflict as text: "dataAreaId: nlmf, CustomerAccount: NL-001". */
export function keyText(key: Record<string, string> | null): string {
  return key ? Object.entries(key).map(([k, v]) => `${k}: ${v}`).join(', ') : '';
}

export interface ChartLines { pending: string; parked: string; max: number }

/**
 * SVG paths of pending and parked records over the last hour (x: time, the right edge is now; y: count, the top is
 * the highest count seen, at least 1). Empty paths without readings.
 */
export function chartLines(samples: readonly Sample[], now: number, width: number, height: number): ChartLines {
  const recent = samples.filter((s) => now - s.at <= HISTORY_MS);
  const max = Math.max(1, ...recent.map((s) => Math.max(s.pending, s.parked)));
  const x = (at: number) => Math.round(((HISTORY_MS - (now - at)) / HISTORY_MS) * width * 10) / 10;
  const y = (v: number) => Math.round((height - (v / max) * height) * 10) / 10;
  const path = (pick: (s: Sample) => number) => recent.map((s, i) => `${i === 0 ? 'M' : 'L'}${x(s.at)} ${y(pick(s))}`).join(' ');
  return { pending: path((s) => s.pending), parked: path((s) => s.parked), max };
}

/**
 * A record's key as a person reads it: an F&O key (the bridge sends it as JSON) in the SyncStatus control's words,
 * "customer NL-004 in company NLMF"; a Dataverse id or anything else as it is.
 */
export function recordKeyText(recordKey: string, t: Translate): string {
  if (!recordKey.startsWith('{')) return recordKey;
  try {
    const parsed = JSON.parse(recordKey) as unknown;
    if (parsed && typeof parsed === 'object' && Object.values(parsed).every((v) => typeof v === 'string')) {
      return linkedKeyText(parsed as Record<string, string>, t) ?? recordKey;
    }
  } catch { /* not JSON: shown as it is */ }
  return recordKey;
}
