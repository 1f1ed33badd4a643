// Issue 14: Dataverse ids are sequential GUIDs (ec4e2f7d-9d60-e811-a95a-000d3af24950), not RFC 4122 UUIDs.
// The sandbox issues such ids, and the bridge accepts them wherever it reads an id: the finance route,
// the sync status, the admin API, the Dataverse webhook.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Sandbox } from '@finops-bridge/sandbox';
import { runCli } from '../../bridge-service/src/cli/main';
import { memoryIo } from '../../bridge-service/src/cli/io';
import { WEBHOOK_SECRET, json, sandboxApi, startBridge, startWorld, type Bridge } from '../e2e/support/harness';

const SAMPLE = fs.readFileSync(fileURLToPath(new URL('../fixtures/real/dataverse-webhook-account-update-sync-mode0.json', import.meta.url)), 'utf8');
const MICROSOFT_SAMPLE_ID = 'ec4e2f7d-9d60-e811-a95a-000d3af24950';
const rfcUuid = z.uuid();

let sandbox: Sandbox;
let bridge: Bridge;
let api: ReturnType<typeof sandboxApi>;
let usAccount: { accountid: string; accountnumber: string };

beforeAll(async () => {
  sandbox = await startWorld();
  bridge = await startBridge(sandbox, { settings: { registerWebhooks: 'false' } });
  api = sandboxApi(sandbox);
  const rows = await api.dvGet('accounts', "$select=accountid,accountnumber&$filter=startswith(accountnumber,'US-')&$top=1");
  usAccount = rows[0] as typeof usAccount;
}, 60_000);

afterAll(async () => {
  await bridge?.close();
  await sandbox?.close();
});

async function bridgeGet(path: string, who: 'sales' | 'admin') {
  return fetch(`${bridge.url}${path}`, { headers: { authorization: `Bearer ${await sandbox.getToken(who, 'bridge')}` } });
}

describe('the sandbox issues ids as Dataverse does', () => {
  it('seeded rows have sequential-style GUIDs that RFC validation refuses', () => {
    expect(usAccount.accountid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-e[0-9a-f]{3}-[0-9a-f]{4}-000d3a[0-9a-f]{6}$/);
    expect(rfcUuid.safeParse(usAccount.accountid).success).toBe(false);
  });

  it('rows created without an id get sequential ids from one server (same tail, first group counting up)', async () => {
    const token = await sandbox.getToken('bridge', 'dataverse');
    const ids: string[] = [];
    for (const name of ['Ids one', 'Ids two']) {
      const res = await fetch(`${sandbox.urls.dataverseApi}/accounts`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer: 'return=representation' },
        body: JSON.stringify({ name }),
      });
      ids.push(String((await json<{ accountid: string }>(res)).accountid));
    }
    for (const id of ids) expect(rfcUuid.safeParse(id).success).toBe(false);
    expect(ids[0].slice(8)).toBe(ids[1].slice(8));
    expect(parseInt(ids[1].slice(0, 8), 16) - parseInt(ids[0].slice(0, 8), 16)).toBe(1);
  });
});

describe('the bridge accepts every GUID shape Dataverse produces', () => {
  it('finance route: 200 for an account with a Dataverse-shaped id', async () => {
    const res = await bridgeGet(`/api/v1/accounts/${usAccount.accountid}/finance`, 'sales');
    expect(res.status).toBe(200);
    expect((await res.json() as { accountId: string }).accountId).toBe(usAccount.accountid);
  });

  it('sync status: 200 for the same account; Microsoft sample id reaches the record check (404 no such row, not 400)', async () => {
    const linked = await bridgeGet(`/api/v1/sync/records/account/${usAccount.accountid}`, 'sales');
    expect(linked.status).toBe(200);
    const sample = await bridgeGet(`/api/v1/sync/records/account/${MICROSOFT_SAMPLE_ID.toUpperCase()}`, 'admin');
    expect(sample.status).toBe(404);
    expect(await sample.json()).toMatchObject({ error: { code: 'FB_NOT_FOUND' } });
  });

  it('admin API: an id of Dataverse shape reaches the handler (404 no such conflict, not 400)', async () => {
    const res = await fetch(`${bridge.url}/api/v1/admin/conflicts/${MICROSOFT_SAMPLE_ID}/dismiss`, {
      method: 'POST', headers: { authorization: `Bearer ${await sandbox.getToken('admin', 'bridge')}` },
    });
    expect(res.status).toBe(404);
  });

  it('a malformed id is still refused with 400', async () => {
    expect((await bridgeGet('/api/v1/accounts/not-a-guid/finance', 'sales')).status).toBe(400);
    expect((await bridgeGet('/api/v1/accounts/ec4e2f7d-9d60-e811-a95a-000d3af2495/finance', 'sales')).status).toBe(400);
  });

  it('webhook: Microsoft sample body (sequential id) is accepted; a non-GUID PrimaryEntityId is refused', async () => {
    const post = (body: string) => fetch(`${bridge.url}/webhooks/dataverse`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-bridge-webhook-key': WEBHOOK_SECRET }, body,
    });
    const ok = await post(SAMPLE);
    expect([200, 202]).toContain(ok.status);
    const bad = await post(SAMPLE.split(MICROSOFT_SAMPLE_ID).join('not-a-guid'));
    expect(bad.status).toBe(400);
  });
});

describe('the CLI takes ids of every GUID shape', () => {
  async function cli(argv: string[]) {
    const io = memoryIo();
    const env = { BRIDGE_URL: bridge.url, BRIDGE_TOKEN: await sandbox.getToken('admin', 'bridge') };
    const code = await runCli(argv, env, io);
    return { code, text: [...io.lines, ...io.errors].join('\n') };
  }

  it('passes a Dataverse-shaped id to the bridge (which finds no such conflict) and refuses a non-GUID itself', async () => {
    const sample = await cli(['dismiss-conflict', MICROSOFT_SAMPLE_ID]);
    expect(sample.text).toContain('404');
    const bad = await cli(['dismiss-conflict', 'abc']);
    expect(bad.text).toContain('needs an id');
    expect(bad.code).toBe(2);
  });
});
