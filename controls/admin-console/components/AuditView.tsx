// The audit log of finance edits, newest first: who, which account, what changed (before and after), the result.
import * as React from 'react';
import { DefaultButton, MessageBarType } from '@fluentui/react';
import { Bar } from '../../common/components/Bar';
import { auditChanges } from '../console-view';
import { failureText, useConsole } from './console-context';
import { StateBadge } from './StateBadge';
import { classes } from './styles';
import { TableRegion } from './TableRegion';
import { usePolling } from './use-polling';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RESULT_TONES = { applied: 'success', conflict: 'warning', rejected: 'error', failed: 'error' } as const;

export const AuditView = React.memo(function AuditView() {
  const { api, t, f } = useConsole();
  const [account, setAccount] = React.useState('');
  const accountId = GUID.test(account.trim()) ? account.trim() : undefined;
  const { data, error, reload } = usePolling(() => api.audit({ accountId, limit: 200 }), 10000, [api, accountId]);
  return (
    <div>
      <div className={classes.toolbar} role="search" aria-label={t('Filter_Label')}>
        <label className={classes.field} htmlFor="audit-account">
          {t('Audit_AccountFilter')}
          <input id="audit-account" type="text" value={account} onChange={(e) => setAccount(e.target.value)} aria-describedby="audit-account-hint" />
          <span id="audit-account-hint" className={classes.muted}>{t('Audit_AccountHint')}</span>
        </label>
        <DefaultButton text={t('Common_Refresh')} onClick={() => void reload()} />
      </div>
      {error !== undefined && <Bar messageBarType={MessageBarType.error}>{failureText(error, t)}</Bar>}
      {data && data.length === 0 && <p>{t('Audit_None')}</p>}
      {data && data.length > 0 && (
        <TableRegion label={t('Audit_Title')}>
          <table className={classes.table} aria-label={t('Audit_Title')}>
            <thead>
              <tr>
                <th scope="col">{t('Audit_When')}</th>
                <th scope="col">{t('Audit_Who')}</th>
                <th scope="col">{t('Audit_Account')}</th>
                <th scope="col">{t('Audit_Changes')}</th>
                <th scope="col">{t('Audit_Result')}</th>
              </tr>
            </thead>
            <tbody>
              {data.map((a) => (
                <tr key={a.id} data-audit-id={a.id} data-account-id={a.accountId}>
                  <th scope="row">{f.dateTime(a.at)}</th>
                  <td>{a.principalName ?? a.principalOid}</td>
                  <td>{[a.company?.toUpperCase(), a.customerAccount].filter(Boolean).join(' ') || '–'}<span className={classes.advice}>{a.accountId}</span></td>
                  <td><ul>{auditChanges(a, t, f).map((c) => <li key={c}>{c}</li>)}</ul></td>
                  <td>
                    <StateBadge label={t(`Audit_Result_${a.result}`)} tone={RESULT_TONES[a.result]} state={a.result} />
                    {a.errorCode && <span className={classes.advice}>{a.errorCode}</span>}
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
