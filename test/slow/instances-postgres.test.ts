// Two and then three bridges on one PostgreSQL share 5,000 F&O changes under load: every change reaches
// Dataverse, each job is processed by exactly one instance (per-worker counts add up to the number of
// changes), every instance takes a share, and every account is written exactly once. Then three again,
// one of them a separate process killed with SIGKILL in the middle: the other two take over its jobs
// once their leases expire, and still every change arrives and every account is written exactly once.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Sandbox } from '@finops-bridge/sandbox';
import { startPostgres, type PgHarness } from '../../bridge-service/test/support/postgres';
import type { Db } from '../../bridge-service/src/db/schema';
import { WEBHOOK_SECRET, eventually, json, startBridge, startWorld, type Bridge } from '../e2e/support/harness';
import fs from 'node:fs';
import { ChildBridge } from './support/child-bridge';
import { TrialLog, seededRandom, trialSeed } from './support/trials';
import { logWrites, type WriteLog } from './support/write-log';

const CHANGES = 5_000;
const seed = trialSeed();
const random = seededRandom(seed);
let pg: PgHarness | null;
let sandbox: Sandbox;
let writes: WriteLog;
let log: TrialLog;

beforeAll(async () => {
  pg = await startPostgres();
  if (!pg) throw new Error('PostgreSQL binaries are missing: install postgresql (apt-get install -y postgresql) to run this test');
  sandbox = await startWorld({ customers: 6_200, liftBudgets: true });
  writes = logWrites(sandbox);
  log = new TrialLog('instances-postgres', seed, { instances: [2, 3], changes: CHANGES, concurrency: 8, pollMs: 20 });
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

/** F&O data events of CustomersV3 to one bridge (the others share its queue); returns the subscription id. */
async function subscribeFno(bridgeUrl: string): Promise<string> {
  return (await json<{ id: string }>(await fetch(`${sandbox.urls.fno}/_sandbox/events/subscriptions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'data', url: `${bridgeUrl}/webhooks/fno?code=${encodeURIComponent(WEBHOOK_SECRET)}`, entitySets: ['CustomersV3'] }),
  }))).id;
}

async function unsubscribeFno(id: string): Promise<void> {
  if (id) await fetch(`${sandbox.urls.fno}/_sandbox/events/subscriptions/${id}`, { method: 'DELETE' }).then((r) => r.arrayBuffer());
}

describe.each([2, 3])('%i instances on one PostgreSQL', (instances) => {
  const bridges: Bridge[] = [];
  let subscription = '';

  beforeAll(async () => {
    const databaseUrl = await pg!.createDatabase();
    // No Dataverse steps: this test counts F&O -> Dataverse jobs only (no echo jobs in between).
    for (let i = 0; i < instances; i++) bridges.push(await startBridge(sandbox, { databaseUrl, settings: { registerWebhooks: 'false', concurrency: 8, pollMs: 20 } }));
    subscription = await subscribeFno(bridges[0].url);
  }, 60_000);

  afterAll(async () => {
    await unsubscribeFno(subscription);
    for (const b of bridges) await b.close();
  });

  it(`process ${CHANGES} changes with none processed twice`, async () => {
    const t0 = Date.now();
    await changeAll(700_000 + instances * 10_000);
    const db = bridges[0].app.bridge.store.db;
    await allSucceeded(db);
    await Promise.all(bridges.map((b) => b.sync.engine().worker.idle(30_000)));

    const stats = bridges.map((x) => x.sync.engine().worker.stats);
    const { twice, wrong } = checkAccounts();
    log.add({
      trial: instances, rows: writes.dv.size, missing: CHANGES - writes.dv.size + wrong.length, duplicated: twice.length, ms: Date.now() - t0,
      processed: stats.map((s) => s.processed), failed: stats.map((s) => s.failed),
    });
    expect(stats.map((s) => s.failed)).toEqual(stats.map(() => 0));
    expect(stats.reduce((n, s) => n + s.processed, 0)).toBe(CHANGES);
    for (const s of stats) expect(s.processed).toBeGreaterThan(0);
    expect(writes.dv.size).toBe(CHANGES);
    expect({ twice, wrong }).toEqual({ twice: [], wrong: [] });
    const events = await db.selectFrom('sync_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(events.n)).toBe(CHANGES);
  }, 300_000);
});

describe('3 instances on one PostgreSQL, one killed with SIGKILL under load', () => {
  const bridges: Bridge[] = [];
  let child: ChildBridge;
  let subscription = '';

  beforeAll(async () => {
    const databaseUrl = await pg!.createDatabase();
    const settings = { registerWebhooks: 'false', concurrency: 8, pollMs: 20, leaseMs: 5000 } as const;
    for (let i = 0; i < 2; i++) bridges.push(await startBridge(sandbox, { databaseUrl, settings }));
    const logFile = log.logFile(4);
    fs.rmSync(logFile, { force: true });
    child = new ChildBridge({ sandbox, databaseUrl, settings, logFile, logLevel: 'info' });
    await child.start();
    subscription = await subscribeFno(bridges[0].url);
  }, 60_000);

  afterAll(async () => {
    await unsubscribeFno(subscription);
    await child?.kill();
    for (const b of bridges) await b.close();
  });

  it(`process ${CHANGES} changes, every account written once, though one instance died`, async () => {
    const t0 = Date.now();
    const db = bridges[0].app.bridge.store.db;
    const succeeded = async () => Number((await db.selectFrom('sync_jobs').select((eb) => eb.fn.countAll<string>().as('n')).where('state', '=', 'succeeded').executeTakeFirstOrThrow()).n);
    const killAfter = Math.round(500 + random() * 3000);
    const killer = (async () => {
      await new Promise((r) => setTimeout(r, killAfter));
      const done = await succeeded();
      const running = await db.selectFrom('sync_jobs').select((eb) => eb.fn.countAll<string>().as('n')).where('state', '=', 'running').executeTakeFirstOrThrow();
      await child.kill();
      return `${done} jobs succeeded and ${Number(running.n)} running across the instances`;
    })();
    await changeAll(800_000);
    const killMoment = await killer;
    await allSucceeded(db);
    await Promise.all(bridges.map((b) => b.sync.engine().worker.idle(30_000)));

    const stats = bridges.map((x) => x.sync.engine().worker.stats);
    const { twice, wrong } = checkAccounts();
    log.add({
      trial: 4, killAtMs: killAfter, killMoment: `one of 3 instances, ${killMoment}`, rows: writes.dv.size, missing: CHANGES - writes.dv.size + wrong.length,
      duplicated: twice.length, ms: Date.now() - t0, processedBySurvivors: stats.map((s) => s.processed), failed: stats.map((s) => s.failed),
    });
    expect(stats.map((s) => s.failed)).toEqual([0, 0]);
    // The survivors took over: both kept working after the kill. Whether the dead instance finished a job before
    // the kill depends on the machine's speed, so it is not asserted (nothing lost and nothing twice is).
    for (const s of stats) expect(s.processed).toBeGreaterThan(0);
    expect(writes.dv.size).toBe(CHANGES);
    expect({ twice, wrong }).toEqual({ twice: [], wrong: [] });
  }, 420_000);
});

const organisations = () => (sandbox.data.CustomersV3 as Record<string, unknown>[]).filter((r) => r.PartyType === 'Organization').slice(0, CHANGES);
const expected = new Map<string, number>();

/** Changes the credit limit of the first 5,000 organisation customers in F&O, 50 at a time. */
async function changeAll(base: number): Promise<void> {
  const orgs = organisations();
  expect(orgs).toHaveLength(CHANGES);
  writes.clear();
  expected.clear();
  for (let i = 0; i < orgs.length; i += 50) {
    await Promise.all(orgs.slice(i, i + 50).map((r, j) => {
      expected.set(`${String(r.dataAreaId)}|${String(r.CustomerAccount)}`, base + i + j);
      return fetch(`${sandbox.urls.fno}/_sandbox/records/CustomersV3`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ dataAreaId: r.dataAreaId, CustomerAccount: r.CustomerAccount, CreditLimit: base + i + j }),
      }).then((res) => res.arrayBuffer());
    }));
  }
}

async function allSucceeded(db: Db): Promise<void> {
  await eventually(async () => {
    const r = await db.selectFrom('sync_jobs').select((eb) => eb.fn.countAll<string>().as('n')).where('state', '=', 'succeeded').executeTakeFirstOrThrow();
    return Number(r.n) === CHANGES;
  }, 300_000, 200); // 55-103 s measured; once, in CI, the kill trial passed 180 s (see RELIABILITY.md)
}

/** Accounts written more than once, and accounts whose credit limit is not the last F&O change. */
function checkAccounts(): { twice: string[]; wrong: string[] } {
  const twice = [...writes.dv].filter(([, c]) => c.created + c.updated > 1).map(([id, c]) => `${id}: ${c.created} created, ${c.updated} updated`);
  const companies = new Map(sandbox.dataverse.store.all('cdm_company').map((c) => [String(c.cdm_companyid), String(c.cdm_companycode)]));
  const have = new Map(sandbox.dataverse.store.all('account').map((a) => [`${companies.get(String(a._msdyn_company_value))}|${String(a.accountnumber)}`, Number(a.creditlimit)]));
  const wrong = [...expected].filter(([k, v]) => have.get(k) !== v).map(([k, v]) => `${k}: ${String(have.get(k))} != ${v}`);
  return { twice: twice.slice(0, 20), wrong: wrong.slice(0, 20) };
}
