// The durable queue: change events are appended to sync_events and fold into one sync_jobs row per
// record and side, in the same transaction. Job states: contracts/states.ts (JOB_STATES). Claims take the oldest pending work under a lease; every
// settle checks the lease owner, so a worker that lost its lease cannot settle what another now holds.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { WAKE_CHANNEL } from '../pg-wakeup';
import { nowIso, type Db, type Executor, type EventMessage, type EventSide, type SyncJobsTable } from '../schema';
import { ACTIVE_JOB_STATES, FAILING_JOB_STATES, HELD_MAP_STATES, JOB_MOVES, type JobState } from '../../contracts/states';

export interface ChangeEvent {
  mapName: string;
  side: EventSide;
  /** Dataverse row id (lower case), or keyJson of the F&O key. */
  recordKey: string;
  message: EventMessage;
  /** Unique per notification: a redelivery carries the same key and is ignored. */
  dedupeKey: string;
  payload?: unknown;
}

/** Why a job failed: the words, and (from the failure classifier) a stable code with parameters. */
export interface JobError {
  message: string;
  code?: string;
  params?: Record<string, string | number>;
  /** Counted by the alert rule (default true: a failure nobody classified is not assumed to be harmless). */
  systemic?: boolean;
}

const asJobError = (e: string | JobError): JobError => (typeof e === 'string' ? { message: e } : e);

export interface Job {
  id: string;
  mapName: string;
  side: EventSide;
  recordKey: string;
  state: SyncJobsTable['state'];
  claimedSeq: number;
  lastEventSeq: number;
  lastMessage: EventMessage;
  attempts: number;
  lastError: string | null;
  lastErrorCode: string | null;
  lastErrorParams: Record<string, string | number> | null;
  /** The first change not applied yet (null when none is waiting). */
  pendingSinceSeq: number | null;
  updatedAt: string;
}

export function toJob(r: SyncJobsTable): Job {
  return {
    id: r.id, mapName: r.map_name, side: r.side, recordKey: r.record_key, state: r.state,
    claimedSeq: Number(r.claimed_seq ?? r.last_event_seq), lastEventSeq: Number(r.last_event_seq), lastMessage: r.last_message,
    attempts: r.attempts, lastError: r.last_error, lastErrorCode: r.last_error_code,
    lastErrorParams: r.last_error_params ? JSON.parse(r.last_error_params) as Record<string, string | number> : null, pendingSinceSeq: r.pending_since_seq === null ? null : Number(r.pending_since_seq), updatedAt: r.updated_at,
  };
}

/** States as SQL literals (the same text the migrations' CHECKs and index predicates hold). */
const states = (list: readonly string[]) => sql.join(list.map((v) => sql.lit(v)));
const state = (v: JobState) => sql.lit(v);
const { change, claim, complete, fail, park, release, retry, dismiss } = JOB_MOVES;

/**
 * The ids of the oldest claimable jobs: waiting, due, or running under an expired lease, of maps that run.
 * The first condition repeats the ready index's own (migration 003) so SQLite uses it, in claim order.
 */
export function claimable(now: string, limit: number) {
  return sql`
    select j.id from sync_jobs j
    where j.state in (${states(claim.from)})
      and (j.state <> ${state('running')} or j.lease_until < ${now})
      and j.next_run_at <= ${now}
      and not exists (select 1 from sync_maps m where m.name = j.map_name and m.state in (${states(HELD_MAP_STATES)}))
    order by j.pending_since_seq
    limit ${limit}`;
}

