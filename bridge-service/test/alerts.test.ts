// Notification rules and their delivery to webhooks, against a store and a loopback HTTP server: each episode of a
// rule notifies once, each notification reaches each webhook once (two instances racing included), transient
// failures are retried with backoff, refusals are not, and no webhook URL (a secret) reaches a log.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { openStore, type Store } from '../src/db/connection';
import { createNotificationsRepo, type NotificationsRepo } from '../src/db/repos/notifications';
import { createDelivery } from '../src/alerts/delivery';
import { evaluate, knownExpiries, recordFirings } from '../src/alerts/rules';
import { loadConfig, type AlertSettings } from '../src/config';

interface Hit { path: string; body: Record<string, unknown> }

let store: Store;
let repo: NotificationsRepo;
let server: http.Server;
let base: string;
let hits: Hit[];
let answers: { status: number; headers?: Record<string, string> }[];
let logs: string;
let log: FastifyBaseLogger;

beforeEach(async () => {
  store = await openStore({ sqliteFile: ':memory:' });
  repo = createNotificationsRepo(store.db);
  hits = [];
  answers = [];
  logs = '';
  log = pino({ level: 'debug' }, new Writable({ write(chunk: Buffer, _e, cb) { logs += chunk.toString(); cb(); } }));
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => { text += c.toString(); });
    req.on('end', () => {
      hits.push({ path: req.url ?? '', body: JSON.parse(text) as Record<string, unknown> });
      const a = answers.shift() ?? { status: 200 };
      res.writeHead(a.status, a.headers ?? {}).end(a.status === 200 ? '1' : 'nope');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((r) => server.close(r));
  await store.close();
});

const SECRET = 'sig-9f8e7d6c5b4a';
const hooks = (): AlertSettings['webhooks'] => [
  { label: 'generic#1-aaaa', url: `${base}/generic/${SECRET}`, format: 'generic' },
  { label: 'teams#1-bbbb', url: `${base}/teams/${SECRET}`, format: 'teams' },
];
const fast = { baseMs: 10, capMs: 20 };
const settle = () => new Promise((r) => setTimeout(r, 40));

describe('the notification rules', () => {
  const s = { errors: 5, errorsWindowMs: 600_000, lagSeconds: 60, expiryDays: 14 };
  const now = Date.parse('2026-12-03T10:00:00Z');

  it('fire for errors, lag of a running map, a failing service and an expiry close by', () => {
    const f = evaluate(s, {
      now,
      maps: [
        { name: 'a', state: 'running', errors: 5, oldestPendingAt: '2026-12-03T09:58:00Z' },
        { name: 'b', state: 'paused', errors: 4, oldestPendingAt: '2026-12-03T09:00:00Z' },
      ],
      dependencies: { fno: { status: 'failing', checkedAt: '2026-12-03T09:59:30Z' }, dataverse: { status: 'ok', checkedAt: null } },
      expiries: [{ what: 'client secret', at: new Date('2026-12-10T00:00:00Z') }, { what: 'certificate X', at: new Date('2027-12-10T00:00:00Z') }],
    });
    expect(f.map((x) => [x.key, x.kind])).toEqual([
      ['errors:a', 'errors_above_threshold'], ['lag:a', 'lag_above_limit'], ['unreachable:fno', 'service_unreachable'],
      ['expiry:client secret:2026-12-10', 'credential_expiring'],
    ]);
    expect(f[2].message).toMatch(/Finance and Operations does not answer/);
  });

  it('read the expiry from the certificate, or from CLIENT_SECRET_EXPIRES_ON for a secret', () => {
    expect(knownExpiries({ kind: 'secret', clientId: 'c', tokenUrl: 'https://t', clientSecret: 'x' }, '2027-01-31')).toEqual([{ what: 'client secret', at: new Date('2027-01-31T00:00:00Z') }]);
    expect(knownExpiries({ kind: 'secret', clientId: 'c', tokenUrl: 'https://t', clientSecret: 'x' })).toEqual([]);
  });

  it('notify once per episode, and again after the rule stopped holding', async () => {
    const firing = [{ key: 'lag:a', map: 'a', kind: 'lag_above_limit' as const, message: 'behind' }];
    expect(await recordFirings(repo, firing)).toBe(1);
    expect(await recordFirings(repo, firing)).toBe(0);
    // Another instance at the same moment: still one.
    expect(await recordFirings(createNotificationsRepo(store.db), firing)).toBe(0);
    expect(await recordFirings(repo, [])).toBe(0);
    expect(await recordFirings(repo, firing)).toBe(1);
    expect((await repo.list({ limit: 10 })).map((n) => n.kind)).toEqual(['lag_above_limit', 'lag_above_limit']);
  });
});

describe('delivery to webhooks', () => {
  it('sends each notification to each webhook once: a generic JSON document and a Teams Adaptive Card', async () => {
    const id = await repo.add('customers-accounts', 'map_paused_by_alert', 'Map customers-accounts was paused');
    const d = createDelivery({ settings: { webhooks: hooks(), attempts: 3 }, repo, log, backoff: fast });
    expect(await d.run()).toBe(2);
    expect(await d.run()).toBe(0);
    expect(hits.map((h) => h.path).sort()).toEqual([`/generic/${SECRET}`, `/teams/${SECRET}`]);
    expect(hits.find((h) => h.path.startsWith('/generic'))!.body).toMatchObject({
      source: 'finops-bridge', id, kind: 'map_paused_by_alert', map: 'customers-accounts', message: 'Map customers-accounts was paused',
    });
    const teams = hits.find((h) => h.path.startsWith('/teams'))!.body as { type: string; attachments: { contentType: string; contentUrl: null; content: Record<string, unknown> }[] };
    expect(teams.type).toBe('message');
    expect(teams.attachments).toHaveLength(1);
    expect(teams.attachments[0]).toMatchObject({ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: { type: 'AdaptiveCard', version: '1.2' } });
    expect(JSON.stringify(teams.attachments[0].content)).toContain('Map customers-accounts was paused');
    const [n] = await repo.list({ limit: 1 });
    expect(n.deliveries.map((x) => [x.target, x.state, x.attempts])).toEqual([['generic#1-aaaa', 'delivered', 1], ['teams#1-bbbb', 'delivered', 1]]);
    expect(logs).toContain('generic#1-aaaa');
    expect(logs).not.toContain(SECRET);
  });

  it('never sends twice when two instances deliver at the same moment', async () => {
    for (let i = 0; i < 5; i++) await repo.add(null, 'service_unreachable', `down ${i}`);
    const a = createDelivery({ settings: { webhooks: hooks(), attempts: 3 }, repo, log, backoff: fast, owner: 'a' });
    const b = createDelivery({ settings: { webhooks: hooks(), attempts: 3 }, repo: createNotificationsRepo(store.db), log, backoff: fast, owner: 'b' });
    const [x, y] = await Promise.all([a.run(), b.run()]);
    expect(x + y).toBe(10);
    expect(hits).toHaveLength(10);
    expect(new Set(hits.map((h) => `${h.path} ${JSON.stringify(h.body)}`)).size).toBe(10);
  });

  it('retries a temporary failure with backoff (Retry-After honoured), and gives up after the configured tries', async () => {
    await repo.add('m', 'lag_above_limit', 'behind');
    answers = [{ status: 503 }, { status: 429, headers: { 'retry-after': '0' } }];
    const d = createDelivery({ settings: { webhooks: hooks().slice(0, 1), attempts: 3 }, repo, log, backoff: fast });
    expect(await d.run()).toBe(0);
    let [n] = await repo.list({ limit: 1 });
    expect(n.deliveries[0]).toMatchObject({ state: 'pending', attempts: 1, last_error: expect.stringMatching(/^HTTP 503; try 2 of 3/) });
    await settle();
    expect(await d.run()).toBe(0);
    await settle();
    expect(await d.run()).toBe(1);
    [n] = await repo.list({ limit: 1 });
    expect(n.deliveries[0]).toMatchObject({ state: 'delivered', attempts: 3 });

    await repo.add('m', 'lag_above_limit', 'again');
    answers = [{ status: 500 }, { status: 500 }, { status: 500 }];
    for (let i = 0; i < 3; i++) { await d.run(); await settle(); }
    [n] = await repo.list({ limit: 1 });
    expect(n.deliveries[0]).toMatchObject({ state: 'failed', attempts: 3, last_error: 'HTTP 500; gave up after 3 tries' });
    expect(logs).not.toContain(SECRET);
  });

  it('does not retry a webhook that refuses the notification, nor one that no longer answers the same way', async () => {
    await repo.add(null, 'credential_expiring', 'soon');
    answers = [{ status: 404 }];
    const d = createDelivery({ settings: { webhooks: hooks().slice(1), attempts: 5 }, repo, log, backoff: fast });
    await d.run();
    await settle();
    await d.run();
    expect(hits).toHaveLength(1);
    const [n] = await repo.list({ limit: 1 });
    expect(n.deliveries[0]).toMatchObject({ state: 'failed', attempts: 1, last_error: 'the webhook refused it: HTTP 404' });
  });

  it('retries a webhook that does not answer, naming only the error code', async () => {
    await repo.add(null, 'service_unreachable', 'down');
    const spare = http.createServer();
    await new Promise<void>((r) => spare.listen(0, '127.0.0.1', r));
    const closed = `http://127.0.0.1:${(spare.address() as AddressInfo).port}/hook/${SECRET}`;
    await new Promise((r) => spare.close(r));
    const d = createDelivery({ settings: { webhooks: [{ label: 'generic#9-cccc', url: closed, format: 'generic' }], attempts: 2 }, repo, log, backoff: fast });
    await d.run();
    const [n] = await repo.list({ limit: 1 });
    expect(n.deliveries[0]).toMatchObject({ state: 'pending', last_error: expect.stringMatching(/^no answer \(ECONNREFUSED\)/) });
    expect(logs).not.toContain(SECRET);
  });

  it('leaves a delivery whose instance died mid-send abandoned, not sent again', async () => {
    await repo.add(null, 'service_unreachable', 'down');
    await repo.schedule(['generic#1-aaaa'], '2000-01-01T00:00:00Z');
    expect(await repo.claim((await repo.list({ limit: 1 }))[0].id, 'generic#1-aaaa', 'dead', -1)).toBe(true);
    const d = createDelivery({ settings: { webhooks: hooks().slice(0, 1), attempts: 3 }, repo, log, backoff: fast });
    expect(await d.run()).toBe(0);
    expect(hits).toHaveLength(0);
    const [n] = await repo.list({ limit: 1 });
    expect(n.deliveries[0].state).toBe('abandoned');
  });
});

describe('the configuration of webhooks', () => {
  const env = {
    FNO_URL: 'https://fno.example.com', DATAVERSE_URL: 'https://dv.example.com', AUTH_ISSUERS: 'https://login.example.com/t/v2.0', AUTH_TENANT_IDS: 't',
    AUTH_AUDIENCES: 'api://bridge', CLIENT_ID: 'c', CLIENT_SECRET: 's', TOKEN_URL: 'https://login.example.com/t/token',
  };
  it('takes https URLs, and plain http only on this machine', () => {
    const c = loadConfig({ ...env, ALERT_WEBHOOK_URLS: 'https://hooks.example.com/a, http://127.0.0.1:9/b', ALERT_TEAMS_WEBHOOK_URLS: 'https://contoso.webhook.office.com/x' });
    expect(c.alerts.webhooks.map((w) => [w.format, w.label.replace(/-[0-9a-f]{8}$/, '')])).toEqual([['generic', 'generic#1'], ['generic', 'generic#2'], ['teams', 'teams#1']]);
    expect(() => loadConfig({ ...env, ALERT_TEAMS_WEBHOOK_URLS: 'http://hooks.example.com/x' })).toThrow(/ALERT_TEAMS_WEBHOOK_URLS: expected https URLs/);
    expect(() => loadConfig({ ...env, CLIENT_SECRET_EXPIRES_ON: 'soon' })).toThrow(/CLIENT_SECRET_EXPIRES_ON/);
  });
  it('never puts a URL in a label', () => {
    const c = loadConfig({ ...env, ALERT_WEBHOOK_URLS: `https://hooks.example.com/${SECRET}` });
    expect(JSON.stringify(c.alerts.webhooks.map((w) => w.label))).not.toContain(SECRET);
  });
});
