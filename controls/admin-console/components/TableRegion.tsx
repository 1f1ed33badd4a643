// A wide table scrolls inside its own region, never the page sideways; the region is named and can take focus, so
// keyboard users can scroll it too.
import * as React from 'react';
import { classes } from './styles';

export const TableRegion = React.memo(function TableRegion({ label, children }: { label: string; children: React.ReactNode }) {
  return <div className={classes.scroll} role="region" aria-label={label} tabIndex={0}>{children}</div>;
});