export interface Queue {
  /** Appends events and folds them into jobs, all in one transaction. Returns how many were new. */
  enqueue(events: ChangeEvent[], trx?: Executor): Promise<number>;
  claim(owner: string, limit: number, leaseMs: number): Promise<Job[]>;
  /** Done, or queued again when events arrived while it ran. False when the lease was lost. */
  complete(job: Job, owner: string): Promise<boolean>;
  retry(job: Job, owner: string, error: string | JobError, delayMs: number): Promise<boolean>;
  park(job: Job, owner: string, error: string | JobError): Promise<boolean>;
  /** Back to the queue after `delayMs`, no attempt counted (its record was busy with another job). */
  defer(job: Job, owner: string, delayMs: number): Promise<boolean>;
  /** Extends the lease of every job this owner runs (its heartbeat). */
  renew(owner: string, leaseMs: number): Promise<number>;
  /** Admin: run a parked or waiting job now. */
  requeue(jobId: string): Promise<boolean>;
  /** Admin: forget a parked job's error and drop its pending events. */
  dismiss(jobId: string): Promise<boolean>;
  /** Gives up every lease of this owner (graceful stop of a worker that could not finish). */
  releaseAll(owner: string): Promise<number>;
  pendingCount(mapName?: string): Promise<number>;
  /** The record's job on one side, if it has one. */
  jobOf(mapName: string, side: EventSide, recordKey: string): Promise<Job | null>;
  /** Whether the record has work waiting or running on that side. */
  isActive(mapName: string, side: EventSide, recordKey: string): Promise<boolean>;
  /** Changes of the job's record not applied yet (at least 1 for an active job). */
  pendingChangesOf(job: Job): Promise<number>;
  /** When the newest change of the record on that side was received. */
  lastReceivedAt(mapName: string, side: EventSide, recordKey: string): Promise<string | null>;
  /** The payload of one event (null when it was purged or had none). */
  eventPayload(seq: number): Promise<unknown>;
  /** Per map: pending and parked jobs, and when the oldest pending change was received (the lag). */
  mapStats(): Promise<Map<string, MapJobStats>>;
  /** Jobs that failed (parked) or are waiting to retry, newest first. */
  failing(o: { map?: string; limit: number }): Promise<Job[]>;
  /** Jobs with changes waiting (queued, running, retrying), the oldest waiting change first, with when it was received. */
  waiting(o: { map?: string; limit: number }): Promise<Array<Job & { waitingSince: string | null; nextRunAt: string }>>;
  /**
   * Forgets events received before `cutoff` of records whose job is finished (succeeded or gone): they only served
   * to fold and dedupe. Events of waiting, running, retrying or parked jobs are kept whatever their age.
   */
  purgeEvents(cutoff: string): Promise<number>;
}

export interface MapJobStats { pending: number; parked: number; oldestPendingAt: string | null }

