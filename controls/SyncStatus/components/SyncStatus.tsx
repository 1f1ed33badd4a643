// A compact badge that opens a panel with the sync details; refreshes itself while changes are pending.
import * as React from 'react';
import { Text, mergeStyleSets } from '@fluentui/react';
import type { RecordSyncStatus } from '../../../bridge-service/src/contracts';
import type { BridgeFailure } from '../../common/bridge-client';
import type { ConfigInput } from '../../common/config';
import { ConfigProblemMessage, FailureMessage, Loading } from '../../common/components/FailureMessage';
import { intlFormatter, type Formatter } from '../../common/formatter';
import type { Translate } from '../../common/strings';
import { useRecordChanged } from '../../common/record-events';
import { useBridge, type ClientFactory } from '../../common/use-bridge';
import type { LoadDependency } from '../../common/token/msal-token-provider';
import { SyncDetails } from './SyncDetails';
import { Icon } from '../../common/components/icons';
import { badge, isFollowing, shouldPoll, type BadgeTone, type Follow } from '../sync-view';

export interface SyncStatusProps {
  table: string | null;
  recordId: string | null;
  settings: ConfigInput;
  webAPI: ComponentFramework.WebApi;
  userName: string;
  locale: string;
  /** The user's personal formats (context.formatting); Intl with `locale` when absent. */
  format?: Formatter;
  t: Translate;
  pollSeconds: number;
  clientFactory?: ClientFactory;
  /** The host's context.utils.loadDependency: loads the MsalLibrary control when the first token is needed. */
  loadDependency?: LoadDependency;
}

type Load = { phase: 'loading' } | { phase: 'loaded'; status: RecordSyncStatus } | { phase: 'failed'; failure: BridgeFailure };

const TONE_COLORS: Record<BadgeTone, { background: string; color: string }> = {
  success: { background: '#dff6dd', color: '#107c10' },
  info: { background: '#deecf9', color: '#005a9e' },
  error: { background: '#fde7e9', color: '#a4262c' },
  warning: { background: '#fff4ce', color: '#8a5300' },
  neutral: { background: '#f3f2f1', color: '#323130' },
};

/** How long the badge keeps looking for the sync of a saved edit. */
const FOLLOW_MS = 120_000;

const css = mergeStyleSets({
  badge: { display: 'inline-flex', alignItems: 'center', gap: 6, border: 'none', borderRadius: 12, padding: '2px 10px', cursor: 'pointer', fontWeight: 600, selectors: { ':focus-visible': { outline: '2px solid #0078d4' } } },
});

export const SyncStatus = React.memo(function SyncStatus(props: SyncStatusProps) {
  const { t, locale, table, recordId } = props;
  const fmt = React.useMemo(() => props.format ?? intlFormatter(locale), [props.format, locale]);
  const bridge = useBridge(props.settings, props.webAPI, props.userName, props.clientFactory, props.loadDependency);
  const client = bridge.status === 'ready' ? bridge.client : null;
  const [load, setLoad] = React.useState<Load>({ phase: 'loading' });
  const [reloadCount, setReloadCount] = React.useState(0);
  // The next read must reach the bridge (a user's refresh, a poll): not the browser cache.
  const freshNext = React.useRef(false);
  const [follow, setFollow] = React.useState<Follow | null>(null);
  const [open, setOpen] = React.useState(false);
  const badgeRef = React.useRef<HTMLButtonElement>(null);
  const [retryNotice, setRetryNotice] = React.useState<BridgeFailure | 'queued' | null>(null);
  const panelId = React.useMemo(() => `fob-sync-${Math.random().toString(36).slice(2)}`, []);

  React.useEffect(() => {
    if (!client || !table || !recordId) return;
    let cancelled = false;
    const fresh = freshNext.current;
    freshNext.current = false;
    void client.getSyncStatus(table, recordId, { fresh }).then((r) => {
      if (!cancelled) setLoad(r.kind === 'ok' ? { phase: 'loaded', status: r.data } : { phase: 'failed', failure: r });
    });
    return () => {
      cancelled = true;
    };
  }, [client, table, recordId, reloadCount]);

  const loadedStatus = load.phase === 'loaded' ? load.status : null;
  const following = loadedStatus !== null && follow !== null && isFollowing(follow, loadedStatus, Date.now());
  const polling = loadedStatus !== null && (shouldPoll(loadedStatus) || following);
  const reload = React.useCallback(() => {
    freshNext.current = true;
    setReloadCount((n) => n + 1);
  }, []);
  React.useEffect(() => {
    if (!polling) return;
    const id = setTimeout(reload, Math.max(1, props.pollSeconds) * 1000);
    return () => clearTimeout(id);
  }, [polling, load, props.pollSeconds, reload]);

  // A saved edit elsewhere on the form: look now, and keep looking until the sync has run.
  useRecordChanged(table, recordId, () => {
    setFollow({ since: loadedStatus?.lastSyncedAt ?? null, until: Date.now() + FOLLOW_MS });
    reload();
  });
  const signIn = React.useCallback(() => {
    if (client) void client.signIn().then(() => setReloadCount((n) => n + 1));
  }, [client]);
  const retry = React.useCallback(() => {
    if (!client || !table || !recordId) return;
    void client.retrySync(table, recordId).then((r) => {
      setRetryNotice(r.kind === 'ok' ? 'queued' : r);
      setReloadCount((n) => n + 1);
    });
  }, [client, table, recordId]);

  if (bridge.status === 'problem') return <ConfigProblemMessage problem={bridge.problem} detail={bridge.detail} t={t} />;
  if (!table || !recordId) return <Text>{t('Sync_NoRecord')}</Text>;
  if (bridge.status === 'configuring' || load.phase === 'loading') return <Loading label={t('Sync_Loading')} />;
  if (load.phase === 'failed') {
    // The finance panel on the same form already explains a refusal; here a quiet badge is enough.
    if (load.failure.kind === 'forbidden' || load.failure.kind === 'not_found') {
      const text = t(load.failure.kind === 'forbidden' ? 'Common_Forbidden' : 'Common_NotFound');
      return (
        <span className={css.badge} style={{ ...TONE_COLORS.neutral, cursor: 'default' }} title={text} data-state="no_access" role="status" aria-label={`${t('Sync_Label')}: ${t('Sync_State_no_access')}. ${text}`}>
          {t('Sync_State_no_access')}
        </span>
      );
    }
    return <FailureMessage failure={load.failure} t={t} notLinkedText={t('Sync_NotLinked')} onRetry={reload} onSignIn={signIn} />;
  }

  const s = load.status;
  const b = badge(s.state, t);
  const closeDetails = () => {
    setOpen(false);
    badgeRef.current?.focus();
  };
  return (
    <div role="group" aria-label={t('Sync_Label')}>
      <button
        ref={badgeRef}
        type="button"
        className={css.badge}
        style={TONE_COLORS[b.tone]}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        aria-label={`${t('Sync_Label')}: ${b.label}. ${t('Sync_ShowDetails')}`}
        onClick={() => setOpen((o) => !o)}
        data-state={s.state}
      >
        <Icon name={b.icon} />
        <span>{b.label}</span>
      </button>
      {open && (
        <SyncDetails
          id={panelId} target={badgeRef} status={s} polling={polling} retryNotice={retryNotice} fmt={fmt} t={t}
          onDismiss={closeDetails} onRetry={retry} onRefresh={reload} onSignIn={signIn}
        />
      )}
    </div>
  );
});
