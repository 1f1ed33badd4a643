// Two and then three bridges on one PostgreSQL share 5,000 F&O changes under load: every change reaches
// Dataverse, each job is processed by exactly one instance (per-worker counts add up to the number of
// changes), every instance takes a share, and every account is written exactly once.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Sandbox } from '@finops-bridge/sandbox';
import { startPostgres, type PgHarness } from '../../bridge-service/test/support/postgres';
import { engineDb } from '../../bridge-service/src/engine/schema';
import { WEBHOOK_SECRET, eventually, json, startBridge, startWorld, type Bridge } from '../e2e/support/harness';
import { TrialLog } from './support/trials';
import { logWrites, type WriteLog } from './support/write-log';

const CHANGES = 5_000;
let pg: PgHarness | null;
let sandbox: Sandbox;
let writes: WriteLog;
let log: TrialLog;

beforeAll(async () => {
  pg = await startPostgres();
  if (!pg) throw new Error('PostgreSQL binaries are missing: install postgresql (apt-get install -y postgresql) to run this test');
  sandbox = await startWorld({ customers: 6_200 });
  writes = logWrites(sandbox);
  log = new TrialLog('instances-postgres', 0, { instances: [2, 3], changes: CHANGES, concurrency: 8, pollMs: 20 });
  // Volume beyond the 6,000 requests / 5 minutes a real environment allows one app user: lift it here
  // (throttling is covered elsewhere; this test is about sharing work).
  await json(await fetch(`${sandbox.urls.dataverse}/_sandbox/faults`, {
    method: 'POST', body: JSON.stringify({ serviceProtection: { maxRequests: 1_000_000, windowSeconds: 300 } }),
  }));
  await json(await fetch(`${sandbox.urls.fno}/_sandbox/limits`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ windowSeconds: 300, maxRequests: 1_000_000, maxConcurrent: 52 }),
  }));
}, 120_000);

afterAll(async () => {
  writes?.restore();
  await sandbox?.close();
  await pg?.stop();
});

describe.each([2, 3])('%i instances on one PostgreSQL', (instances) => {
  const bridges: Bridge[] = [];
  let subscription = '';

  beforeAll(async () => {
    const databaseUrl = await pg!.createDatabase();
    // No Dataverse steps: this test counts F&O -> Dataverse jobs only (no echo jobs in between).
    for (let i = 0; i < instances; i++) bridges.push(await startBridge(sandbox, { databaseUrl, settings: { registerWebhooks: 'false', concurrency: 8, pollMs: 20 } }));
    subscription = (await json<{ id: string }>(await fetch(`${sandbox.urls.fno}/_sandbox/events/subscriptions`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'data', url: `${bridges[0].url}/webhooks/fno`, entitySets: ['CustomersV3'], headers: { 'x-bridge-webhook-key': WEBHOOK_SECRET } }),
    }))).id;
  }, 60_000);

  afterAll(async () => {
    if (subscription) await fetch(`${sandbox.urls.fno}/_sandbox/events/subscriptions/${subscription}`, { method: 'DELETE' }).then((r) => r.arrayBuffer());
    for (const b of bridges) await b.close();
  });

  it(`process ${CHANGES} changes with none processed twice`, async () => {
    const t0 = Date.now();
    const orgs = (sandbox.data.CustomersV3 as Record<string, unknown>[]).filter((r) => r.PartyType === 'Organization').slice(0, CHANGES);
    expect(orgs).toHaveLength(CHANGES);
    writes.clear();
    // Every round writes new values, so each change is one write (an update, or a create for a customer the seed left out).
    const base = 700_000 + instances * 10_000;
    for (let i = 0; i < orgs.length; i += 50) {
      await Promise.all(orgs.slice(i, i + 50).map((r, j) => fetch(`${sandbox.urls.fno}/_sandbox/records/CustomersV3`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ dataAreaId: r.dataAreaId, CustomerAccount: r.CustomerAccount, CreditLimit: base + i + j }),
      }).then((res) => res.arrayBuffer())));
    }
    const db = engineDb(bridges[0].app.bridge.store.db);
    await eventually(async () => {
      const r = await db.selectFrom('sync_jobs').select((eb) => eb.fn.countAll<string>().as('n')).where('state', '=', 'succeeded').executeTakeFirstOrThrow();
      return Number(r.n) === CHANGES;
    }, 180_000, 200);
    await Promise.all(bridges.map((b) => b.sync.engine().worker.idle(30_000)));

    const stats = bridges.map((x) => x.sync.engine().worker.stats);
    const perAccount = [...writes.dv.values()].map((c) => c.created + c.updated);
    const twice = perAccount.filter((n) => n > 1).length;
    log.add({
      trial: instances, rows: writes.dv.size, missing: CHANGES - writes.dv.size, duplicated: twice, ms: Date.now() - t0,
      processed: stats.map((s) => s.processed), failed: stats.map((s) => s.failed),
    });
    expect(stats.map((s) => s.failed)).toEqual(stats.map(() => 0));
    expect(stats.reduce((n, s) => n + s.processed, 0)).toBe(CHANGES);
    for (const s of stats) expect(s.processed).toBeGreaterThan(0);
    expect(writes.dv.size).toBe(CHANGES);
    expect(twice).toBe(0);
    const events = await db.selectFrom('sync_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(events.n)).toBe(CHANGES);
  }, 300_000);
});
