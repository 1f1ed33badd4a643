// Pending and parked records of one map over the last hour, from the console's own readings (the API keeps no
// history): a small SVG line chart, with the same figures in words for screen readers.
import * as React from 'react';
import { fill } from '../../common/strings';
import { chartLines, HISTORY_MS, type Sample } from '../console-view';
import { useConsole } from './console-context';
import { classes } from './styles';

const WIDTH = 280;
const HEIGHT = 80;
const PENDING = '#0078d4';
const PARKED = '#a4262c';

export const LastHourChart = React.memo(function LastHourChart({ map, samples }: { map: string; samples: readonly Sample[] }) {
  const { t, f } = useConsole();
  const now = samples.length ? samples[samples.length - 1].at : Date.now();
  const lines = chartLines(samples, now, WIDTH, HEIGHT);
  const recent = samples.filter((s) => now - s.at <= HISTORY_MS);
  const peak = (pick: (s: Sample) => number) => f.integer(Math.max(0, ...recent.map(pick)));
  const last = recent[recent.length - 1];
  const summary = fill(t('Chart_Summary'), map, f.integer(last?.pending ?? 0), peak((s) => s.pending), f.integer(last?.parked ?? 0), peak((s) => s.parked));
  return (
    <figure className={classes.chart} data-chart={map}>
      <svg width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary}>
        <path d={lines.pending} fill="none" stroke={PENDING} strokeWidth={1.5} />
        <path d={lines.parked} fill="none" stroke={PARKED} strokeWidth={1.5} strokeDasharray="4 2" />
      </svg>
      <figcaption>
        <strong>{map}</strong> <span className={classes.muted}>{fill(t('Chart_Max'), f.integer(lines.max))}</span>
        <span className={classes.legend}>
          <span><svg width="16" height="4" aria-hidden="true"><line x1="0" y1="2" x2="16" y2="2" stroke={PENDING} strokeWidth={2} /></svg>{t('Maps_Pending')}</span>
          <span><svg width="16" height="4" aria-hidden="true"><line x1="0" y1="2" x2="16" y2="2" stroke={PARKED} strokeWidth={2} strokeDasharray="4 2" /></svg>{t('Maps_Parked')}</span>
        </span>
      </figcaption>
    </figure>
  );
});
