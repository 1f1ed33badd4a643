// The controls on one form tell each other that a record changed (a saved edit), so that the sync badge
// follows without a reload. A DOM event on the window: both controls live in the same page.
import * as React from 'react';

const EVENT = 'finops-bridge:record-changed';

export interface RecordChange { table: string; id: string }

export function announceRecordChanged(change: RecordChange): void {
  if (typeof window === 'undefined') return;
  window.dispatchEvent(new CustomEvent<RecordChange>(EVENT, { detail: change }));
}

/** Calls onChange when another control announces a change of this record. */
export function useRecordChanged(table: string | null, id: string | null, onChange: () => void): void {
  const latest = React.useRef(onChange);
  latest.current = onChange;
  React.useEffect(() => {
    if (!table || !id || typeof window === 'undefined') return;
    const listener = (e: Event) => {
      const d = (e as CustomEvent<RecordChange>).detail;
      if (d && d.table === table && d.id.toLowerCase() === id.toLowerCase()) latest.current();
    };
    window.addEventListener(EVENT, listener);
    return () => window.removeEventListener(EVENT, listener);
  }, [table, id]);
}
