// Issue 14: webhook and event intake does not share a rate-limit bucket with anonymous traffic. Deliveries
// that present the valid key (header for Dataverse, ?code= for F&O) are never limited: Dataverse retries only
// 502/503/504, so a 429 would lose the change. Anonymous callers and wrong keys are still limited.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSyncExtension } from '../../bridge-service/src/sync/runtime/extension';
import { startHarness, WEBHOOK_SECRET, type Harness } from './support/harness';

let h: Harness;
const MAX = 5;

beforeAll(async () => {
  h = await startHarness({
    env: { RATE_LIMIT_ADDRESS_MAX: String(MAX) },
    extensions: () => [createSyncExtension({ env: {}, settings: { worker: false, registerWebhooks: 'false', sweepMs: 0 } })],
  });
}, 60_000);
afterAll(async () => { await h?.close(); });

const event = (n: number) => JSON.stringify({ MessageName: 'Update', PrimaryEntityName: 'nosuchtable', PrimaryEntityId: `ec4e2f7d-9d60-e811-a95a-000d3af2${String(4950 + n).padStart(4, '0')}`, InputParameters: [] });
const inject = (url: string, headers: Record<string, string> = {}, n = 0) =>
  h.app.inject({ method: 'POST', url, payload: event(n), headers: { 'content-type': 'application/json', ...headers } });

describe('webhook intake and the rate limit', () => {
  it('anonymous traffic is limited first; valid Dataverse and F&O deliveries from the same address still get through', async () => {
    const anonymous = [];
    for (let i = 0; i < MAX + 2; i++) anonymous.push((await h.app.inject({ method: 'GET', url: '/api/v1/accounts/ec4e2f7d-9d60-e811-a95a-000d3af24950/finance' })).statusCode);
    expect(anonymous.at(-1)).toBe(429);
    for (let i = 0; i < MAX * 3; i++) {
      expect((await inject('/webhooks/dataverse', { 'x-bridge-webhook-key': WEBHOOK_SECRET }, i)).statusCode).toBe(200);
      expect((await inject(`/webhooks/fno?code=${encodeURIComponent(WEBHOOK_SECRET)}`, {}, i)).statusCode).toBe(200);
    }
  });

  it('wrong keys are refused and limited in a bucket of their own', async () => {
    const codes = [];
    for (let i = 0; i < MAX + 2; i++) codes.push((await inject('/webhooks/fno?code=wrong', {}, i)).statusCode);
    expect(codes.slice(0, MAX)).toEqual(Array(MAX).fill(401));
    expect(codes.at(-1)).toBe(429);
    expect((await inject('/webhooks/dataverse', { 'x-bridge-webhook-key': WEBHOOK_SECRET })).statusCode).toBe(200);
  });
});
