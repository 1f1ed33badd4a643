// Issue 14: Dataverse counts its service protection limits per user, and Microsoft's advice for more throughput is
// to spread the work over several application users. With strict (low) per-user limits in the sandbox, an initial
// sync with three application users sends its $batch writes as all three and completes, where the same run as one
// user is throttled; and a 429 for one user slows that user only.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BRIDGE_APP_OID, EXTRA_BRIDGE_CLIENTS, startSandbox, type Sandbox } from '@finops-bridge/sandbox';
import { json, startBridge, type Bridge } from '../e2e/support/harness';
import { createHttpService } from '../../bridge-service/src/clients/http';
import { createTokenProvider } from '../../bridge-service/src/clients/token-provider';
import { createUserPool } from '../../bridge-service/src/clients/user-pool';

let sandbox: Sandbox;
const OIDS = [BRIDGE_APP_OID, ...EXTRA_BRIDGE_CLIENTS.map((c) => c.oid)];
type Callers = Record<string, { admitted: number; throttled: number } | undefined>;

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.arrayBuffer());
const callers = async () => (await json<{ callers: Callers }>(await fetch(`${sandbox.urls.dataverse}/_sandbox/stats`))).callers;

beforeAll(async () => {
  sandbox = await startSandbox({ customers: 60, quiet: true, fastRetries: true });
}, 60_000);
afterAll(async () => { await sandbox?.close(); });

/** Every account removed, the per-user budget set, counters at zero: each run creates the same rows. */
async function freshDataverse(maxRequests: number) {
  await post(`${sandbox.urls.dataverse}/_sandbox/reset`, {});
  for (const row of sandbox.dataverse.store.all('account')) sandbox.dataverse.store.remove('account', String(row.accountid));
  await post(`${sandbox.urls.dataverse}/_sandbox/faults`, { serviceProtection: { maxRequests, windowSeconds: 300 } });
}

