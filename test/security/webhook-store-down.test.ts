// A webhook that arrives while the bridge's database is unreachable: 503 with Retry-After, which Dataverse
// retries (and a synchronous step would otherwise roll back the user's save on a 5xx it does not retry),
// never a 500, and the answer says the change was not stored.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSyncExtension } from '../../bridge-service/src/sync/runtime/extension';
import { startHarness, WEBHOOK_SECRET, type Harness } from './support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    extensions: () => [createSyncExtension({ env: {}, settings: { worker: false, registerWebhooks: 'false', sweepMs: 0 } })],
  });
}, 60_000);

afterAll(async () => {
  await h?.close().catch(() => undefined);
});

describe('a webhook while the store is down', () => {
  it('answers 503 FB_STORE_UNAVAILABLE with Retry-After', async () => {
    const body = JSON.stringify({
      BusinessEventId: 'CustomerChangedBusinessEvent', BusinessEventLegalEntity: 'USMF', ControlNumber: 1, EventId: 'E1',
      EventTime: `/Date(${Date.now()})/`, EventTimeIso8601: new Date().toISOString(), MajorVersion: 0, MinorVersion: 0,
      Account: h.accounts.usmf.accountnumber, LegalEntity: 'USMF',
    });
    const post = () => h.app.inject({ method: 'POST', url: '/webhooks/fno', payload: body, headers: { 'content-type': 'application/json', 'x-bridge-webhook-key': WEBHOOK_SECRET } });
    expect((await post()).statusCode).toBe(202); // stored while the store is up

    await h.app.bridge.store.close();
    const res = await post();
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    const err = (JSON.parse(res.body) as { error: { code: string; message: string } }).error;
    expect(err.code).toBe('FB_STORE_UNAVAILABLE');
    expect(err.message).toMatch(/not stored/);
  });
});
