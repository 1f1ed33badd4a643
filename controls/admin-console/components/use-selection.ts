// The rows ticked for a bulk action, kept to the rows still listed.
import * as React from 'react';

export function useSelection(ids: readonly string[]) {
  const [selected, setSelected] = React.useState<ReadonlySet<string>>(new Set());
  const listed = React.useMemo(() => new Set(ids), [ids]);
  const current = React.useMemo(() => new Set([...selected].filter((id) => listed.has(id))), [selected, listed]);
  return {
    selected: current,
    toggle: (id: string) => setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    }),
    setAll: (on: boolean) => setSelected(on ? new Set(ids) : new Set()),
    allSelected: ids.length > 0 && current.size === ids.length,
  };
}
