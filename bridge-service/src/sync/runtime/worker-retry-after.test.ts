// The worker honours the wait a throttled service names: F&O answers 429 with Retry-After (its service
// protection), the client gives up after its own retries, and the job is retried no sooner than that wait.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { FnoClient } from '../../clients/fno-client';
import { createHttpService } from '../../clients/http';
import { openStore, type Store } from '../../db/connection';
import { SHIPPED_MAPS } from '../core/maps/shipped/index';
import { createMapsRepo } from '../../db/repos/maps';
import { createQueue } from '../../db/repos/jobs';
import { createRecordLocks } from '../../db/repos/locks';
import { createWorker } from './worker';

const RETRY_AFTER_S = 7;
let server: Server;
let store: Store;
let requests = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    requests++;
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(RETRY_AFTER_S) })
      .end(JSON.stringify({ error: { code: '', message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.' } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  store = await openStore({ sqliteFile: ':memory:' });
});
afterAll(async () => {
  await store?.close();
  await new Promise((r) => server.close(r));
});

describe('worker and Retry-After', () => {
  it('retries a job no sooner than the Retry-After F&O named, not by its own short backoff', async () => {
    const db = store.db;
    const queue = createQueue(db, 'sqlite');
    const mapsRepo = createMapsRepo(db);
    const map = SHIPPED_MAPS.find((m) => m.name === 'customers-accounts')!;
    await mapsRepo.ensure([map.name], 'running');
    const fno = new FnoClient(createHttpService({ name: 'fno', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/data`, concurrency: 1, timeoutMs: 2000, retries: 0 }));
    const worker = createWorker({
      queue, mapsRepo, locks: createRecordLocks(db), maps: new Map([[map.name, map]]), log: pino({ level: 'silent' }),
      apply: async () => {
        await fno.getByKey('CustomersV3', { dataAreaId: 'usmf', CustomerAccount: 'US-001' }, { crossCompany: true });
        return { kind: 'unchanged' };
      },
      concurrency: 1, pollMs: 20, leaseMs: 30_000, alertErrors: 0, alertWindowMs: 60_000, lookupAttempts: 3,
      backoffBaseMs: 10, backoffCapMs: 100,
    });
    await queue.enqueue([{ mapName: map.name, side: 'fno', recordKey: '{"CustomerAccount":"US-001","dataAreaId":"usmf"}', message: 'Update', dedupeKey: 'e1' }]);
    const before = Date.now();
    worker.start();
    try {
      let job;
      for (let i = 0; i < 200; i++) {
        job = await db.selectFrom('sync_jobs').selectAll().executeTakeFirst();
        if (job?.state === 'retrying') break;
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(job?.state).toBe('retrying');
      if (!job) throw new Error('no job');
      expect(Date.parse(job.next_run_at) - before).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000 - 50);
      expect(job.last_error).toMatch(/slow down/);
      // And it waits: no second request to F&O within the backoff the worker would otherwise use.
      await new Promise((r) => setTimeout(r, 300));
      expect(requests).toBe(1);
    } finally {
      await worker.stop({ graceful: false });
    }
  });
});
