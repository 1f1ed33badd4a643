// Issue 19: a map pauses on its alert rule and people are told. A bridge against the sandbox, with a generic and a
// Teams webhook on a loopback server: F&O answers 503 to everything (systemic failures: only those count), users
// edit accounts in Dataverse, the worker's writes to F&O fail, the map pauses, and both webhooks receive the
// notification, once, without the webhook URL (a secret) in any log line. Then the admin API lists it with its
// deliveries and /metrics shows the paused map, its waiting records and its failures.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { sandboxEnv, type Sandbox } from '@finops-bridge/sandbox';
import { buildApp } from '../../bridge-service/src/app';
import { loadConfig } from '../../bridge-service/src/config';
import { createSyncExtension } from '../../bridge-service/src/sync/runtime/extension';
import { WEBHOOK_SECRET, eventually, json, sandboxApi, startWorld } from './support/harness';

const HOOK_SECRET = 'hook-secret-7c1d2e3f4a5b';
const METRICS_TOKEN = 'metrics-token-0123456789';
const MAP = 'customers-accounts';

let sandbox: Sandbox;
let app: FastifyInstance;
let url: string;
let hooks: http.Server;
const received: { path: string; body: Record<string, unknown> }[] = [];
let logs = '';
let adminToken: string;

const fnoFaults = (body: unknown) =>
  fetch(`${sandbox.urls.fno}/_sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(json);

beforeAll(async () => {
  sandbox = await startWorld();
  hooks = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => { text += c.toString(); });
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(text) as Record<string, unknown> });
      res.writeHead(200).end('1');
    });
  });
  await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
  const hookBase = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
  const config = loadConfig({
    ...sandboxEnv(sandbox.urls),
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'fb-alerts-')), DATAVERSE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    LOG_LEVEL: 'info', RATE_LIMIT_MAX: '100000', RATE_LIMIT_ADDRESS_MAX: '1000000', HTTP_RETRIES: '0',
    METRICS_TOKEN, ALERT_CHECK_SECONDS: '1',
    ALERT_WEBHOOK_URLS: `${hookBase}/generic/${HOOK_SECRET}`, ALERT_TEAMS_WEBHOOK_URLS: `${hookBase}/teams/${HOOK_SECRET}`,
  });
  const sync = createSyncExtension({
    env: {},
    settings: { maps: [MAP], pollMs: 50, sweepMs: 0, backoffBaseMs: 50, backoffCapMs: 200, registerWebhooks: 'true', alertErrors: 3, alertWindowMs: 600_000 },
  });
  const logStream = new Writable({ write(chunk: Buffer, _e, cb) { logs += chunk.toString(); cb(); } });
  app = await buildApp(config, { extensions: [sync], logStream });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  adminToken = await sandbox.getToken('admin', 'bridge');
  await eventually(async () => (await json<{ value: unknown[] }>(await fetch(`${sandbox.urls.fno}/_sandbox/events/subscriptions`))).value.length > 0, 10_000);
}, 60_000);

afterAll(async () => {
  await fnoFaults({ errorRates: {} }).catch(() => undefined);
  await app?.close();
  await new Promise((r) => hooks?.close(r));
  await sandbox?.close();
});

const admin = async <T>(p: string) => json<T>(await fetch(`${url}/api/v1/admin${p}`, { headers: { authorization: `Bearer ${adminToken}` } }));

describe('a map paused by its alert rule', () => {
  it('reaches the generic and the Teams webhook, once each', async () => {
    const api = sandboxApi(sandbox);
    const nl = (await api.dvGet('accounts', "$select=accountid,accountnumber&$filter=startswith(accountnumber,'NL-')")).slice(0, 5);
    expect(nl.length).toBeGreaterThanOrEqual(3);
    await fnoFaults({ errorRates: { 503: 1 } });
    for (const [i, a] of nl.entries()) await api.dvPatch('accounts', String(a.accountid), { telephone1: `+31 20 555 01${i}` });

    const paused = await eventually(async () => {
      const hits = received.filter((r) => JSON.stringify(r.body).includes('map_paused_by_alert') || JSON.stringify(r.body).includes('paused by its alert rule'));
      return hits.length >= 2 ? hits : null;
    }, 30_000, 100);
    const generic = paused.find((r) => r.path === `/generic/${HOOK_SECRET}`)!;
    expect(generic.body).toMatchObject({ source: 'finops-bridge', kind: 'map_paused_by_alert', map: MAP, message: expect.stringMatching(/Map customers-accounts was paused/) });
    const teams = paused.find((r) => r.path === `/teams/${HOOK_SECRET}`)!;
    expect(teams.body).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: { type: 'AdaptiveCard' } }] });

    // Later rounds deliver nothing more for it.
    await new Promise((r) => setTimeout(r, 2_500));
    const again = received.filter((r) => r.path.startsWith('/generic') && r.body.kind === 'map_paused_by_alert');
    expect(again).toHaveLength(1);
    expect(logs).toContain('notification delivered');
    expect(logs).not.toContain(HOOK_SECRET);
  }, 60_000);

  it('is listed by GET /api/v1/admin/notifications with its deliveries, newest first, filtered by map', async () => {
    const r = await admin<{ notifications: { id: string; kind: string; map: string | null; deliveries: { target: string; state: string }[] }[] }>(`/notifications?map=${MAP}&limit=10`);
    const n = r.notifications.find((x) => x.kind === 'map_paused_by_alert')!;
    expect(n.map).toBe(MAP);
    expect(n.deliveries.map((d) => [d.target.replace(/-[0-9a-f]{8}$/, ''), d.state]).sort()).toEqual([['generic#1', 'delivered'], ['teams#1', 'delivered']]);
    expect(JSON.stringify(r)).not.toContain(HOOK_SECRET);
    expect(r.notifications.every((x) => x.map === MAP)).toBe(true);
  });

  it('shows on /metrics: the paused map, its waiting records, its failures and the deliveries', async () => {
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const value = (name: string, labels: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
      return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    expect(value('finops_bridge_store_figures_up', '')).toBeUndefined(); // no labels: a plain line
    expect(text).toMatch(/^finops_bridge_store_figures_up 1$/m);
    expect(value('finops_bridge_map_state', `map="${MAP}",state="paused"`)).toBe(1);
    expect(value('finops_bridge_map_state', `map="${MAP}",state="running"`)).toBe(0);
    expect(value('finops_bridge_map_pending', `map="${MAP}"`)).toBeGreaterThan(0);
    expect(value('finops_bridge_map_lag_seconds', `map="${MAP}"`)).toBeGreaterThan(0);
    expect(value('finops_bridge_map_failed_total', `map="${MAP}"`)).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(/^# TYPE finops_bridge_map_processed_total counter$/m);
    expect(value('finops_bridge_notification_deliveries', 'state="delivered"')).toBeGreaterThanOrEqual(1);
  });

  it('counts the 429s of a service, and after the resume the written records, with nothing left waiting', async () => {
    const scrape = async () => (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const value = (text: string, name: string, labels: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
      return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    const api = sandboxApi(sandbox);
    const [account] = await api.dvGet('accounts', "$select=accountid&$filter=startswith(accountnumber,'NL-')");
    await fnoFaults({ errorRates: { 429: 1 } });
    const sales = await sandbox.getToken('sales', 'bridge');
    const r = await fetch(`${url}/api/v1/accounts/${String(account.accountid)}/finance`, { headers: { authorization: `Bearer ${sales}` } });
    expect(r.status).toBe(429);
    // A panel read serves no map.
    expect(value(await scrape(), 'finops_bridge_throttled_total', 'service="fno",map="none"')).toBeGreaterThanOrEqual(1);

    await fnoFaults({ errorRates: {} });
    const resumed = await fetch(`${url}/api/v1/admin/maps/${MAP}/resume`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } });
    expect(resumed.status).toBe(200);
    const text = await eventually(async () => {
      const t = await scrape();
      return value(t, 'finops_bridge_map_pending', `map="${MAP}"`) === 0 ? t : null;
    }, 20_000, 200);
    expect(value(text, 'finops_bridge_map_state', `map="${MAP}",state="running"`)).toBe(1);
    expect(value(text, 'finops_bridge_map_lag_seconds', `map="${MAP}"`)).toBe(0);
    expect(value(text, 'finops_bridge_map_processed_total', `map="${MAP}"`)).toBeGreaterThanOrEqual(3);
    expect(value(text, 'finops_bridge_map_written_total', `map="${MAP}"`)).toBeGreaterThanOrEqual(3);

    // An initial sync of one company: its progress on /metrics.
    const started = await fetch(`${url}/api/v1/admin/maps/${MAP}/initial-sync`, {
      method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ legalEntities: ['nlmf'], winner: 'fno' }),
    });
    expect(started.status).toBe(202);
    await eventually(async () => (await admin<{ state: string }>(`/maps/${MAP}/initial-sync`)).state === 'done', 30_000, 200);
    const after = await scrape();
    const total = value(after, 'finops_bridge_initial_sync_total', `map="${MAP}"`);
    expect(total).toBeGreaterThan(0);
    expect(value(after, 'finops_bridge_initial_sync_done', `map="${MAP}"`)).toBe(total);
    expect(value(after, 'finops_bridge_initial_sync_running', `map="${MAP}"`)).toBe(0);

    // The shipped Grafana dashboard asks only for metrics the bridge serves.
    const dashboard = fs.readFileSync(fileURLToPath(new URL('../../docs/grafana/finops-bridge.json', import.meta.url)), 'utf8');
    const asked = [...new Set(dashboard.match(/finops_bridge_[a-z_]+/g) ?? [])];
    expect(asked.length).toBeGreaterThanOrEqual(10);
    expect(asked.filter((m) => !new RegExp(`^${m}(\\{| )`, 'm').test(after))).toEqual([]);
  }, 60_000);
});
