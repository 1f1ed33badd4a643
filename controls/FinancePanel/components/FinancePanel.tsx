// The finance panel: loads the summary from the bridge, shows every state, runs the edit flow.
import * as React from 'react';
import { ActionButton, DefaultButton, MessageBarType, Stack, Text } from '@fluentui/react';
import { Bar } from '../../common/components/Bar';
import { iconRenderer } from '../../common/components/icons';
import type { FinanceEdit, FinanceSummary } from '../../../bridge-service/src/contracts';
import type { BridgeFailure } from '../../common/bridge-client';
import { isFinanceTable, newIdempotencyKey } from '../../common/bridge-client';
import type { ConfigInput } from '../../common/config';
import { ConfigProblemMessage, FailureMessage, Loading } from '../../common/components/FailureMessage';
import { intlFormatter, type Formatter } from '../../common/formatter';
import { announceRecordChanged } from '../../common/record-events';
import { fill, type Translate } from '../../common/strings';
import { useBridge, type ClientFactory } from '../../common/use-bridge';
import type { LoadDependency } from '../../common/token/msal-token-provider';
import { editableFields, isStale, retrievedText, type Draft } from '../finance-view';
import { EditDialog } from './EditDialog';
import { FinanceDetails } from './FinanceDetails';

export interface FinancePanelProps {
  /** The form's record: an account (an organisation) or a contact (a person customer); null when unsaved. */
  accountId: string | null;
  /** The record's table: account (default) or contact. */
  table?: string;
  settings: ConfigInput;
  webAPI: ComponentFramework.WebApi;
  userName: string;
  locale: string;
  /** The user's personal formats (context.formatting); Intl with `locale` when absent. */
  format?: Formatter;
  t: Translate;
  /** False when the form is disabled or field security forbids edits. */
  formAllowsEdits: boolean;
  staleAfterMinutes: number;
  clientFactory?: ClientFactory;
  /** The host's context.utils.loadDependency: loads the MsalLibrary control when the first token is needed. */
  loadDependency?: LoadDependency;
  now?: () => number;
}

type Load = { phase: 'loading' } | { phase: 'loaded'; summary: FinanceSummary } | { phase: 'failed'; failure: BridgeFailure };
type Notice = { kind: 'saved' } | { kind: 'conflict'; draft: Draft } | { kind: 'failed'; failure: BridgeFailure } | null;

const TICK_MS = 30_000;
/** Failures after which the last known figures stay on screen, marked stale (not refusals: those hide them). */
const KEEP_FIGURES_ON: BridgeFailure['kind'][] = ['unreachable', 'upstream', 'busy'];

