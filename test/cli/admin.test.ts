// The admin commands over the bridge's admin API, with a token of the sandbox's admin user in BRIDGE_TOKEN
// (as an admin sets it; the product's CLI never fetches tokens from the sandbox itself).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cli, startCliWorld, type CliWorld } from './support';

let w: CliWorld;
/** As an admin runs them: the bridge's address and an admin's bearer token, nothing else. */
let adminEnv: Record<string, string>;

beforeAll(async () => {
  w = await startCliWorld();
  adminEnv = { BRIDGE_URL: w.bridge.url, BRIDGE_TOKEN: await w.sandbox.getToken('admin', 'bridge') };
}, 60_000);
afterAll(async () => { await w?.close(); });

describe('finops-bridge admin commands', () => {
  it('lists the maps with state and lag', async () => {
    const r = await cli(['maps'], adminEnv);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^customers-accounts\s+running\s+lag 0s/m);
    const j = JSON.parse((await cli(['maps', '--json'], adminEnv)).out) as { maps: Array<{ name: string }> };
    expect(j.maps.map((m) => m.name)).toEqual(['customers-accounts']);
  });

  it('pauses and resumes a map', async () => {
    expect((await cli(['pause', 'customers-accounts'], adminEnv)).out).toContain('customers-accounts: paused');
    expect((await cli(['status'], adminEnv))).toMatchObject({ code: 1 });
    expect((await cli(['maps'], adminEnv)).out).toMatch(/^customers-accounts\s+paused/m);
    expect((await cli(['resume', 'customers-accounts'], adminEnv)).code).toBe(0);
    expect((await cli(['maps'], adminEnv)).out).toMatch(/^customers-accounts\s+running/m);
  });

  it('runs an initial sync of one company with live progress until done', async () => {
    const r = await cli(['initial-sync', 'customers-accounts', '--company', 'nlmf', '--wins', 'fno'], adminEnv);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/customers-accounts: done (\d+)\/\1 \(100%\), 0 failed, [\d.]+\/s, ETA/);
    expect(r.code).toBe(0);
  }, 60_000);

  it('lists errors and conflicts, and names an unknown id', async () => {
    expect((await cli(['errors', '--map', 'customers-accounts'], adminEnv)).out).toBe('no parked or retrying records');
    expect((await cli(['conflicts'], adminEnv)).code).toBe(0);
    const r = await cli(['retry', '00000000-0000-4000-8000-000000000000'], adminEnv);
    expect(r.code).toBe(1);
    expect(r.err).toContain('The bridge answered 404');
  });

  it('refuses a token without Sync.Admin, and says what to do', async () => {
    const sales = await w.sandbox.getToken('sales', 'bridge');
    const r = await cli(['maps', '--token', sales], adminEnv);
    expect(r.code).toBe(1);
    expect(r.err).toContain('The bridge answered 403');
    expect(r.err).toContain('Sync.Admin');
  });

  it('says how to pass a token when it has none', async () => {
    const r = await cli(['maps'], { BRIDGE_URL: w.bridge.url });
    expect(r.code).toBe(2);
    expect(r.err).toContain('pass --token <bearer token> or set BRIDGE_TOKEN');
  });

  it('answers usage errors with exit 2', async () => {
    expect((await cli(['pause'], adminEnv)).code).toBe(2);
    expect((await cli(['initial-sync', 'customers-accounts', '--wins', 'both'], adminEnv)).code).toBe(2);
    expect((await cli([], adminEnv)).code).toBe(2);
  });
});
