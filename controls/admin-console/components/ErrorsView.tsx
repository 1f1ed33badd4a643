// Failing records (parked, or retrying): filterable by map, state and text; retry or dismiss one, or the ticked ones.
import * as React from 'react';
import { DefaultButton, MessageBarType } from '@fluentui/react';
import type { SyncErrorItem } from '../../../bridge-service/src/contracts/admin';
import { Bar } from '../../common/components/Bar';
import { fill } from '../../common/strings';
import { errorText, recordKeyText } from '../console-view';
import { failureText, useConsole } from './console-context';
import { MapFilter, StateFilter, TextFilter } from './Filters';
import { classes } from './styles';
import { TableRegion } from './TableRegion';
import { usePolling } from './use-polling';
import { useSelection } from './use-selection';
import { InitialSyncFailures } from './InitialSyncFailures';

type Action = 'retry' | 'dismiss';

/** The job states this view lists (its state filter's choices). */
const ERRORS_STATES = ['parked', 'retrying'] as const;

export const ErrorsView = React.memo(function ErrorsView({ maps }: { maps: string[] }) {
  const { api, t, f } = useConsole();
  const [map, setMap] = React.useState('');
  const [state, setState] = React.useState('');
  const [text, setText] = React.useState('');
  const { data: lists, error, reload } = usePolling(() => api.errors({ map: map || undefined, limit: 500 }), 5000, [api, map]);
  const data = lists?.errors;
  const rows = React.useMemo(() => (data ?? []).filter((e) => (!state || e.state === state)
    && (!text || `${e.recordKey} ${recordKeyText(e.recordKey, t)} ${e.message ?? ''} ${e.code ?? ''}`.toLowerCase().includes(text.toLowerCase()))), [data, state, text, t]);
  const ids = React.useMemo(() => rows.map((r) => r.id), [rows]);
  const sel = useSelection(ids);
  const [message, setMessage] = React.useState<{ text: string; error: boolean } | null>(null);

  const run = async (action: Action, items: SyncErrorItem[]) => {
    let done = 0;
    const failures: string[] = [];
    for (const item of items) {
      try {
        await (action === 'retry' ? api.retryError(item.id) : api.dismissError(item.id));
        done++;
      } catch (e) {
        failures.push(`${recordKeyText(item.recordKey, t)}: ${failureText(e, t)}`);
      }
    }
    setMessage(failures.length
      ? { text: `${fill(t(action === 'retry' ? 'Errors_Retried' : 'Errors_Dismissed'), f.integer(done))} ${failures.join('; ')}`, error: true }
      : { text: fill(t(action === 'retry' ? 'Errors_Retried' : 'Errors_Dismissed'), f.integer(done)), error: false });
    sel.setAll(false);
    await reload();
  };
  const chosen = rows.filter((r) => sel.selected.has(r.id));

  return (
    <div>
      <div className={classes.toolbar} role="search" aria-label={t('Filter_Label')}>
        <MapFilter id="errors-map" maps={maps} value={map} onChange={setMap} />
        <StateFilter id="errors-state" states={ERRORS_STATES} value={state} onChange={setState} />
        <TextFilter id="errors-text" value={text} onChange={setText} />
        <DefaultButton text={fill(t('Errors_RetrySelected'), f.integer(chosen.length))} disabled={chosen.length === 0} onClick={() => run('retry', chosen)} />
        <DefaultButton text={fill(t('Errors_DismissSelected'), f.integer(chosen.length))} disabled={chosen.length === 0} onClick={() => run('dismiss', chosen)} />
        <DefaultButton text={t('Common_Refresh')} onClick={() => void reload()} />
      </div>
      <div role="status">{message && !message.error ? <Bar messageBarType={MessageBarType.success}>{message.text}</Bar> : null}</div>
      {message?.error && <Bar messageBarType={MessageBarType.error}>{message.text}</Bar>}
      {error !== undefined && <Bar messageBarType={MessageBarType.error}>{failureText(error, t)}</Bar>}
      {data && rows.length === 0 && <p>{t('Errors_None')}</p>}
      {rows.length > 0 && (
        <TableRegion label={t('Errors_Title')}>
          <table className={classes.table} aria-label={t('Errors_Title')}>
            <thead>
              <tr>
                <th scope="col"><input type="checkbox" aria-label={t('Common_SelectAll')} checked={sel.allSelected} onChange={(e) => sel.setAll(e.target.checked)} /></th>
                <th scope="col">{t('Errors_Record')}</th>
                <th scope="col">{t('Maps_Map')}</th>
                <th scope="col">{t('Maps_State')}</th>
                <th scope="col">{t('Errors_Error')}</th>
                <th scope="col">{t('Errors_Updated')}</th>
                <th scope="col">{t('Common_Actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => {
                const said = errorText(e, t, f);
              const record = recordKeyText(e.recordKey, t);
                return (
                  <tr key={e.id} data-error-id={e.id}>
                    <td><input type="checkbox" aria-label={fill(t('Common_SelectRow'), record)} checked={sel.selected.has(e.id)} onChange={() => sel.toggle(e.id)} /></td>
                    <th scope="row">{record}<span className={classes.advice}>{fill(t('Errors_Side'), t(`SyncError_System_${e.side}`))}</span></th>
                    <td>{e.map}</td>
                    <td>{t(`JobState_${e.state}`)}<span className={classes.advice}>{fill(t('Errors_Attempts'), f.integer(e.attempts))}</span></td>
                    <td>{said.text}{said.advice && <span className={classes.advice}>{said.advice}</span>}</td>
                    <td>{f.dateTime(e.updatedAt)}</td>
                    <td>
                      <div className={classes.actions}>
                        <DefaultButton text={t('Errors_Retry')} ariaLabel={fill(t('Common_ActionOn'), t('Errors_Retry'), record)} onClick={() => run('retry', [e])} />
                        <DefaultButton text={t('Errors_Dismiss')} ariaLabel={fill(t('Common_ActionOn'), t('Errors_Dismiss'), record)} onClick={() => run('dismiss', [e])} />
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableRegion>
      )}
      {lists && lists.initialSync.length > 0 && <InitialSyncFailures items={lists.initialSync} onRerun={reload} report={setMessage} />}
    </div>
  );
});
