// Every map with its state, lag, pending and parked records and throughput; pause, resume, and the initial sync.
import * as React from 'react';
import { DefaultButton, Dialog, DialogFooter, DialogType, MessageBarType, PrimaryButton } from '@fluentui/react';
import type { MapSummary } from '../../../bridge-service/src/contracts/admin';
import { Bar } from '../../common/components/Bar';
import { fill } from '../../common/strings';
import { durationText, HISTORY_MS, mapAction, mapStateView, throughputPerMinute, type Sample } from '../console-view';
import { LastHourChart } from './LastHourChart';
import { failureText, useConsole } from './console-context';
import { InitialSyncProgress } from './InitialSyncProgress';
import { StateBadge } from './StateBadge';
import { classes } from './styles';
import { TableRegion } from './TableRegion';
import { usePolling } from './use-polling';

export const MapsView = React.memo(function MapsView() {
  const { api, t, f } = useConsole();
  const samples = React.useRef(new Map<string, Sample[]>());
  const { data: maps, error, reload } = usePolling(async () => {
    const list = await api.maps();
    const now = Date.now();
    for (const m of list) {
      const kept = (samples.current.get(m.name) ?? []).filter((s) => now - s.at <= HISTORY_MS);
      kept.push({ at: now, processed: m.counters.processed, pending: m.pending, parked: m.parked });
      samples.current.set(m.name, kept);
    }
    return list;
  }, 3000, [api]);
  const [message, setMessage] = React.useState<{ text: string; error: boolean } | null>(null);
  const [progressOf, setProgressOf] = React.useState<string | null>(null);
  const [confirming, setConfirming] = React.useState<MapSummary | null>(null);

  const act = async (m: MapSummary, action: 'pause' | 'resume' | 'initial') => {
    try {
      if (action === 'initial') {
        await api.startInitialSync(m.name);
        setProgressOf(m.name);
        setMessage({ text: fill(t('Maps_InitialStarted'), m.name), error: false });
      } else {
        await (action === 'pause' ? api.pause(m.name) : api.resume(m.name));
        setMessage({ text: fill(t(action === 'pause' ? 'Maps_Paused' : 'Maps_Resumed'), m.name), error: false });
      }
    } catch (e) {
      setMessage({ text: failureText(e, t), error: true });
    }
    await reload();
  };

  if (!maps) return error ? <Bar messageBarType={MessageBarType.error}>{failureText(error, t)}</Bar> : <p>{t('Common_Loading')}</p>;
  return (
    <div>
      <div role="status">{message && !message.error ? <Bar messageBarType={MessageBarType.success}>{message.text}</Bar> : null}</div>
      {message?.error && <Bar messageBarType={MessageBarType.error}>{message.text}</Bar>}
      {error !== undefined && <Bar messageBarType={MessageBarType.warning}>{failureText(error, t)}</Bar>}
      <TableRegion label={t('Maps_Title')}>
        <table className={classes.table} aria-label={t('Maps_Title')}>
          <thead>
            <tr>
              <th scope="col">{t('Maps_Map')}</th>
              <th scope="col">{t('Maps_State')}</th>
              <th scope="col" className="num">{t('Maps_Lag')}</th>
              <th scope="col" className="num">{t('Maps_Pending')}</th>
              <th scope="col" className="num">{t('Maps_Parked')}</th>
              <th scope="col" className="num">{t('Maps_Throughput')}</th>
              <th scope="col">{t('Common_Actions')}</th>
            </tr>
          </thead>
          <tbody>
            {maps.map((m) => {
              const state = mapStateView(m, t);
              const action = mapAction(m);
              const perMinute = throughputPerMinute(samples.current.get(m.name) ?? [], Date.now());
              return (
                <tr key={m.name} data-map={m.name}>
                  <th scope="row"><span>{m.name}</span><span className={classes.advice}>{m.description}</span></th>
                  <td><StateBadge label={state.label} tone={state.tone} state={m.state} /></td>
                  <td className="num">{m.lagSeconds > 0 ? durationText(m.lagSeconds, t) : '–'}</td>
                  <td className="num">{f.integer(m.pending)}</td>
                  <td className="num">{f.integer(m.parked)}</td>
                  <td className="num">{perMinute === null ? '–' : fill(t('Maps_PerMinute'), f.number(perMinute, 1))}</td>
                  <td>
                    <div className={classes.actions}>
                      {action && (
                        <DefaultButton text={t(action === 'pause' ? 'Maps_Pause' : 'Maps_Resume')} ariaLabel={fill(t('Common_ActionOn'), t(action === 'pause' ? 'Maps_Pause' : 'Maps_Resume'), m.name)} onClick={() => act(m, action)} />
                      )}
                      {m.state === 'initial_sync'
                        ? <DefaultButton text={t('Maps_ShowProgress')} ariaLabel={fill(t('Common_ActionOn'), t('Maps_ShowProgress'), m.name)} onClick={() => setProgressOf(m.name)} />
                        : <DefaultButton text={t('Maps_InitialSync')} ariaLabel={fill(t('Common_ActionOn'), t('Maps_InitialSync'), m.name)} onClick={() => setConfirming(m)} />}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableRegion>
      {progressOf && <InitialSyncProgress key={progressOf} map={progressOf} onClose={() => setProgressOf(null)} />}
      <Dialog
        hidden={!confirming}
        onDismiss={() => setConfirming(null)}
        dialogContentProps={{ type: DialogType.normal, title: confirming ? fill(t('InitialSync_ConfirmTitle'), confirming.name) : '', subText: t('InitialSync_ConfirmText') }}
        modalProps={{ isBlocking: false }}
      >
        <DialogFooter>
          <PrimaryButton text={t('InitialSync_Start')} onClick={() => { const m = confirming; setConfirming(null); if (m) void act(m, 'initial'); }} />
          <DefaultButton text={t('Common_Cancel')} onClick={() => setConfirming(null)} />
        </DialogFooter>
      </Dialog>
      <section className={classes.section} aria-labelledby="last-hour-title">
        <h3 id="last-hour-title">{t('Chart_Title')}</h3>
        <p className={classes.muted}>{t('Chart_Note')}</p>
        <div className={classes.charts}>
          {maps.map((m) => <LastHourChart key={m.name} map={m.name} samples={samples.current.get(m.name) ?? []} />)}
        </div>
      </section>
    </div>
  );
});
