// The notifications (alerts), newest first, with their delivery to each webhook (by label, never by address).
import * as React from 'react';
import { DefaultButton, MessageBarType } from '@fluentui/react';
import { Bar } from '../../common/components/Bar';
import { fill } from '../../common/strings';
import { failureText, useConsole } from './console-context';
import { MapFilter } from './Filters';
import { classes } from './styles';
import { TableRegion } from './TableRegion';
import { usePolling } from './use-polling';

export const NotificationsView = React.memo(function NotificationsView({ maps }: { maps: string[] }) {
  const { api, t, f } = useConsole();
  const [map, setMap] = React.useState('');
  const { data, error, reload } = usePolling(() => api.notifications({ map: map || undefined, limit: 200 }), 15000, [api, map]);
  return (
    <div>
      <div className={classes.toolbar} role="search" aria-label={t('Filter_Label')}>
        <MapFilter id="notifications-map" maps={maps} value={map} onChange={setMap} />
        <DefaultButton text={t('Common_Refresh')} onClick={() => void reload()} />
      </div>
      {error !== undefined && <Bar messageBarType={MessageBarType.error}>{failureText(error, t)}</Bar>}
      {data && data.length === 0 && <p>{t('Notifications_None')}</p>}
      {data && data.length > 0 && (
        <TableRegion label={t('Notifications_Title')}>
          <table className={classes.table} aria-label={t('Notifications_Title')}>
            <thead>
              <tr>
                <th scope="col">{t('Audit_When')}</th>
                <th scope="col">{t('Notifications_Kind')}</th>
                <th scope="col">{t('Maps_Map')}</th>
                <th scope="col">{t('Notifications_Message')}</th>
                <th scope="col">{t('Notifications_Deliveries')}</th>
              </tr>
            </thead>
            <tbody>
              {data.map((n) => (
                <tr key={n.id}>
                  <th scope="row">{f.dateTime(n.at)}</th>
                  <td>{t(`Notification_${n.kind}`)}</td>
                  <td>{n.map ?? '–'}</td>
                  <td>{n.message}</td>
                  <td>
                    {n.deliveries.length === 0 ? t('Notifications_NoWebhook') : (
                      <ul>{n.deliveries.map((d) => <li key={d.target}>{fill(t('Notifications_Delivery'), d.target, t(`Delivery_${d.state}`), f.integer(d.attempts))}{d.lastError && <span className={classes.advice}>{d.lastError}</span>}</li>)}</ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </div>
  );
});
