// Calls `load` now and every `ms` while mounted (and again when `deps` change); keeps the last answer and error.
import * as React from 'react';

export function usePolling<T>(load: () => Promise<T>, ms: number, deps: React.DependencyList): { data: T | undefined; error: unknown; reload: () => Promise<void> } {
  const [data, setData] = React.useState<T | undefined>(undefined);
  const [error, setError] = React.useState<unknown>(undefined);
  const loadRef = React.useRef(load);
  loadRef.current = load;
  const alive = React.useRef(true);
  const reload = React.useCallback(async () => {
    try {
      const d = await loadRef.current();
      if (alive.current) {
        setData(d);
        setError(undefined);
      }
    } catch (e) {
      if (alive.current) setError(e);
    }
  }, []);
  React.useEffect(() => {
    alive.current = true;
    void reload();
    const timer = ms > 0 ? setInterval(() => void reload(), ms) : undefined;
    return () => {
      alive.current = false;
      if (timer) clearInterval(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what should restart the polling
  }, deps);
  return { data, error, reload };
}
