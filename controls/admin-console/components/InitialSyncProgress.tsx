// The progress of one map's initial sync: a bar, done of total, rate and time left, polled every second while it runs.
import * as React from 'react';
import { DefaultButton, MessageBarType, ProgressIndicator } from '@fluentui/react';
import { Bar } from '../../common/components/Bar';
import { fill } from '../../common/strings';
import { progressView } from '../console-view';
import { failureText, useConsole } from './console-context';
import { classes } from './styles';
import { usePolling } from './use-polling';

export const InitialSyncProgress = React.memo(function InitialSyncProgress({ map, onClose }: { map: string; onClose: () => void }) {
  const { api, t, f } = useConsole();
  const [running, setRunning] = React.useState(true);
  const { data, error } = usePolling(async () => {
    const p = await api.initialSync(map);
    setRunning(p.state === 'running');
    return p;
  }, running ? 1000 : 0, [map, running]);
  const [rerun, setRerun] = React.useState<string | null>(null);
  const headingId = `initial-sync-${map}`;
  if (!data) return error ? <Bar messageBarType={MessageBarType.error}>{failureText(error, t)}</Bar> : null;
  const v = progressView(data, t, f);
  const rerunFailed = async () => {
    try {
      await api.startInitialSync(map, { failedOnly: true });
      setRerun(null);
      setRunning(true);
    } catch (e) {
      setRerun(failureText(e, t));
    }
  };
  return (
    <section className={classes.progress} aria-labelledby={headingId} data-initial-sync={map} data-progress-state={v.state}>
      <h3 id={headingId}>{fill(t('InitialSync_Title'), map)}</h3>
      <ProgressIndicator
        label={v.stateLabel}
        description={[v.counts, v.rate, v.timeLeft, v.failed].filter(Boolean).join(' · ')}
        percentComplete={v.fraction}
        ariaValueText={v.fraction === undefined ? v.stateLabel : `${Math.round(v.fraction * 100)} %`}
      />
      <p role="status" className={classes.sr}>{v.state === 'running' ? '' : v.stateLabel}</p>
      {data.lastError && <Bar messageBarType={MessageBarType.error}>{data.lastError}</Bar>}
      {data.failures.length > 0 && (
        <ul aria-label={t('InitialSync_Failures')}>
          {data.failures.slice(0, 20).map((x) => <li key={`${x.company} ${x.recordKey}`}>{x.company} {x.recordKey}: {x.reason}</li>)}
        </ul>
      )}
      {rerun && <Bar messageBarType={MessageBarType.error}>{rerun}</Bar>}
      <div className={classes.actions}>
        {data.failed > 0 && v.state !== 'running' && <DefaultButton text={t('InitialSync_RerunFailed')} onClick={rerunFailed} />}
        <DefaultButton text={t('Common_Close')} onClick={onClose} />
      </div>
    </section>
  );
});
