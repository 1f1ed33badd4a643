// Record locks: while a job runs it holds the keys of both sides of its record (`<map>|fno|<key>` and
// `<map>|dv|<id>`), so the F&O-side and the Dataverse-side job of one record never run at once, in this
// process or in another instance on the same database. Try-locks only: a busy record defers the job a
// moment (no waiting, so no deadlock). A lock expires with its lease if its worker dies.
import { sql } from 'kysely';
import { keyJson } from './links';
import { nowIso, type Db } from '../schema';

/** Another job holds the record: the job is put back for a moment, without counting an attempt. */
export class RecordBusyError extends Error {
  constructor(readonly lockKey: string) {
    super(`the record ${lockKey} is being synced by another job`);
    this.name = 'RecordBusyError';
  }
}

export const fnoLockKey = (mapName: string, key: Record<string, string>): string => `${mapName}|fno|${keyJson(key)}`;
export const dvLockKey = (mapName: string, id: string): string => `${mapName}|dv|${id.toLowerCase()}`;

/** The locks of one running job. */
export interface LockScope {
  /** Takes the lock or throws RecordBusyError. Taking a key twice is a no-op. */
  hold(lockKey: string): Promise<void>;
  release(): Promise<void>;
}

export interface RecordLocks {
  scope(worker: string, jobId: string, leaseMs: number): LockScope;
  /** Extends the leases of every lock of a worker (its heartbeat). */
  renew(worker: string, leaseMs: number): Promise<void>;
}

export function createRecordLocks(db: Db): RecordLocks {
  return {
    scope(worker, jobId, leaseMs) {
      const held = new Set<string>();
      return {
        async hold(lockKey) {
          if (held.has(lockKey)) return;
          const now = nowIso();
          // Take a free key, or one whose lease ran out, or one this job already had (a retried statement).
          const r = await sql<{ lock_key: string }>`
            insert into sync_record_locks (lock_key, job_id, worker, lease_until)
            values (${lockKey}, ${jobId}, ${worker}, ${nowIso(Date.now() + leaseMs)})
            on conflict (lock_key) do update set job_id = excluded.job_id, worker = excluded.worker, lease_until = excluded.lease_until
            where sync_record_locks.lease_until < ${now} or sync_record_locks.job_id = excluded.job_id
            returning lock_key
          `.execute(db);
          if (r.rows.length === 0) throw new RecordBusyError(lockKey);
          held.add(lockKey);
        },
        async release() {
          if (held.size === 0) return;
          await db.deleteFrom('sync_record_locks').where('job_id', '=', jobId).where('worker', '=', worker).execute();
          held.clear();
        },
      };
    },
    async renew(worker, leaseMs) {
      await db.updateTable('sync_record_locks').set({ lease_until: nowIso(Date.now() + leaseMs) }).where('worker', '=', worker).execute();
    },
  };
}
