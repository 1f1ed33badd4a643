// One service down (every request answered 503) for `downMs` while its users keep editing the other
// side: the changes queue, the admin API, the record sync status and /ready show it, and once the
// service is back every change arrives. Shared by the fast suite (seconds) and the slow one (a minute).
import { expect } from '@jest/globals';
import type { Sandbox } from '@finops-bridge/sandbox';
import { MAP, bridgeGet, eventually, sleep, type Bridge, type SandboxApi } from './world';

interface MapSummary { name: string; state: string; pending: number; lagSeconds: number }

export async function outage(o: { sb: Sandbox; bridge: Bridge; api: SandboxApi; side: 'fno' | 'dataverse'; downMs: number; records: { account: string; id: string }[] }): Promise<void> {
  const { sb, bridge, api, records } = o;
  await bridge.sync.engine().worker.idle(15_000);
  const stamp = Date.now() % 100_000;
  const phone = (i: number) => `+31 10 ${stamp}${i}`;
  const limit = (i: number) => 500_000 + stamp + i;
  const map = async () => (await bridgeGet<{ maps: MapSummary[] }>(bridge, sb, 'admin', '/admin/maps')).maps.find((m) => m.name === MAP)!;

  const started = Date.now();
  if (o.side === 'fno') await api.fnoFaults({ errorRates: { 503: 1 } });
  else await api.dvFaults({ failNext: { count: 1_000_000_000, status: 503, message: 'Service down for a test.' } });
  const readyBody = async () => {
    const res = await fetch(`${bridge.url}/ready`);
    return { status: res.status, deps: ((await res.json()) as { dependencies: Record<string, { status: string }> }).dependencies };
  };
  try {
    // Users of the service that is up keep working.
    if (o.side === 'fno') for (const [i, r] of records.entries()) await api.dvEditUnfaulted(r.id, { telephone1: phone(i) });
    else for (const [i, r] of records.entries()) await api.fnoEdit({ dataAreaId: 'nlmf', CustomerAccount: r.account, CreditLimit: limit(i) });

    const during = await eventually(async () => {
      const m = await map();
      return m.pending >= records.length && m.lagSeconds > 0.5 ? m : null;
    }, Math.max(5000, o.downMs - 500)).catch(async (e: unknown) => {
      throw new Error(`${(e as Error).message}; admin /maps said ${JSON.stringify(await map())}`);
    });
    expect(during.state).toMatch(/running|catching_up/);
    // The store is up, so this instance stays ready (changes queue safely); /ready reports the outage beside it.
    const down = await eventually(async () => { const r = await readyBody(); return r.deps[o.side].status === 'failing' ? r : null; }, 5000);
    expect(down.status).toBe(200);
    if (o.side === 'fno') {
      const s = await bridgeGet<{ state: string; pendingChanges: number; lastError: string | null }>(bridge, sb, 'admin', `/sync/records/account/${records[0].id}`);
      expect(s.state).toBe('pending');
      expect(s.pendingChanges).toBeGreaterThanOrEqual(1);
      expect(s.lastError ?? '').toMatch(/Finance and Operations|temporary|503/);
    }
    const left = o.downMs - (Date.now() - started);
    if (left > 0) await sleep(left);
    // Still nothing arrived while it was down.
    expect((await map()).pending).toBeGreaterThanOrEqual(records.length);
  } finally {
    if (o.side === 'fno') await api.fnoFaults({ errorRates: {}, timeoutRate: 0 });
    else await api.dvFaults({});
  }

  await eventually(async () => {
    for (const [i, r] of records.entries()) {
      if (o.side === 'fno' && (await api.fnoCustomer('nlmf', r.account)).PrimaryContactPhone !== phone(i)) return false;
      if (o.side === 'dataverse' && Number((await api.dvRow('accounts', r.id)).creditlimit) !== limit(i)) return false;
    }
    return true;
  }, 30_000, 200);
  await bridge.sync.engine().worker.idle(15_000);
  const after = await map();
  expect({ pending: after.pending, lagSeconds: after.lagSeconds }).toEqual({ pending: 0, lagSeconds: 0 });
  expect(await eventually(async () => { const r = await readyBody(); return r.status === 200 && r.deps[o.side].status === 'ok' ? true : null; }, 5000)).toBe(true);
}
