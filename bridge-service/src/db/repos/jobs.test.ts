import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openStore, type Store } from '../connection';
import { claimable, createQueue, toJob, type ChangeEvent, type Job, type Queue } from './jobs';
import { nowIso, type Db } from '../schema';
import { createRecordLocks, RecordBusyError } from './locks';
import { listenForWork } from '../pg-wakeup';
import { startPostgres, type PgHarness } from '../../../test/support/postgres';
import { JOB_STATES_004, MAP_STATES_004 } from '../migrations/004_state_checks';
import { canMoveJob, JOB_MOVES, JOB_STATES, MAP_STATES, type JobState } from '../../contracts/states';

let cluster: PgHarness | null;
beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

const ev = (recordKey: string, n: number | string, extra: Partial<ChangeEvent> = {}): ChangeEvent => ({
  mapName: 'customers-accounts', side: 'dataverse', recordKey, message: 'Update', dedupeKey: `${recordKey}:${n}`, ...extra,
});

// PostgreSQL runs where its binaries are (the bridge's harness fails loudly on CI without them).
describe('the state lists the database enforces (migration 004)', () => {
  it('are the states the code defines', () => {
    expect([...JOB_STATES_004]).toEqual([...JOB_STATES]);
    expect([...MAP_STATES_004]).toEqual([...MAP_STATES]);
  });
});