/** An initial sync of the nlmf accounts one row a page (one $batch each), with `extraUsers` more application users. */
async function initialSync(extraUsers: number, timeoutMs: number) {
  const bridge: Bridge = await startBridge(sandbox, {
    settings: { initialMapState: 'not_running', registerWebhooks: 'false', worker: false },
    env: { EXTRA_CLIENT_IDS: EXTRA_BRIDGE_CLIENTS.slice(0, extraUsers).map((c) => c.clientId).join(','), EXTRA_CLIENT_SECRETS: EXTRA_BRIDGE_CLIENTS.slice(0, extraUsers).map((c) => c.clientSecret).join(','), HTTP_RETRIES: '1' },
  });
  const adminToken = await sandbox.getToken('admin', 'bridge');
  const admin = (method: 'GET' | 'POST', path: string, body?: unknown) => fetch(`${bridge.url}/api/v1/admin${path}`, {
    method, headers: { authorization: `Bearer ${adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
  });
  try {
    expect((await admin('POST', '/maps/customers-accounts/initial-sync', { legalEntities: ['nlmf'], pageSize: 1 })).status).toBe(202);
    const until = Date.now() + timeoutMs;
    let p: { state: string; done: number; total: number; retries: number; lastTransientError: string | null };
    do {
      await new Promise((r) => setTimeout(r, 100));
      p = await json(await admin('GET', '/maps/customers-accounts/initial-sync'));
    } while (p.state === 'running' && Date.now() < until);
    const users = bridge.sync.engine().ctx.clients.bulk?.users;
    return { progress: p, sent: users?.sent() ?? [] };
  } finally {
    await bridge.close();
  }
}

describe('several application users (EXTRA_CLIENT_IDS)', () => {
  it('the sandbox knows the extra application users: tokens by client secret, each its own systemuser with the bridge\'s role', async () => {
    for (const c of EXTRA_BRIDGE_CLIENTS) {
      const tokens = createTokenProvider({ tokenUrl: sandbox.urls.tokenEndpoint, clientId: c.clientId, clientSecret: c.clientSecret });
      const who = await json<{ UserId: string }>(await fetch(`${sandbox.urls.dataverseApi}/WhoAmI`, { headers: { authorization: `Bearer ${await tokens.getToken(sandbox.urls.dataverse)}` } }));
      expect(who.UserId).toBe(c.systemUserId);
    }
    const wrong = createTokenProvider({ tokenUrl: sandbox.urls.tokenEndpoint, clientId: EXTRA_BRIDGE_CLIENTS[0].clientId, clientSecret: 'not-the-secret' });
    await expect(wrong.getToken(sandbox.urls.dataverse)).rejects.toThrow(/token request failed/);
  });

  it('an initial sync with three users sends its batches as all three and completes within a per-user budget that throttles one user', async () => {
    // One user, budget lifted: how many requests the run makes, and how many of them are its $batch writes.
    await freshDataverse(1_000_000);
    const one = await initialSync(0, 30_000);
    expect(one.progress.state).toBe('done');
    const total = (await callers())[BRIDGE_APP_OID]!.admitted;
    const sent = one.sent[0];
    expect(sent).toBeGreaterThanOrEqual(12);
    // A per-user budget the whole run exceeds, but the primary's other requests plus a third of the batches do not.
    const budget = total - sent + Math.ceil(sent / 3) + 2;
    expect(budget).toBeLessThan(total);
    if (process.env.E2E_LOG) console.log({ total, batches: sent, budget });

    await freshDataverse(budget);
    const three = await initialSync(2, 30_000);
    expect(three.progress).toMatchObject({ state: 'done' });
    expect(three.progress.done).toBe(three.progress.total);
    const byUser = await callers();
    // Each of the three users sent batches; none ran into the limit.
    expect(three.sent).toHaveLength(3);
    for (const n of three.sent) expect(n).toBeGreaterThanOrEqual(Math.floor(sent / 3) - 1);
    for (const oid of OIDS) {
      expect(byUser[oid]?.admitted ?? 0).toBeGreaterThan(0);
      expect(byUser[oid]?.throttled ?? 0).toBe(0);
    }

    // The same run as one user, with the same budget: throttled (429 with the window's Retry-After), not done in time.
    await freshDataverse(budget);
    const alone = await initialSync(0, 6_000);
    expect(alone.progress.state).not.toBe('done');
    expect((await callers())[BRIDGE_APP_OID]!.throttled).toBeGreaterThan(0);
    expect(alone.progress.lastTransientError ?? '').toMatch(/429|limit|Number of requests/i);
  }, 90_000);

  it('a 429 for one user slows that user only: its Retry-After is waited on it while the others carry on', async () => {
    await post(`${sandbox.urls.dataverse}/_sandbox/reset`, {});
    const creds = [
      { tokenUrl: sandbox.urls.tokenEndpoint, clientId: '', clientSecret: '' },
      ...EXTRA_BRIDGE_CLIENTS.map((c) => ({ tokenUrl: sandbox.urls.tokenEndpoint, clientId: c.clientId, clientSecret: c.clientSecret })),
    ];
    const services = creds.map((c, i) => createHttpService({
      name: 'dataverse', baseUrl: sandbox.urls.dataverseApi, concurrency: 8, timeoutMs: 10_000, retries: 2,
      getToken: i === 0 ? () => sandbox.getToken('bridge', 'dataverse') : (fresh) => createTokenProvider(c).getToken(sandbox.urls.dataverse, fresh),
    }));
    const pool = createUserPool(services);
    const timed = async () => { const t0 = Date.now(); const r = await pool.request({ method: 'GET', path: '/WhoAmI' }); return { status: r.status, ms: Date.now() - t0, who: (JSON.parse(r.text) as { UserId: string }).UserId }; };
    // Warm the tokens, then the second user's next request is answered 429 with Retry-After: 2.
    await Promise.all([timed(), timed(), timed()]);
    await post(`${sandbox.urls.dataverse}/_sandbox/faults`, { throttleNext: { count: 1, retryAfterSeconds: 2, oid: EXTRA_BRIDGE_CLIENTS[0].oid } });
    const before = pool.sent();
    const first = Promise.all([timed(), timed(), timed()]);
    await new Promise((r) => setTimeout(r, 300));
    // While the second user waits out its Retry-After, new requests go to the others and are answered at once.
    const during = await Promise.all(Array.from({ length: 6 }, () => timed()));
    const firstRound = await first;
    const after = pool.sent().map((n, i) => n - before[i]);
    await pool.close();

    expect([...firstRound, ...during].every((r) => r.status === 200)).toBe(true);
    const throttled = firstRound.find((r) => r.who === EXTRA_BRIDGE_CLIENTS[0].systemUserId)!;
    expect(throttled.ms).toBeGreaterThanOrEqual(1900);
    for (const r of firstRound.filter((x) => x !== throttled)) expect(r.ms).toBeLessThan(1000);
    for (const r of during) {
      expect(r.ms).toBeLessThan(1000);
      expect(r.who).not.toBe(EXTRA_BRIDGE_CLIENTS[0].systemUserId);
    }
    expect(after).toEqual([4, 1, 4]);
    // The others' adaptive limits were not halved.
    expect(services[0].load!().limit).toBe(8);
    expect(services[2].load!().limit).toBe(8);
    expect(services[1].load!().limit).toBe(4);
    expect((await callers())[EXTRA_BRIDGE_CLIENTS[0].oid]).toMatchObject({ throttled: 1 });
  }, 30_000);
});
