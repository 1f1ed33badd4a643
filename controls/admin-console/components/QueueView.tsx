// Records with changes waiting to be written (queued, being written, waiting to retry), oldest change first:
// filterable by map, state and text. Read-only: a waiting change is written in its turn (a failing one is also
// under Errors, where it can be retried at once or dismissed).
import * as React from 'react';
import { DefaultButton, MessageBarType } from '@fluentui/react';
import { Bar } from '../../common/components/Bar';
import { fill } from '../../common/strings';
import { recordKeyText } from '../console-view';
import { failureText, useConsole } from './console-context';
import { MapFilter, StateFilter, TextFilter } from './Filters';
import { classes } from './styles';
import { TableRegion } from './TableRegion';
import { usePolling } from './use-polling';

/** The job states this view lists (its state filter's choices). */
const QUEUE_STATES = ['queued', 'running', 'retrying'] as const;

export const QueueView = React.memo(function QueueView({ maps }: { maps: string[] }) {
  const { api, t, f } = useConsole();
  const [map, setMap] = React.useState('');
  const [state, setState] = React.useState('');
  const [text, setText] = React.useState('');
  const { data, error, reload } = usePolling(() => api.queue({ map: map || undefined, limit: 500 }), 5000, [api, map]);
  const rows = React.useMemo(() => (data ?? []).filter((q) => (!state || q.state === state)
    && (!text || `${q.recordKey} ${recordKeyText(q.recordKey, t)} ${q.message ?? ''}`.toLowerCase().includes(text.toLowerCase()))), [data, state, text, t]);
  return (
    <div>
      <div className={classes.toolbar} role="search" aria-label={t('Filter_Label')}>
        <MapFilter id="queue-map" maps={maps} value={map} onChange={setMap} />
        <StateFilter id="queue-state" states={QUEUE_STATES} value={state} onChange={setState} />
        <TextFilter id="queue-text" value={text} onChange={setText} />
        <DefaultButton text={t('Common_Refresh')} onClick={() => void reload()} />
      </div>
      {error !== undefined && <Bar messageBarType={MessageBarType.error}>{failureText(error, t)}</Bar>}
      {data && rows.length === 0 && <p>{t('Queue_None')}</p>}
      {rows.length > 0 && (
        <TableRegion label={t('Queue_Title')}>
          <table className={classes.table} aria-label={t('Queue_Title')}>
            <thead>
              <tr>
                <th scope="col">{t('Errors_Record')}</th>
                <th scope="col">{t('Maps_Map')}</th>
                <th scope="col">{t('Maps_State')}</th>
                <th scope="col">{t('Queue_WaitingSince')}</th>
                <th scope="col">{t('Queue_Due')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((q) => (
                <tr key={q.id} data-queued-id={q.id}>
                  <th scope="row">{recordKeyText(q.recordKey, t)}<span className={classes.advice}>{fill(t('Errors_Side'), t(`SyncError_System_${q.side}`))}</span></th>
                  <td>{q.map}</td>
                  <td>{t(`JobState_${q.state}`)}{q.attempts > 0 && <span className={classes.advice}>{fill(t('Errors_Attempts'), f.integer(q.attempts))}</span>}</td>
                  <td>{q.waitingSince ? f.dateTime(q.waitingSince) : '–'}</td>
                  <td>{f.dateTime(q.nextRunAt)}{q.message && <span className={classes.advice}>{q.message}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </div>
  );
});
