// PostgreSQL stopped hard (immediate mode: connections cut, like a crash) in the middle of live sync
// and started again: the bridge recovers on its own and no change is lost. Webhooks that arrive while
// the store is down must not be acknowledged; the sandbox redelivers them (Dataverse asynchronous
// steps retry; F&O keeps its event queue).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LIFTED_BUDGETS, startSandbox, type Sandbox } from '@finops-bridge/sandbox';
import { customersOf, queueDump, eventually, sandboxApi, sleep, startBridge, type Bridge, type SandboxApi } from './support/world';
import { startRestartablePostgres, type RestartablePg } from './support/postgres';

let pg: RestartablePg | null;
let sb: Sandbox;
let bridge: Bridge;
let api: SandboxApi;

beforeAll(async () => {
  pg = await startRestartablePostgres();
  if (!pg) return;
  // Default webhook retry delays (1 s, 5 s, 30 s), as Dataverse's asynchronous system jobs retry over time.
  sb = await startSandbox({ customers: 80, quiet: true, seed: 5, fnoProtection: LIFTED_BUDGETS, dataverseProtection: LIFTED_BUDGETS });
  // A job whose settle failed while the store was down waits for its lease to expire (default 120 s):
  // a short lease keeps this test short.
  bridge = await startBridge(sb, { databaseUrl: await pg.createDatabase(), settings: { leaseMs: 4000 } });
  api = sandboxApi(sb);
  await eventually(async () => ((await (await fetch(`${sb.urls.fno}/_sandbox/events/subscriptions`)).json()) as { value: unknown[] }).value.length >= 1);
}, 60_000);

afterAll(async () => {
  await bridge?.close().catch(() => undefined);
  await sb?.close();
  await pg?.close();
});

describe('PostgreSQL restarted mid-work', () => {
  it('every change made before, during and after the outage arrives', async () => {
    if (!pg) return;
    const NL = await customersOf(api, 'NL-');
    const toFno = NL.slice(0, 4);
    const toDv = NL.slice(4, 8);
    const phone = (i: number, k: number) => `+31 30 777 ${i}${k}`;
    const limit = (i: number, k: number) => 70_000 + 100 * k + i;
    const round = async (k: number) => {
      for (const [i, r] of toFno.entries()) await api.dvEdit(r.id, { telephone1: phone(i, k) });
      for (const [i, r] of toDv.entries()) await api.fnoEdit({ dataAreaId: 'nlmf', CustomerAccount: r.account, CreditLimit: limit(i, k) });
    };

    await round(1);
    await sleep(100);
    pg.kill();
    await round(2);
    await sleep(1500);
    pg.start();
    await round(3);

    const missing = async () => {
      const out: string[] = [];
      for (const [i, r] of toFno.entries()) {
        const v = (await api.fnoCustomer('nlmf', r.account)).PrimaryContactPhone;
        if (v !== phone(i, 3)) out.push(`F&O ${r.account} phone ${String(v)}`);
      }
      for (const [i, r] of toDv.entries()) {
        const v = Number((await api.dvRow('accounts', r.id)).creditlimit);
        if (v !== limit(i, 3)) out.push(`Dataverse ${r.account} creditlimit ${v}`);
      }
      return out;
    };
    const left = await eventually(async () => ((await missing()).length === 0 ? [] : null), 40_000, 250).catch(() => missing());
    if (left.length) console.log(await queueDump(bridge));
    expect(left).toEqual([]);
    await bridge.sync.engine().worker.idle(15_000);
    const ready = await fetch(`${bridge.url}/ready`);
    expect(ready.status).toBe(200);
  }, 90_000);
});
