// The records the last initial sync of each map could not write, with their reasons, and per map the rerun of only
// those records once their cause is fixed.
import * as React from 'react';
import { DefaultButton } from '@fluentui/react';
import type { InitialSyncFailureItem } from '../../../bridge-service/src/contracts/admin';
import { fill } from '../../common/strings';
import { recordKeyText } from '../console-view';
import { failureText, useConsole } from './console-context';
import { classes } from './styles';
import { TableRegion } from './TableRegion';

export interface Report { text: string; error: boolean }

/** `report` shows the outcome in the parent's status area, which stays when this list empties. */
export const InitialSyncFailures = React.memo(function InitialSyncFailures({ items, onRerun, report }: { items: InitialSyncFailureItem[]; onRerun: () => Promise<void>; report: (r: Report) => void }) {
  const { api, t, f } = useConsole();
  const maps = [...new Set(items.map((i) => i.map))];
  const rerun = async (map: string) => {
    try {
      await api.startInitialSync(map, { failedOnly: true });
      report({ text: fill(t('Maps_InitialStarted'), map), error: false });
    } catch (e) {
      report({ text: failureText(e, t), error: true });
    }
    await onRerun();
  };
  return (
    <div className={classes.section}>
      <h3 id="initial-failures-title">{t('InitialSync_Failures')}</h3>
      <p className={classes.muted}>{t('InitialSync_FailuresAdvice')}</p>
      <div className={classes.actions}>
        {maps.map((m) => (
          <DefaultButton key={m} text={t('InitialSync_RerunFailed')} ariaLabel={fill(t('Common_ActionOn'), t('InitialSync_RerunFailed'), m)} onClick={() => rerun(m)} />
        ))}
      </div>
      <TableRegion label={t('InitialSync_Failures')}>
        <table className={classes.table} aria-label={t('InitialSync_Failures')}>
          <thead>
            <tr>
              <th scope="col">{t('Errors_Record')}</th>
              <th scope="col">{t('Maps_Map')}</th>
              <th scope="col">{t('InitialSync_Company')}</th>
              <th scope="col">{t('InitialSync_Reason')}</th>
              <th scope="col">{t('Conflicts_At')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={`${i.map} ${i.company} ${i.recordKey}`} data-initial-failure={i.recordKey}>
                <th scope="row">{recordKeyText(i.recordKey, t)}</th>
                <td>{i.map}</td>
                <td>{i.company.toUpperCase()}</td>
                <td>{i.reason}</td>
                <td>{f.dateTime(i.at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
    </div>
  );
});
