// Slow trial (npm run test:reliability, not in npm test): F&O and then Dataverse down for a full minute
// while their users keep editing the other side; the changes queue, the admin API, the record status
// and /ready say so, and everything catches up once the service is back.
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Sandbox } from '@finops-bridge/sandbox';
import { customersOf, eventually, sandboxApi, startBridge, startWorld, type Bridge, type SandboxApi } from './support/world';
import { outage } from './support/outage';

let sb: Sandbox;
let bridge: Bridge;
let api: SandboxApi;
let NL: { account: string; id: string }[];

beforeAll(async () => {
  sb = await startWorld(80);
  bridge = await startBridge(sb);
  api = sandboxApi(sb);
  NL = await customersOf(api, 'NL-');
  // The bridge registers its webhooks once it listens; the F&O subscription is the last step. Edits made
  // before that are only found by a sweep (off here), so wait for it.
  await eventually(async () => ((await (await fetch(`${sb.urls.fno}/_sandbox/events/subscriptions`)).json()) as { value: unknown[] }).value.length >= 1);
}, 60_000);

afterAll(async () => {
  await api?.clearFaults().catch(() => undefined);
  await bridge?.close();
  await sb?.close();
});

describe('a service down for a minute', () => {
  it('F&O down for 60 s', async () => {
    await outage({ sb, bridge, api, side: 'fno', downMs: 60_000, records: NL.slice(0, 5) });
  }, 150_000);

  it('Dataverse down for 60 s', async () => {
    await outage({ sb, bridge, api, side: 'dataverse', downMs: 60_000, records: NL.slice(5, 10) });
  }, 150_000);
});
