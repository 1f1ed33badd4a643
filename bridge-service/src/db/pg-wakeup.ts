// Several instances on one PostgreSQL: a webhook reaches one instance, but any may run the job. Each
// commit of new work NOTIFYs (repos/jobs.ts); every instance LISTENs on its own connection and wakes its
// worker at once instead of waiting for its next poll. A lost connection only costs latency (the poll
// still finds the work), and is re-established with backoff.
import pg from 'pg';
import type { Logger } from 'pino';
import { backoffDelay } from '../clients/backoff';

export const WAKE_CHANNEL = 'finops_bridge_jobs';

export interface Wakeup { stop(): Promise<void> }

export function listenForWork(databaseUrl: string, onWork: () => void, log: Pick<Logger, 'warn' | 'debug'>): Wakeup {
  let client: pg.Client | null = null;
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;

  async function connect(): Promise<void> {
    if (stopped) return;
    const c = new pg.Client({ connectionString: databaseUrl });
    c.on('error', () => undefined);
    c.on('end', () => { if (client === c) { client = null; retry(); } });
    c.on('notification', () => onWork());
    try {
      await c.connect();
      await c.query(`LISTEN ${WAKE_CHANNEL}`);
      if (stopped) { await c.end(); return; }
      client = c;
      failures = 0;
      log.debug('listening for work of other instances');
    } catch (err) {
      await c.end().catch(() => undefined);
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'cannot listen for work notifications; polling only until it reconnects');
      retry();
    }
  }

  function retry() {
    if (stopped) return;
    failures++;
    timer = setTimeout(() => void connect(), backoffDelay(failures, { baseMs: 500, capMs: 30_000 }));
    timer.unref();
  }

  void connect();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