export const FinancePanel = React.memo(function FinancePanel(props: FinancePanelProps) {
  const { accountId, t, locale } = props;
  const table = props.table ?? 'account';
  const financeTable = isFinanceTable(table) ? table : null;
  // Texts that name the record ("Save the contact first") per table; the account's are the plain keys.
  const tableText = (key: string) => (table === 'contact' ? t(`${key}_contact`) : t(key));
  const fmt = React.useMemo(() => props.format ?? intlFormatter(locale), [props.format, locale]);
  const bridge = useBridge(props.settings, props.webAPI, props.userName, props.clientFactory, props.loadDependency);
  const client = bridge.status === 'ready' ? bridge.client : null;
  const [load, setLoad] = React.useState<Load>({ phase: 'loading' });
  const [reloadCount, setReloadCount] = React.useState(0);
  // The next read must reach the bridge (the user asked for it): not the browser cache.
  const freshNext = React.useRef(false);
  // The last figures the bridge gave: kept on screen, marked stale, when a later read fails.
  const [lastKnown, setLastKnown] = React.useState<FinanceSummary | null>(null);
  const [notice, setNotice] = React.useState<Notice>(null);
  const [editing, setEditing] = React.useState<{ draft?: Draft } | null>(null);
  const [saving, setSaving] = React.useState(false);
  const editButton = React.useRef<HTMLElement>(null);
  // Closing the dialog (Escape, Cancel, a save) puts the keyboard back where it was: on the edit button.
  const closeEditor = React.useCallback(() => {
    setEditing(null);
    setTimeout(() => editButton.current?.focus(), 0);
  }, []);
  const [, setTick] = React.useState(0);
  const now = props.now ?? Date.now;

  React.useEffect(() => {
    if (!client || !accountId || !financeTable) return;
    let cancelled = false;
    setLoad({ phase: 'loading' });
    const fresh = freshNext.current;
    freshNext.current = false;
    void client.getFinance(accountId, { fresh }, financeTable).then((r) => {
      if (cancelled) return;
      if (r.kind === 'ok') setLastKnown(r.data);
      setLoad(r.kind === 'ok' ? { phase: 'loaded', summary: r.data } : { phase: 'failed', failure: r });
    });
    return () => {
      cancelled = true;
    };
  }, [client, accountId, financeTable, reloadCount]);

  // Re-render now and then so that "stale" appears without a user action.
  React.useEffect(() => {
    const id = setInterval(() => setTick((n) => n + 1), TICK_MS);
    return () => clearInterval(id);
  }, []);

  const reload = React.useCallback(() => {
    setNotice(null);
    freshNext.current = true;
    setReloadCount((n) => n + 1);
  }, []);

  const signIn = React.useCallback(() => {
    if (!client) return;
    void client.signIn().then(() => {
      freshNext.current = true;
      setReloadCount((n) => n + 1);
    });
  }, [client]);

  const save = React.useCallback(
    (edit: FinanceEdit, draft: Draft) => {
      if (!client || !accountId || !financeTable || load.phase !== 'loaded') return;
      setSaving(true);
      void client.patchFinance(accountId, load.summary.etag, edit, newIdempotencyKey(), financeTable).then((r) => {
        setSaving(false);
        closeEditor();
        if (r.kind === 'ok') {
          setLoad({ phase: 'loaded', summary: r.data });
          setLastKnown(r.data);
          setNotice({ kind: 'saved' });
          announceRecordChanged({ table: financeTable, id: accountId });
        } else if (r.kind === 'conflict') {
          if (r.current) {
            setLoad({ phase: 'loaded', summary: r.current });
          } else {
            // The values changed in F&O: the browser's cached copy is the old one.
            freshNext.current = true;
            setReloadCount((n) => n + 1);
          }
          setNotice({ kind: 'conflict', draft });
        } else {
          setNotice({ kind: 'failed', failure: r });
        }
      });
    },
    [client, accountId, financeTable, load, closeEditor],
  );

  if (bridge.status === 'problem') return <Shell t={t}><ConfigProblemMessage problem={bridge.problem} detail={bridge.detail} t={t} /></Shell>;
  if (!financeTable) return <Shell t={t}><Bar messageBarType={MessageBarType.warning}>{fill(t('Finance_UnsupportedTable'), table)}</Bar></Shell>;
  if (!accountId) return <Shell t={t}><Bar>{tableText('Finance_NoRecord')}</Bar></Shell>;
  if (bridge.status === 'configuring' || (load.phase === 'loading' && !lastKnown)) return <Shell t={t}><Loading label={t('Finance_Loading')} /></Shell>;
  if (load.phase === 'failed' && lastKnown && KEEP_FIGURES_ON.includes(load.failure.kind)) {
    return (
      <Shell t={t}>
        <FailureMessage failure={load.failure} t={t} notLinkedText={tableText('Finance_NotLinked')} onRetry={reload} onSignIn={signIn} />
        <Bar messageBarType={MessageBarType.warning} isMultiline data-testid="last-known">
          {fill(t('Finance_LastKnown'), fmt.dateTime(lastKnown.retrievedAt))}
        </Bar>
        <FinanceDetails summary={lastKnown} fmt={fmt} t={t} />
      </Shell>
    );
  }
  if (load.phase === 'failed') {
    return (
      <Shell t={t}>
        <FailureMessage failure={load.failure} t={t} notLinkedText={tableText('Finance_NotLinked')} onRetry={reload} onSignIn={signIn} />
      </Shell>
    );
  }

  // While a refresh runs, the figures on screen stay.
  const summary = load.phase === 'loaded' ? load.summary : lastKnown!;
  const editable = editableFields(summary, props.formAllowsEdits);
  const stale = isStale(summary.retrievedAt, now(), props.staleAfterMinutes);
  return (
    <Shell t={t}>
      <Stack horizontal verticalAlign="center" tokens={{ childrenGap: 8 }}>
        <Text variant="small" data-testid="retrieved-at">{retrievedText(summary, fmt, t)}</Text>
        <ActionButton onRenderIcon={iconRenderer('refresh')} onClick={reload} ariaLabel={t('Common_Refresh')}>{t('Common_Refresh')}</ActionButton>
      </Stack>
      {stale && <Bar messageBarType={MessageBarType.warning}>{fill(t('Common_Stale'), props.staleAfterMinutes)}</Bar>}
      {notice?.kind === 'saved' && (
        <Bar messageBarType={MessageBarType.success} onDismiss={() => setNotice(null)} dismissButtonAriaLabel={t('Common_Close')} role="status">{t('Result_Saved')}</Bar>
      )}
      {notice?.kind === 'conflict' && (
        <Bar
          messageBarType={MessageBarType.severeWarning}
          isMultiline
          role="alert"
          actions={editable.length > 0 ? <DefaultButton onClick={() => setEditing({ draft: notice.draft })}>{t('Conflict_Retry')}</DefaultButton> : undefined}
        >
          {t('Conflict_Text')}
        </Bar>
      )}
      {notice?.kind === 'failed' && (
        <FailureMessage failure={notice.failure} t={t} notLinkedText={tableText('Finance_NotLinked')} onRetry={() => setEditing({})} onSignIn={signIn} />
      )}
      <FinanceDetails summary={summary} fmt={fmt} t={t} />
      {editable.length > 0 ? (
        <DefaultButton elementRef={editButton} onRenderIcon={iconRenderer('edit')} styles={{ root: { alignSelf: 'flex-start' } }} onClick={() => setEditing({})}>{t('Edit_Button')}</DefaultButton>
      ) : (
        !props.formAllowsEdits && summary.editableFields.length > 0 && <Text variant="small">{t('ReadOnly_Disabled')}</Text>
      )}
      {editing && (
        <EditDialog
          summary={summary}
          editable={editable}
          initialDraft={editing.draft}
          fmt={fmt}
          t={t}
          saving={saving}
          onCancel={closeEditor}
          onSave={save}
        />
      )}
    </Shell>
  );
});

function Shell({ children }: { t: Translate; children: React.ReactNode }) {
  return (
    // Not a landmark of its own: the form's section around the control already is one ("Finance"), and two
    // landmarks with one name fail axe's landmark-unique.
    <div data-testid="finance-panel-root" style={{ width: '100%', minWidth: 0 }}>
      <Stack tokens={{ childrenGap: 8 }}>{children}</Stack>
    </div>
  );
}
