import * as React from 'react';
import type { Tone } from '../console-view';
import { toneClass } from './styles';

export const StateBadge = React.memo(function StateBadge({ label, tone, state }: { label: string; tone: Tone; state: string }) {
  return <span className={toneClass(tone)} data-state={state}>{label}</span>;
});
