// What /metrics reports from the store, read when Prometheus scrapes (a handful of grouped queries through the
// repositories), never per request: each map's state, counters, pending, parked and lag; its initial sync;
// notification deliveries.
import type { Db } from '../schema';
import { createMapsRepo } from './maps';
import { createQueue } from './jobs';
import { createInitialRunsRepo } from './initial-runs';
import { createNotificationsRepo } from './notifications';

export interface StoreFigures {
  maps: {
    name: string; state: string; processed: number; written: number; failed: number; conflicts: number;
    pending: number; parked: number; lagSeconds: number;
  }[];
  initialSyncs: { map: string; state: string; total: number; done: number; failed: number }[];
  deliveries: { target: string; state: string; n: number }[];
}

export function createFiguresReader(db: Db, dialect: 'sqlite' | 'postgres'): () => Promise<StoreFigures> {
  const maps = createMapsRepo(db);
  const queue = createQueue(db, dialect);
  const runs = createInitialRunsRepo(db);
  const notifications = createNotificationsRepo(db);
  return async () => {
    const now = Date.now();
    const [rows, stats, initial, deliveries] = await Promise.all([maps.list(), queue.mapStats(), runs.all(), notifications.deliveryCounts()]);
    return {
      maps: rows.map((r) => {
        const st = stats.get(r.name);
        return {
          name: r.name, state: r.state, processed: Number(r.processed), written: Number(r.written), failed: Number(r.failed), conflicts: Number(r.conflicts),
          pending: st?.pending ?? 0, parked: st?.parked ?? 0,
          lagSeconds: st?.oldestPendingAt ? Math.max(0, (now - Date.parse(st.oldestPendingAt)) / 1000) : 0,
        };
      }),
      initialSyncs: initial.map((r) => ({ map: r.map_name, state: r.state, total: Number(r.total), done: Number(r.done), failed: Number(r.failed) })),
      deliveries,
    };
  };
}
