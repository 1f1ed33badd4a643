// Issue 14: F&O delivers business and data events to an HTTPS endpoint whose URL it reads from Key Vault and
// sends no custom header. The sandbox delivers the same way (URL only), the bridge registers its endpoint with
// the secret as ?code= in the URL, an event with only the URL syncs, and a wrong URL key is refused.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Sandbox } from '@finops-bridge/sandbox';
import { scrubUrl } from '../../bridge-service/src/logger';
import { WEBHOOK_SECRET, eventually, json, sandboxApi, startBridge, startWorld, type Bridge } from '../e2e/support/harness';

let sandbox: Sandbox;
let bridge: Bridge;
let api: ReturnType<typeof sandboxApi>;
const subscriptions = `/_sandbox/events/subscriptions`;

beforeAll(async () => {
  sandbox = await startWorld();
  bridge = await startBridge(sandbox);
  api = sandboxApi(sandbox);
  await eventually(async () => (await json<{ value: unknown[] }>(await fetch(`${sandbox.urls.fno}${subscriptions}`))).value.length > 0);
}, 60_000);

afterAll(async () => {
  await bridge?.close();
  await sandbox?.close();
});

describe('F&O events reach the bridge by URL only', () => {
  it('the sandbox refuses an endpoint with custom headers, as F&O has none', async () => {
    const res = await fetch(`${sandbox.urls.fno}${subscriptions}`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'data', url: `${bridge.url}/webhooks/fno`, headers: { 'x-bridge-webhook-key': WEBHOOK_SECRET } }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/no custom header/);
  });

  it('the bridge registered its F&O endpoint as a URL carrying the key (?code=), nothing else', async () => {
    const { value } = await json<{ value: Array<Record<string, unknown>> }>(await fetch(`${sandbox.urls.fno}${subscriptions}`));
    expect(value).toHaveLength(1);
    expect(value[0].url).toBe(`${bridge.url}/webhooks/fno?code=${encodeURIComponent(WEBHOOK_SECRET)}`);
    expect(value[0]).not.toHaveProperty('headers');
  });

  it('a change made in F&O is delivered with only the URL and syncs to Dataverse', async () => {
    const [row] = await api.dvGet('accounts', "$select=accountid,accountnumber&$filter=startswith(accountnumber,'NL-')&$top=1");
    await api.fnoChange('CustomersV3', { dataAreaId: 'nlmf', CustomerAccount: row.accountnumber, OrganizationName: 'Renamed in F&O, URL key only' });
    await eventually(async () => (await api.dvRow('accounts', String(row.accountid))).name === 'Renamed in F&O, URL key only', 5000);
  });

  it('a wrong or missing URL key is refused with 401 and nothing is stored', async () => {
    const body = JSON.stringify({ MessageName: 'Update', PrimaryEntityName: 'CustomersV3', PrimaryEntityId: 'dataAreaId=nlmf,CustomerAccount=NL-001', InputParameters: [] });
    for (const query of ['?code=not-the-secret', '', `?code=${encodeURIComponent(WEBHOOK_SECRET.slice(0, -1))}`]) {
      const res = await fetch(`${bridge.url}/webhooks/fno${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('FB_WEBHOOK_KEY_INVALID');
    }
  });

  it('the key in the URL never reaches a log line', () => {
    const logged = scrubUrl(`/webhooks/fno?code=${encodeURIComponent(WEBHOOK_SECRET)}`);
    expect(logged).not.toContain(WEBHOOK_SECRET);
    expect(logged).toBe('/webhooks/fno?code=[Redacted]');
  });
});
