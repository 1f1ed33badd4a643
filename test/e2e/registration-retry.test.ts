// Dataverse down while the bridge starts: its webhook registration fails, is retried with backoff, and
// succeeds once Dataverse is back (the bridge is not left deaf until someone restarts it).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Sandbox } from '@finops-bridge/sandbox';
import { WEBHOOK_SECRET, eventually, json, startBridge, startWorld, type Bridge } from './support/harness';

let sandbox: Sandbox;
let bridge: Bridge | undefined;
const faults = (body: unknown) => fetch(`${sandbox.urls.dataverse}/_sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(json);
const subscriptions = async () => (await json<{ value: { url: string }[] }>(await fetch(`${sandbox.urls.fno}/_sandbox/events/subscriptions`))).value;

beforeAll(async () => {
  sandbox = await startWorld();
}, 60_000);

afterAll(async () => {
  await bridge?.close();
  await sandbox?.close();
});

describe('webhook registration while Dataverse is down', () => {
  it('is retried until Dataverse answers again', async () => {
    await faults({ failNext: { count: 1_000_000, status: 503 } });
    bridge = await startBridge(sandbox);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await subscriptions()).toHaveLength(0);
    await faults({});
    const subs = await eventually(async () => { const s = await subscriptions(); return s.length > 0 ? s : null; }, 10_000, 100);
    expect(subs[0].url).toBe(`${bridge.url}/webhooks/fno?code=${encodeURIComponent(WEBHOOK_SECRET)}`); // F&O sends no header: the key is in the URL
  }, 30_000);
});
