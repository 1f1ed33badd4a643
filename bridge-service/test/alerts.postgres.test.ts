// Three bridge instances on one PostgreSQL, each with its own connection pool, deliver the same notifications and
// check the same rules at the same moment: every notification reaches each webhook exactly once, and a rule that
// holds notifies once between them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { openStore, type Store } from '../src/db/connection';
import { createNotificationsRepo } from '../src/db/repos/notifications';
import { createDelivery } from '../src/alerts/delivery';
import { recordFirings } from '../src/alerts/rules';
import { startPostgres, type PgHarness } from './support/postgres';

let pg: PgHarness | null;
let stores: Store[] = [];
let server: http.Server;
let base: string;
const hits: string[] = [];
const log = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;

beforeAll(async () => {
  pg = await startPostgres();
  if (!pg) return;
  const url = await pg.createDatabase();
  stores = await Promise.all([0, 1, 2].map(() => openStore({ databaseUrl: url })));
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => { text += c.toString(); });
    // A slow webhook widens the window in which a second sender could slip in.
    req.on('end', () => setTimeout(() => { hits.push(`${req.url ?? ''} ${text}`); res.writeHead(200).end(); }, 20));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  for (const s of stores) await s.close();
  if (server) await new Promise((r) => server.close(r));
  await pg?.stop();
});

const maybe = (title: string, fn: () => Promise<void>) => it(title, async () => (pg ? fn() : undefined), 30_000);

describe('notifications with three instances on PostgreSQL', () => {
  maybe('a rule that holds notifies once between them', async () => {
    const firing = [{ key: 'unreachable:dataverse', map: null, kind: 'service_unreachable' as const, message: 'Dataverse does not answer' }];
    const raised = await Promise.all(stores.map((s) => recordFirings(createNotificationsRepo(s.db), firing)));
    expect(raised.reduce((a, b) => a + b, 0)).toBe(1);
  });

  maybe('each notification reaches each webhook exactly once', async () => {
    const repo = createNotificationsRepo(stores[0].db);
    for (let i = 0; i < 20; i++) await repo.add('customers-accounts', 'lag_above_limit', `behind ${i}`);
    const webhooks = [
      { label: 'generic#1-aaaa', url: `${base}/generic/x`, format: 'generic' as const },
      { label: 'teams#1-bbbb', url: `${base}/teams/y`, format: 'teams' as const },
    ];
    const instances = stores.map((s, i) => createDelivery({ settings: { webhooks, attempts: 3 }, repo: createNotificationsRepo(s.db), log, owner: `i${i}` }));
    const delivered = await Promise.all([...instances, ...instances].map((d) => d.run()));
    expect(delivered.reduce((a, b) => a + b, 0)).toBe(42);
    expect(hits).toHaveLength(42);
    expect(new Set(hits).size).toBe(42);
  });
});
