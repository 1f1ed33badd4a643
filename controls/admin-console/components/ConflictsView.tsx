// Records changed on both sides: which side won each field and why; dismiss one, or the ticked ones, once reviewed.
import * as React from 'react';
import { DefaultButton, MessageBarType } from '@fluentui/react';
import type { ConflictItem } from '../../../bridge-service/src/contracts/admin';
import { Bar } from '../../common/components/Bar';
import { fill } from '../../common/strings';
import { keyText } from '../console-view';
import { failureText, useConsole } from './console-context';
import { MapFilter } from './Filters';
import { classes } from './styles';
import { TableRegion } from './TableRegion';
import { usePolling } from './use-polling';
import { useSelection } from './use-selection';

export const ConflictsView = React.memo(function ConflictsView({ maps }: { maps: string[] }) {
  const { api, t, f } = useConsole();
  const [map, setMap] = React.useState('');
  const { data, error, reload } = usePolling(() => api.conflicts({ map: map || undefined, limit: 500 }), 10000, [api, map]);
  const rows = React.useMemo(() => data ?? [], [data]);
  const ids = React.useMemo(() => rows.map((r) => r.id), [rows]);
  const sel = useSelection(ids);
  const [message, setMessage] = React.useState<{ text: string; error: boolean } | null>(null);

  const dismiss = async (items: ConflictItem[]) => {
    let done = 0;
    const failures: string[] = [];
    for (const c of items) {
      try {
        await api.dismissConflict(c.id);
        done++;
      } catch (e) {
        failures.push(failureText(e, t));
      }
    }
    const text = fill(t('Conflicts_Dismissed'), f.integer(done));
    setMessage({ text: failures.length ? `${text} ${failures.join('; ')}` : text, error: failures.length > 0 });
    sel.setAll(false);
    await reload();
  };
  const chosen = rows.filter((r) => sel.selected.has(r.id));
  const record = (c: ConflictItem) => keyText(c.fnoKey) || c.dataverseId || c.id;

  return (
    <div>
      <div className={classes.toolbar} role="search" aria-label={t('Filter_Label')}>
        <MapFilter id="conflicts-map" maps={maps} value={map} onChange={setMap} />
        <DefaultButton text={fill(t('Conflicts_DismissSelected'), f.integer(chosen.length))} disabled={chosen.length === 0} onClick={() => dismiss(chosen)} />
        <DefaultButton text={t('Common_Refresh')} onClick={() => void reload()} />
      </div>
      <div role="status">{message && !message.error ? <Bar messageBarType={MessageBarType.success}>{message.text}</Bar> : null}</div>
      {message?.error && <Bar messageBarType={MessageBarType.error}>{message.text}</Bar>}
      {error !== undefined && <Bar messageBarType={MessageBarType.error}>{failureText(error, t)}</Bar>}
      {data && rows.length === 0 && <p>{t('Conflicts_None')}</p>}
      {rows.length > 0 && (
        <TableRegion label={t('Conflicts_Title')}>
          <table className={classes.table} aria-label={t('Conflicts_Title')}>
            <thead>
              <tr>
                <th scope="col"><input type="checkbox" aria-label={t('Common_SelectAll')} checked={sel.allSelected} onChange={(e) => sel.setAll(e.target.checked)} /></th>
                <th scope="col">{t('Errors_Record')}</th>
                <th scope="col">{t('Maps_Map')}</th>
                <th scope="col">{t('Conflicts_Fields')}</th>
                <th scope="col">{t('Conflicts_At')}</th>
                <th scope="col">{t('Common_Actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id} data-conflict-id={c.id}>
                  <td><input type="checkbox" aria-label={fill(t('Common_SelectRow'), record(c))} checked={sel.selected.has(c.id)} onChange={() => sel.toggle(c.id)} /></td>
                  <th scope="row">{record(c)}</th>
                  <td>{c.map}</td>
                  <td>
                    <ul>
                      {c.detail.map((d) => (
                        <li key={d.field}>{fill(t('SyncError_SYNC_CONFLICT'), d.field, t(`SyncError_System_${d.winner}`))} <span className={classes.advice}>{d.reason}</span></li>
                      ))}
                    </ul>
                  </td>
                  <td>{f.dateTime(c.at)}</td>
                  <td><DefaultButton text={t('Errors_Dismiss')} ariaLabel={fill(t('Common_ActionOn'), t('Errors_Dismiss'), record(c))} onClick={() => dismiss([c])} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </div>
  );
});