describe.each(['sqlite', 'postgres'] as const)('queue on %s', (dialect) => {
  let store: Store;
  let db: Db;
  let q: Queue;

  beforeAll(async () => {
    if (dialect === 'postgres' && !cluster) throw new Error('PostgreSQL binaries are missing: install postgresql to run the queue tests on PostgreSQL');
    store = dialect === 'sqlite' ? await openStore({ sqliteFile: ':memory:' }) : await openStore({ databaseUrl: await cluster!.createDatabase() });
    db = store.db;
    q = createQueue(db, store.dialect);
  }, 30_000);
  afterAll(async () => {
    await store?.close();
  });

  async function reset() {
    await db.deleteFrom('sync_jobs').execute();
    await db.deleteFrom('sync_events').execute();
    await db.deleteFrom('sync_maps').execute();
    await db.deleteFrom('sync_errors').execute();
  }

  it('moves a job only as the table in contracts/states.ts says, and makes every move the table names', async () => {
    let n = 0;
    const ops: Record<string, (job: Job) => Promise<unknown>> = {
      change: () => q.enqueue([ev('moves', `m${++n}`)]),
      claim: () => q.claim('w1', 10, 60_000),
      complete: (job) => q.complete(job, 'w1'),
      fail: (job) => q.retry(job, 'w1', 'boom', 0),
      park: (job) => q.park(job, 'w1', 'boom'),
      defer: (job) => q.defer(job, 'w1', 0),
      releaseAll: () => q.releaseAll('w1'),
      requeue: (job) => q.requeue(job.id),
      dismiss: (job) => q.dismiss(job.id),
    };
    // Every state, with and without a change that arrived while it ran, with a live and an expired lease.
    const setups = [
      { newer: false, leaseMs: 60_000 }, { newer: true, leaseMs: 60_000 }, { newer: false, leaseMs: -60_000 },
    ];
    const seen = new Set<string>();
    for (const from of JOB_STATES) {
      for (const setup of setups) {
        for (const [name, op] of Object.entries(ops)) {
          await reset();
          await q.enqueue([ev('moves', `m${++n}`), ev('moves', `m${++n}`)]);
          const row = await db.selectFrom('sync_jobs').selectAll().executeTakeFirstOrThrow();
          const claimed = Number(row.last_event_seq) - (setup.newer ? 1 : 0);
          await db.updateTable('sync_jobs').set({
            state: from, lease_owner: 'w1', lease_until: nowIso(Date.now() + setup.leaseMs), claimed_seq: claimed, next_run_at: nowIso(Date.now() - 1000),
          }).execute();
          await op(toJob(await db.selectFrom('sync_jobs').selectAll().executeTakeFirstOrThrow()));
          const after = (await db.selectFrom('sync_jobs').select('state').executeTakeFirstOrThrow()).state;
          if (after === from) continue;
          expect({ op: name, from, after, allowed: canMoveJob(from, after) }).toEqual({ op: name, from, after, allowed: true });
          seen.add(`${from} -> ${after}`);
        }
      }
    }
    const declared = new Set(Object.values(JOB_MOVES).flatMap((m) => m.from.flatMap((f: JobState) => m.to.filter((t) => t !== f).map((t) => `${f} -> ${t}`))));
    expect([...seen].sort()).toEqual([...declared].sort());
  }, 60_000);

  it('ignores a redelivered event and folds a burst into one job', async () => {
    await reset();
    expect(await q.enqueue([ev('a', 1), ev('a', 1), ev('a', 2), ev('a', 3)])).toBe(3);
    const jobs = await db.selectFrom('sync_jobs').selectAll().execute();
    expect(jobs).toHaveLength(1);
    expect(jobs[0].state).toBe('queued');
    const claimed = await q.claim('w1', 10, 60_000);
    expect(claimed).toHaveLength(1);
    expect(await q.claim('w2', 10, 60_000)).toHaveLength(0);
    expect(await q.complete(claimed[0], 'w1')).toBe(true);
    expect((await db.selectFrom('sync_jobs').select('state').executeTakeFirstOrThrow()).state).toBe('succeeded');
  });

  it('claims the oldest pending record first and holds paused maps', async () => {
    await reset();
    await q.enqueue([ev('b', 1), ev('c', 1), ev('d', 1, { mapName: 'vendors' })]);
    await db.insertInto('sync_maps').values({
      name: 'vendors', state: 'paused', state_since: '', processed: 0, written: 0, failed: 0, conflicts: 0, updated_at: '',
    }).execute();
    const claimed = await q.claim('w1', 10, 60_000);
    expect(claimed.map((j) => j.recordKey)).toEqual(['b', 'c']);
    await db.updateTable('sync_maps').set({ state: 'catching_up' }).execute();
    expect((await q.claim('w1', 10, 60_000)).map((j) => j.recordKey)).toEqual(['d']);
  });

  it('requeues instead of done when an event arrived while the job ran', async () => {
    await reset();
    await q.enqueue([ev('e', 1)]);
    const [job] = await q.claim('w1', 1, 60_000);
    await q.enqueue([ev('e', 2)]);
    const row = await db.selectFrom('sync_jobs').selectAll().executeTakeFirstOrThrow();
    expect(row.state).toBe('running');
    expect(await q.complete(job, 'w1')).toBe(true);
    const after = await db.selectFrom('sync_jobs').selectAll().executeTakeFirstOrThrow();
    expect(after.state).toBe('queued');
    expect(await q.claim('w1', 1, 60_000)).toHaveLength(1);
  });

  it('refuses a settle from a worker that lost its lease', async () => {
    await reset();
    await q.enqueue([ev('f', 1)]);
    const [job] = await q.claim('w1', 1, 1);
    await new Promise((r) => setTimeout(r, 5));
    const [stolen] = await q.claim('w2', 1, 60_000);
    expect(stolen.id).toBe(job.id);
    expect(await q.complete(job, 'w1')).toBe(false);
    expect(await q.retry(job, 'w1', 'x', 10)).toBe(false);
    expect(await q.complete(stolen, 'w2')).toBe(true);
  });

  it('retries later with the error stored, parks permanent failures, and lets an admin requeue or dismiss', async () => {
    await reset();
    await q.enqueue([ev('g', 1), ev('h', 1)]);
    const [g, h] = await q.claim('w1', 2, 60_000);
    expect(await q.retry(g, 'w1', 'F&O answered 503', 60_000)).toBe(true);
    expect(await q.park(h, 'w1', 'customer group 99 does not exist')).toBe(true);
    expect(await q.claim('w1', 10, 60_000)).toHaveLength(0);
    const rows = await db.selectFrom('sync_jobs').selectAll().orderBy('record_key').execute();
    expect(rows.map((r) => [r.state, r.attempts, r.last_error])).toEqual([
      ['retrying', 1, 'F&O answered 503'], ['parked', 1, 'customer group 99 does not exist'],
    ]);
    expect(await db.selectFrom('sync_errors').selectAll().execute()).toHaveLength(2);
    expect(await q.requeue(h.id)).toBe(true);
    expect((await q.claim('w1', 10, 60_000)).map((j) => j.recordKey)).toEqual(['h']);
    expect(await q.dismiss(g.id)).toBe(true);
    expect(await q.pendingCount()).toBe(1);
  });

  it('defers a job without counting an attempt, and renews the leases of a live worker', async () => {
    await reset();
    await q.enqueue([ev('k', 1)]);
    const [job] = await q.claim('w1', 1, 50);
    expect(await q.renew('w1', 60_000)).toBe(1);
    await new Promise((r) => setTimeout(r, 80));
    expect(await q.claim('w2', 1, 60_000)).toHaveLength(0); // renewed: not expired
    // Wide margins: on a busy 2-core machine a claim can take tens of milliseconds.
    expect(await q.defer(job, 'w1', 1000)).toBe(true);
    expect(await q.claim('w2', 1, 60_000)).toHaveLength(0); // not before its time
    await new Promise((r) => setTimeout(r, 1050));
    const [again] = await q.claim('w2', 1, 60_000);
    expect(again.id).toBe(job.id);
    expect(again.attempts).toBe(0);
    expect(await db.selectFrom('sync_errors').selectAll().where('job_id', '=', job.id).execute()).toHaveLength(0);
  });

  it('record locks: one holder per key, re-entrant for its job, free after release or lease expiry', async () => {
    await db.deleteFrom('sync_record_locks').execute();
    const locks = createRecordLocks(db);
    const a = locks.scope('w1', 'job-a', 60_000);
    const b = locks.scope('w2', 'job-b', 60_000);
    await a.hold('m|fno|{"k":"1"}');
    await a.hold('m|fno|{"k":"1"}');
    await expect(b.hold('m|fno|{"k":"1"}')).rejects.toBeInstanceOf(RecordBusyError);
    await b.hold('m|dv|x');
    await a.release();
    await b.hold('m|fno|{"k":"1"}');
    await b.release();
    const short = locks.scope('w3', 'job-c', 20);
    await short.hold('m|dv|y');
    await expect(a.hold('m|dv|y')).rejects.toBeInstanceOf(RecordBusyError);
    await new Promise((r) => setTimeout(r, 40));
    await a.hold('m|dv|y'); // its worker died: the lease ran out
    await locks.renew('w1', 60_000);
    const rows = await db.selectFrom('sync_record_locks').selectAll().execute();
    expect(rows.map((r) => [r.lock_key, r.job_id])).toEqual([['m|dv|y', 'job-a']]);
    await a.release();
    expect(await db.selectFrom('sync_record_locks').selectAll().execute()).toHaveLength(0);
  });

  it('wakes every listening instance when new work commits (PostgreSQL)', async () => {
    if (dialect !== 'postgres') return;
    let woken = 0;
    const url = await cluster!.createDatabase();
    const other = await openStore({ databaseUrl: url });
    const listener = listenForWork(url, () => { woken++; }, { warn: () => undefined, debug: () => undefined });
    try {
      const q2 = createQueue(other.db, 'postgres');
      const until = Date.now() + 5_000;
      while (woken === 0 && Date.now() < until) {
        await q2.enqueue([ev(`w${Date.now()}`, 1)]); // the first may commit before LISTEN is in place
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(woken).toBeGreaterThan(0);
      const before = woken;
      await q2.enqueue([ev('w-dup', 1)]);
      await q2.enqueue([ev('w-dup', 1)]); // a redelivery: nothing new, no wake-up
      await new Promise((r) => setTimeout(r, 200));
      expect(woken).toBe(before + 1);
    } finally {
      await listener.stop();
      await other.close();
    }
  });

  it('forgets old events of finished records only: waiting, retrying and parked records keep theirs', async () => {
    await reset();
    await q.enqueue([ev('done', 1), ev('done', 2), ev('waiting', 1), ev('parked', 1)]);
    const [first] = await q.claim('w1', 1, 60_000);
    expect(first.recordKey).toBe('done');
    await q.complete(first, 'w1');
    const jobs = await q.claim('w1', 10, 60_000);
    await q.park(jobs.find((j) => j.recordKey === 'parked')!, 'w1', 'a reason');
    await q.retry(jobs.find((j) => j.recordKey === 'waiting')!, 'w1', 'later', 60_000);
    await q.enqueue([ev('fresh', 1)]);
    const events = async () => (await db.selectFrom('sync_events').select(['record_key', 'received_at']).orderBy('seq').execute()).map((e) => e.record_key);
    // Nothing is old yet.
    expect(await q.purgeEvents(new Date(Date.now() - 3_600_000).toISOString())).toBe(0);
    // Everything received before the cutoff is old: only the finished record's events go.
    expect(await q.purgeEvents(new Date(Date.now() + 1000).toISOString())).toBe(2);
    expect(await events()).toEqual(['waiting', 'parked', 'fresh']);
  });

  it('refuses a job or map state the code does not define', async () => {
    await reset();
    await q.enqueue([ev('s', 1)]);
    expect(await db.selectFrom('sync_jobs').select('state').execute()).toEqual([{ state: 'queued' }]);
    // The driver's error may come from another realm (a native module shared by the test files of one jest
    // worker), so its message is compared, not its class.
    const failure = (p: Promise<unknown>) => p.then(() => 'no error', (e: unknown) => String((e as { message?: unknown }).message ?? e));
    expect(await failure(db.updateTable('sync_jobs').set({ state: 'finished' as never }).execute())).toMatch(/state/);
    expect((await db.selectFrom('sync_jobs').select('state').executeTakeFirstOrThrow()).state).toBe('queued');
    await db.updateTable('sync_jobs').set({ state: 'parked' }).execute();
    expect(await failure(db.insertInto('sync_maps').values({
      name: 'm', state: 'stopped' as never, state_since: nowIso(), processed: 0, written: 0, failed: 0, conflicts: 0, updated_at: '',
    }).execute())).toMatch(/state/);
  });

  it('claims through the ready index (no scan of settled jobs)', async () => {
    if (dialect !== 'sqlite') return;
    const plan = await sql<{ detail: string }>`explain query plan ${claimable(nowIso(), 5)}`.execute(db);
    const text = plan.rows.map((r) => r.detail).join(' | ');
    expect(text).toMatch(/sync_jobs_ready_ix/);
    expect(text).not.toMatch(/TEMP B-TREE/);
  });

  it('gives each job to exactly one of several concurrent claimers', async () => {
    await reset();
    const events = Array.from({ length: 300 }, (_, i) => ev(`r${i}`, 1));
    await q.enqueue(events);
    const seen = new Map<string, number>();
    const worker = async (name: string) => {
      for (;;) {
        const jobs = await q.claim(name, 7, 60_000);
        if (jobs.length === 0) return;
        for (const j of jobs) {
          seen.set(j.recordKey, (seen.get(j.recordKey) ?? 0) + 1);
          expect(await q.complete(j, name)).toBe(true);
        }
      }
    };
    await Promise.all(['a', 'b', 'c', 'd'].map(worker));
    expect(seen.size).toBe(300);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });
});
