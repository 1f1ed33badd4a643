// The alert rule pauses a map when the services or the bridge keep failing, never because one record's data is
// refused (one user's failing edits must not stop the sync for everyone); and every failure is kept as a code
// with parameters beside its words.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { UpstreamError } from '../../clients/upstream-error';
import { openStore, type Store } from '../../db/connection';
import { createMapsRepo } from '../../db/repos/maps';
import { createQueue, type Queue } from '../../db/repos/jobs';
import { createRecordLocks } from '../../db/repos/locks';
import { SHIPPED_MAPS } from '../core/maps/shipped/index';
import { createWorker } from './worker';

const map = SHIPPED_MAPS.find((m) => m.name === 'customers-accounts')!;
let store: Store;
let queue: Queue;

beforeEach(async () => {
  store = await openStore({ sqliteFile: ':memory:' });
  queue = createQueue(store.db, 'sqlite');
});
afterEach(async () => {
  await store.close();
});

async function runWith(failure: () => Error, records: number) {
  const mapsRepo = createMapsRepo(store.db);
  await mapsRepo.ensure([map.name], 'running');
  const worker = createWorker({
    queue, mapsRepo, locks: createRecordLocks(store.db), maps: new Map([[map.name, map]]), log: pino({ level: 'silent' }),
    apply: async () => { throw failure(); },
    concurrency: 4, pollMs: 10, leaseMs: 30_000, alertErrors: 5, alertWindowMs: 600_000, lookupAttempts: 3, backoffBaseMs: 60_000, backoffCapMs: 60_000,
  });
  await queue.enqueue(Array.from({ length: records }, (_, i) => ({ mapName: map.name, side: 'dataverse' as const, recordKey: `r${i}`, message: 'Update' as const, dedupeKey: `e${i}` })));
  worker.start();
  try {
    for (let i = 0; i < 400; i++) {
      const busy = await store.db.selectFrom('sync_jobs').select('id').where('state', 'in', ['queued', 'running']).execute();
      if (busy.length === 0) break;
      if ((await mapsRepo.get(map.name))?.state === 'paused') break;
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    await worker.stop({ graceful: true, timeoutMs: 2000 });
  }
  return { state: (await mapsRepo.get(map.name))?.state, notes: await store.db.selectFrom('sync_notifications').selectAll().execute() };
}

describe('the alert rule', () => {
  it('does not pause the map for records whose data the other side refuses: they are parked, each with a code', async () => {
    const r = await runWith(() => new UpstreamError('fno', 400, "Customer group '99' does not exist."), 12);
    expect(r.state).toBe('running');
    expect(r.notes).toEqual([]);
    const parked = await store.db.selectFrom('sync_jobs').selectAll().where('state', '=', 'parked').execute();
    expect(parked).toHaveLength(12);
    const job = await queue.jobOf(map.name, 'dataverse', 'r0');
    expect(job).toMatchObject({
      lastErrorCode: 'SYNC_REJECTED',
      lastErrorParams: { side: 'fno', status: 400, serviceMessage: "Customer group '99' does not exist." },
      lastError: expect.stringMatching(/rejected the data \(HTTP 400\)/),
    });
  });

  it('pauses the map when a service keeps failing, and says so in a notification', async () => {
    const r = await runWith(() => new UpstreamError('dataverse', 503, 'Service Unavailable'), 12);
    expect(r.state).toBe('paused');
    expect(r.notes).toEqual([expect.objectContaining({ kind: 'map_paused_by_alert', message: expect.stringMatching(/errors of the services or the bridge/) })]);
    const retrying = await store.db.selectFrom('sync_jobs').selectAll().where('state', '=', 'retrying').executeTakeFirstOrThrow();
    expect({ code: retrying.last_error_code, params: JSON.parse(retrying.last_error_params ?? 'null') as unknown })
      .toEqual({ code: 'SYNC_TEMPORARY', params: { side: 'dataverse', status: 503, serviceMessage: 'Service Unavailable' } });
  });
});
