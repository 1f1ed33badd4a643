// A labelled <select> of the maps (native: keyboard and screen readers know it without help).
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
