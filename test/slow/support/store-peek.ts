// A look into a killed bridge's SQLite store (read-only, before it is started again): what the dead
// worker held in flight, so a trial can say whether its kill interrupted jobs at all.
import path from 'node:path';
import SQLite from 'better-sqlite3';

export interface QueueAtKill { running: number; queued: number }

export function queueAtKill(dataDir: string): QueueAtKill {
  const db = new SQLite(path.join(dataDir, 'bridge.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("SELECT state, count(*) AS n FROM sync_jobs WHERE state IN ('running', 'queued', 'retrying') GROUP BY state").all() as { state: string; n: number }[];
    const n = (s: string) => rows.find((r) => r.state === s)?.n ?? 0;
    return { running: n('running'), queued: n('queued') + n('retrying') };
  } finally {
    db.close();
  }
}