export function createQueue(db: Db, dialect: 'sqlite' | 'postgres'): Queue {
  async function enqueueIn(trx: Executor, events: ChangeEvent[]): Promise<number> {
    let fresh = 0;
    for (const e of events) {
      const now = nowIso();
      const inserted = await trx.insertInto('sync_events').values({
        map_name: e.mapName, side: e.side, record_key: e.recordKey, message: e.message, received_at: now, dedupe_key: e.dedupeKey,
        payload: e.payload === undefined ? null : JSON.stringify(e.payload),
      }).onConflict((oc) => oc.column('dedupe_key').doNothing()).returning('seq').executeTakeFirst();
      if (!inserted) continue;
      fresh++;
      const seq = Number(inserted.seq);
      // A running job only learns that there is more to do; a done or parked one is queued afresh.
      await sql`
        insert into sync_jobs (id, map_name, side, record_key, state, pending_since_seq, last_event_seq, claimed_seq, last_message,
                               attempts, next_run_at, created_at, updated_at)
        values (${randomUUID()}, ${e.mapName}, ${e.side}, ${e.recordKey}, ${state(change.to[0])}, ${seq}, ${seq}, null, ${e.message}, 0, ${now}, ${now}, ${now})
        on conflict (map_name, side, record_key) do update set
          last_event_seq = excluded.last_event_seq,
          last_message = case when sync_jobs.last_message = 'Create' and sync_jobs.pending_since_seq is not null then sync_jobs.last_message else excluded.last_message end,
          updated_at = excluded.updated_at,
          pending_since_seq = coalesce(sync_jobs.pending_since_seq, excluded.pending_since_seq),
          state = case when sync_jobs.state in (${states(change.from)}) then ${state(change.to[0])} else sync_jobs.state end,
          attempts = case when sync_jobs.state in (${states(change.from)}) and sync_jobs.state <> ${state('queued')} then 0 else sync_jobs.attempts end,
          next_run_at = case when sync_jobs.state in (${states(change.from)}) then excluded.next_run_at else sync_jobs.next_run_at end
      `.execute(trx);
    }
    return fresh;
  }

  async function settle(job: Job, owner: string, extra: (now: string) => ReturnType<typeof sql>): Promise<boolean> {
    const now = nowIso();
    const r = await sql`
      update sync_jobs set ${extra(now)}, lease_owner = null, lease_until = null, updated_at = ${now}
      where id = ${job.id} and lease_owner = ${owner} and state = ${state('running')}
    `.execute(db);
    return Number(r.numAffectedRows ?? 0n) > 0;
  }

  async function logError(job: Job, e: JobError, permanent: boolean): Promise<void> {
    await db.insertInto('sync_errors').values({
      id: randomUUID(), job_id: job.id, map_name: job.mapName, permanent: permanent ? 1 : 0, message: e.message, code: e.code ?? null,
      systemic: e.systemic === false ? 0 : 1, at: nowIso(),
    }).execute();
  }

  const errorColumns = (e: JobError) =>
    sql`last_error = ${e.message}, last_error_code = ${e.code ?? null}, last_error_params = ${e.params ? JSON.stringify(e.params) : null}`;

  return {
    async enqueue(events, trx) {
      if (events.length === 0) return 0;
      const run = async (t: Executor) => {
        const fresh = await enqueueIn(t, events);
        // Delivered at commit to every instance listening (pg-wakeup.ts).
        if (fresh > 0 && dialect === 'postgres') await sql`select pg_notify(${WAKE_CHANNEL}, '')`.execute(t);
        return fresh;
      };
      if (trx) return run(trx);
      return db.transaction().execute(run);
    },

    async claim(owner, limit, leaseMs) {
      const now = nowIso();
      const until = nowIso(Date.now() + leaseMs);
      const lock = dialect === 'postgres' ? sql`for update of j skip locked` : sql``;
      const r = await sql<SyncJobsTable>`
        update sync_jobs set state = ${state(claim.to[0])}, lease_owner = ${owner}, lease_until = ${until}, claimed_seq = last_event_seq, updated_at = ${now}
        where id in (${claimable(now, limit)} ${lock})
        returning *
      `.execute(db);
      return r.rows.map(toJob).sort((a, b) => a.claimedSeq - b.claimedSeq);
    },

    async complete(job, owner) {
      return settle(job, owner, () => sql`
        state = case when last_event_seq > claimed_seq then ${state(complete.to[1])} else ${state(complete.to[0])} end,
        pending_since_seq = case when last_event_seq > claimed_seq then claimed_seq + 1 else null end,
        attempts = 0, last_error = null, last_error_code = null, last_error_params = null`);
    },

    async retry(job, owner, error, delayMs) {
      const e = asJobError(error);
      const ok = await settle(job, owner, () => sql`
        state = ${state(fail.to[0])}, attempts = attempts + 1, ${errorColumns(e)}, next_run_at = ${nowIso(Date.now() + delayMs)}`);
      if (ok) await logError(job, e, false);
      return ok;
    },

    async park(job, owner, error) {
      const e = asJobError(error);
      // A change that arrived while it ran may fix it: try again instead of parking.
      const ok = await settle(job, owner, (now) => sql`
        state = case when last_event_seq > claimed_seq then ${state(park.to[1])} else ${state(park.to[0])} end,
        attempts = attempts + 1, ${errorColumns(e)}, next_run_at = ${now}`);
      if (ok) await logError(job, e, true);
      return ok;
    },

    async defer(job, owner, delayMs) {
      // pending_since_seq is left alone: the events it covers are still to be applied.
      return settle(job, owner, () => sql`state = ${state(release.to[0])}, next_run_at = ${nowIso(Date.now() + delayMs)}`);
    },

    async renew(owner, leaseMs) {
      const r = await db.updateTable('sync_jobs').set({ lease_until: nowIso(Date.now() + leaseMs) })
        .where('lease_owner', '=', owner).where('state', '=', claim.to[0]).executeTakeFirst();
      return Number(r.numUpdatedRows);
    },

    async requeue(jobId) {
      const now = nowIso();
      const r = await db.updateTable('sync_jobs')
        // An admin's retry: "sync it as it is now", so a new record parked for matching an unlinked one is linked.
        .set({ state: retry.to[0], attempts: 0, last_message: 'Update', next_run_at: now, updated_at: now })
        .where('id', '=', jobId).where('state', 'in', retry.from).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    async dismiss(jobId) {
      const now = nowIso();
      const r = await db.updateTable('sync_jobs')
        .set({ state: dismiss.to[0], pending_since_seq: null, attempts: 0, updated_at: now })
        .where('id', '=', jobId).where('state', 'in', dismiss.from).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    async releaseAll(owner) {
      const now = nowIso();
      const r = await db.updateTable('sync_jobs')
        .set({ state: release.to[0], lease_owner: null, lease_until: null, next_run_at: now, updated_at: now })
        .where('lease_owner', '=', owner).where('state', '=', claim.to[0]).executeTakeFirst();
      return Number(r.numUpdatedRows);
    },

    async pendingCount(mapName) {
      let q = db.selectFrom('sync_jobs').select((eb) => eb.fn.countAll<number | string>().as('n')).where('state', 'in', ACTIVE_JOB_STATES);
      if (mapName) q = q.where('map_name', '=', mapName);
      const r = await q.executeTakeFirstOrThrow();
      return Number(r.n);
    },

    async jobOf(mapName, side, recordKey) {
      const r = await db.selectFrom('sync_jobs').selectAll().where('map_name', '=', mapName).where('side', '=', side)
        .where('record_key', '=', recordKey).executeTakeFirst();
      return r ? toJob(r) : null;
    },

    async isActive(mapName, side, recordKey) {
      const r = await db.selectFrom('sync_jobs').select('id').where('map_name', '=', mapName).where('side', '=', side)
        .where('record_key', '=', recordKey).where('state', 'in', ACTIVE_JOB_STATES).executeTakeFirst();
      return r !== undefined;
    },

    async pendingChangesOf(job) {
      const r = await db.selectFrom('sync_events').select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('map_name', '=', job.mapName).where('side', '=', job.side).where('record_key', '=', job.recordKey)
        .where('seq', '>=', job.pendingSinceSeq ?? job.lastEventSeq).executeTakeFirstOrThrow();
      return Math.max(1, Number(r.n));
    },

    async lastReceivedAt(mapName, side, recordKey) {
      const ev = await db.selectFrom('sync_events').select('received_at').where('map_name', '=', mapName).where('side', '=', side)
        .where('record_key', '=', recordKey).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      return ev?.received_at ?? null;
    },

    async eventPayload(seq) {
      const ev = await db.selectFrom('sync_events').select('payload').where('seq', '=', seq).executeTakeFirst();
      return ev?.payload ? JSON.parse(ev.payload) as unknown : null;
    },

    async mapStats() {
      const rows = await db.selectFrom('sync_jobs')
        .select(['map_name', 'state', (eb) => eb.fn.countAll<number | string>().as('n'), (eb) => eb.fn.min('pending_since_seq').as('oldest')])
        .groupBy(['map_name', 'state']).execute();
      const out = new Map<string, MapJobStats>();
      const oldestSeq = new Map<string, number>();
      for (const r of rows) {
        const m = out.get(r.map_name) ?? { pending: 0, parked: 0, oldestPendingAt: null };
        out.set(r.map_name, m);
        const active = (ACTIVE_JOB_STATES as readonly string[]).includes(r.state);
        if (active) m.pending += Number(r.n);
        if (r.state === 'parked') m.parked += Number(r.n);
        if (active && r.oldest !== null) oldestSeq.set(r.map_name, Math.min(oldestSeq.get(r.map_name) ?? Infinity, Number(r.oldest)));
      }
      for (const [mapName, seq] of oldestSeq) {
        const ev = await db.selectFrom('sync_events').select('received_at').where('seq', '>=', seq).where('map_name', '=', mapName)
          .orderBy('seq').limit(1).executeTakeFirst();
        out.get(mapName)!.oldestPendingAt = ev?.received_at ?? null;
      }
      return out;
    },

    async failing(o) {
      let q = db.selectFrom('sync_jobs').selectAll().where('state', 'in', FAILING_JOB_STATES);
      if (o.map) q = q.where('map_name', '=', o.map);
      return (await q.orderBy('updated_at', 'desc').limit(o.limit).execute()).map(toJob);
    },

    async waiting(o) {
      let q = db.selectFrom('sync_jobs').leftJoin('sync_events', 'sync_events.seq', 'sync_jobs.pending_since_seq')
        .selectAll('sync_jobs').select('sync_events.received_at as waiting_since').where('sync_jobs.state', 'in', ACTIVE_JOB_STATES);
      if (o.map) q = q.where('sync_jobs.map_name', '=', o.map);
      const rows = await q.orderBy('sync_jobs.pending_since_seq').orderBy('sync_jobs.id').limit(o.limit).execute();
      return rows.map((r) => ({ ...toJob(r), waitingSince: r.waiting_since ?? null, nextRunAt: r.next_run_at }));
    },

    async purgeEvents(cutoff) {
      const r = await db.deleteFrom('sync_events').where('received_at', '<', cutoff)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('sync_jobs').select('sync_jobs.id')
          .whereRef('sync_jobs.map_name', '=', 'sync_events.map_name').whereRef('sync_jobs.side', '=', 'sync_events.side')
          .whereRef('sync_jobs.record_key', '=', 'sync_events.record_key')
          .where('sync_jobs.state', 'in', [...ACTIVE_JOB_STATES, 'parked']))))
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
