// The console's labelled filters: native <select> and <input> (keyboard and screen readers know them without help).
import * as React from 'react';
import { useConsole } from './console-context';
import { classes } from './styles';

export const MapFilter = React.memo(function MapFilter({ id, maps, value, onChange }: { id: string; maps: string[]; value: string; onChange: (map: string) => void }) {
  const { t } = useConsole();
  return (
    <label className={classes.field} htmlFor={id}>
      {t('Filter_Map')}
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('Filter_AllMaps')}</option>
        {maps.map((m) => <option key={m} value={m}>{m}</option>)}
      </select>
    </label>
  );
});

/** A job state among `states` (each shown as its JobState_ text), or all. */
export const StateFilter = React.memo(function StateFilter({ id, states, value, onChange }: { id: string; states: readonly string[]; value: string; onChange: (state: string) => void }) {
  const { t } = useConsole();
  return (
    <label className={classes.field} htmlFor={id}>
      {t('Filter_State')}
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('Filter_AllStates')}</option>
        {states.map((s) => <option key={s} value={s}>{t(`JobState_${s}`)}</option>)}
      </select>
    </label>
  );
});

export const TextFilter = React.memo(function TextFilter({ id, value, onChange }: { id: string; value: string; onChange: (text: string) => void }) {
  const { t } = useConsole();
  return (
    <label className={classes.field} htmlFor={id}>
      {t('Filter_Text')}
      <input id={id} type="text" value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
});
