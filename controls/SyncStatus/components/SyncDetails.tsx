// The sync details in a flyout beside the badge (as CE header fields open theirs), so the form does not move.
import * as React from 'react';
import { ActionButton, Callout, DefaultButton, DirectionalHint, MessageBarType, Stack, Text, mergeStyleSets } from '@fluentui/react';
import { Bar } from '../../common/components/Bar';
import type { RecordSyncStatus } from '../../../bridge-service/src/contracts';
import type { BridgeFailure } from '../../common/bridge-client';
import { FailureMessage } from '../../common/components/FailureMessage';
import { iconRenderer } from '../../common/components/icons';
import type { Formatter } from '../../common/formatter';
import type { Translate } from '../../common/strings';
import { detailRows } from '../sync-view';

const css = mergeStyleSets({
  body: { padding: 16, maxWidth: 'min(420px, calc(100vw - 32px))' },
  rows: { display: 'grid', gridTemplateColumns: 'minmax(min(120px, 40%), max-content) minmax(0, 1fr)', columnGap: 16, rowGap: 4, margin: 0 },
  term: { color: '#605e5c' },
  value: { margin: 0, overflowWrap: 'anywhere' },
});

export interface SyncDetailsProps {
  id: string;
  target: React.RefObject<HTMLElement>;
  status: RecordSyncStatus;
  polling: boolean;
  retryNotice: BridgeFailure | 'queued' | null;
  fmt: Formatter;
  t: Translate;
  onDismiss: () => void;
  onRetry: () => void;
  onRefresh: () => void;
  onSignIn: () => void;
}

export const SyncDetails = React.memo(function SyncDetails(p: SyncDetailsProps) {
  const { status: s, t } = p;
  const rows = detailRows(s, p.fmt, t);
  return (
    <Callout target={p.target} onDismiss={p.onDismiss} directionalHint={DirectionalHint.bottomLeftEdge} setInitialFocus isBeakVisible gapSpace={4}>
      <div id={p.id} role="region" aria-label={t('Sync_ShowDetails')} className={css.body}>
        <Stack tokens={{ childrenGap: 8 }}>
          {s.state === 'not_linked' && <Text>{t('Sync_NotLinked')}</Text>}
          <dl className={css.rows}>
            {rows.map((r) => (
              <React.Fragment key={r.key}>
                <dt className={css.term}>{r.label}</dt>
                <dd className={css.value} data-row={r.key}>{r.value}</dd>
              </React.Fragment>
            ))}
          </dl>
          {p.polling && <Text variant="small" aria-live="polite">{t('Sync_AutoRefresh')}</Text>}
          {p.retryNotice === 'queued' && <Bar messageBarType={MessageBarType.success} role="status">{t('Sync_RetryQueued')}</Bar>}
          {p.retryNotice && p.retryNotice !== 'queued' && (
            <FailureMessage failure={p.retryNotice} t={t} notLinkedText={t('Sync_NotLinked')} onRetry={p.onRetry} onSignIn={p.onSignIn} />
          )}
          <Stack horizontal wrap tokens={{ childrenGap: 8 }}>
            {s.canRetry && (s.state === 'error' || s.state === 'conflict' || s.state === 'pending') && (
              <DefaultButton onRenderIcon={iconRenderer('sync')} onClick={p.onRetry}>{t('Sync_Retry')}</DefaultButton>
            )}
            <ActionButton onRenderIcon={iconRenderer('refresh')} onClick={p.onRefresh}>{t('Common_Refresh')}</ActionButton>
          </Stack>
        </Stack>
      </div>
    </Callout>
  );
});
