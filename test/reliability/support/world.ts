// The sandbox and one or more bridges on ephemeral loopback ports, tuned for fault tests: short
// outbound timeouts, fast polling and backoff, webhooks registered for real, optional PostgreSQL.
// Plus what the fault tests observe: user edits on either side, fault knobs, sandbox write counters,
// and a recorder of the F&O data events (what F&O actually held, in order).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { LIFTED_BUDGETS, sandboxEnv, startSandbox, type Sandbox } from '@finops-bridge/sandbox';
import { buildApp, loadConfig } from '@finops-bridge/bridge-service';
import { createSyncExtension, type SyncExtension } from '../../../bridge-service/src/sync/runtime/extension';
import type { EngineSettings } from '../../../bridge-service/src/config';

export const WEBHOOK_SECRET = 'reliability-webhook-secret-0123456789';
export const MAP = 'customers-accounts';

export interface Bridge {
  app: FastifyInstance;
  url: string;
  sync: SyncExtension;
  close(): Promise<void>;
}

export async function startWorld(customers = 30): Promise<Sandbox> {
  // Fault trials, not throttling trials: the request budgets are lifted (the real limits are tested in test/strict).
  return startSandbox({ customers, quiet: true, fastRetries: true, seed: 5, fnoProtection: LIFTED_BUDGETS, dataverseProtection: LIFTED_BUDGETS });
}

export async function startBridge(sb: Sandbox, opts: { databaseUrl?: string; env?: Record<string, string>; settings?: Partial<EngineSettings> } = {}): Promise<Bridge> {
  const config = loadConfig({
    ...sandboxEnv(sb.urls), PORT: '0', HOST: '127.0.0.1', DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'fb-rel-')),
    DATAVERSE_WEBHOOK_SECRET: WEBHOOK_SECRET, LOG_LEVEL: process.env.REL_LOG ?? 'silent', RATE_LIMIT_MAX: '100000', RATE_LIMIT_ADDRESS_MAX: '1000000',
    HTTP_TIMEOUT_MS: '800', HTTP_RETRIES: '1', DEPENDENCY_CHECK_SECONDS: '1', ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}), ...opts.env,
  });
  const sync = createSyncExtension({
    env: {},
    settings: {
      maps: [MAP], pollMs: 50, sweepMs: 0, backoffBaseMs: 50, backoffCapMs: 500, registerWebhooks: 'true', alertErrors: 0, concurrency: 4,
      ...opts.settings,
    },
  });
  const app = await buildApp(config, { extensions: [sync] });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url, sync, close: () => app.close() };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `fn` returns a truthy value; fails with the last value after `timeoutMs`. */
export async function eventually<T>(fn: () => Promise<T>, timeoutMs = 10_000, everyMs = 50): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastErr: unknown;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms (last value ${JSON.stringify(last)}${lastErr ? `, last error ${lastErr instanceof Error ? lastErr.message : JSON.stringify(lastErr)}` : ''})`);
    await sleep(everyMs);
  }
}

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Users of both systems, the fault knobs and the counters. User writes retry through faults, as a person would. */
export function sandboxApi(sb: Sandbox) {
  const dv = sb.urls.dataverseApi;
  const withRetry = async <T>(fn: () => Promise<T>): Promise<T> => {
    for (let i = 0; ; i++) {
      try {
        return await fn();
      } catch (e) {
        if (i >= 200 || !/HTTP (429|5\d\d)|fetch failed|aborted|timeout/i.test(String(e))) throw e;
        await sleep(50);
      }
    }
  };
  const fnoKey = (company: string, account: string) => `dataAreaId='${company}',CustomerAccount='${account.replace(/'/g, "''")}'`;
  return {
    async dvList(entitySet: string, query: string): Promise<Record<string, unknown>[]> {
      const t = await sb.getToken('bridge', 'dataverse');
      return withRetry(async () => (await json<{ value: Record<string, unknown>[] }>(await fetch(`${dv}/${entitySet}?${query}`, { headers: { authorization: `Bearer ${t}` } }))).value);
    },
    async dvRow(entitySet: string, id: string): Promise<Record<string, unknown>> {
      const t = await sb.getToken('bridge', 'dataverse');
      return withRetry(async () => json(await fetch(`${dv}/${entitySet}(${id})`, { headers: { authorization: `Bearer ${t}` } })));
    },
    /** A user's edit in a Dataverse form (the controller may edit nlmf and semf accounts). */
    async dvEdit(id: string, body: Record<string, unknown>): Promise<void> {
      const t = await sb.getToken('controller', 'dataverse');
      await withRetry(async () => json(await fetch(`${dv}/accounts(${id})`, {
        method: 'PATCH', headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json', 'If-Match': '*' }, body: JSON.stringify(body),
      })));
    },
    /** The same edit while Dataverse is up but F&O is not (no retry needed, fails loudly otherwise). */
    async dvEditUnfaulted(id: string, body: Record<string, unknown>): Promise<void> {
      const t = await sb.getToken('controller', 'dataverse');
      await json(await fetch(`${dv}/accounts(${id})`, {
        method: 'PATCH', headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json', 'If-Match': '*' }, body: JSON.stringify(body),
      }));
    },
    async fnoCustomer(company: string, account: string): Promise<Record<string, unknown>> {
      const t = await sb.getToken('bridge', 'fno');
      return withRetry(async () => json(await fetch(`${sb.urls.fno}/data/CustomersV3(${fnoKey(company, account)})?cross-company=true`, { headers: { authorization: `Bearer ${t}` } })));
    },
    /** A change made inside F&O by one of its users (emits data and business events like any write). */
    async fnoEdit(row: Record<string, unknown>): Promise<void> {
      await json(await fetch(`${sb.urls.fno}/_sandbox/records/CustomersV3`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(row) }));
    },
    async fnoFaults(f: Record<string, unknown>): Promise<void> {
      await json(await fetch(`${sb.urls.fno}/_sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(f) }));
    },
    async dvFaults(f: Record<string, unknown>): Promise<void> {
      await json(await fetch(`${sb.urls.dataverse}/_sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(f) }));
    },
    async clearFaults(): Promise<void> {
      await this.fnoFaults({ latencyMs: 0, errorRates: {}, timeoutRate: 0 });
      await this.dvFaults({});
    },
    async writes(): Promise<{ fnoCustomerUpdates: number; fnoCustomerCreates: number; dvAccountUpdates: number; dvAccountCreates: number }> {
      const f = await json<{ entities: Record<string, { creates?: number; updates?: number }> }>(await fetch(`${sb.urls.fno}/_sandbox/stats`));
      const d = await json<{ tables: Record<string, { created: number; updated: number }> }>(await fetch(`${sb.urls.dataverse}/_sandbox/stats`));
      return {
        fnoCustomerUpdates: f.entities.CustomersV3?.updates ?? 0, fnoCustomerCreates: f.entities.CustomersV3?.creates ?? 0,
        dvAccountUpdates: d.tables.account?.updated ?? 0, dvAccountCreates: d.tables.account?.created ?? 0,
      };
    },
  };
}
export type SandboxApi = ReturnType<typeof sandboxApi>;

/** Organisation customers whose account number starts with `prefix` (NL- for nlmf), with their Dataverse account ids. */
export async function customersOf(api: SandboxApi, prefix: string): Promise<{ account: string; id: string }[]> {
  const rows = await api.dvList('accounts', '$select=accountid,accountnumber');
  return rows.map((r) => ({ account: String(r.accountnumber), id: String(r.accountid) })).filter((r) => r.account.startsWith(prefix))
    .sort((a, b) => a.account.localeCompare(b.account));
}

export interface FnoEventRecorder {
  /** Values of `field` F&O held after each write, per customer account, in the order F&O emitted them. */
  values(field: string): Map<string, unknown[]>;
  close(): Promise<void>;
}

/** Subscribes to F&O data events of CustomersV3 and keeps them (a loopback HTTP receiver). */
export async function recordFnoEvents(sb: Sandbox): Promise<FnoEventRecorder> {
  const events: Record<string, unknown>[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        events.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
      } catch { /* not ours */ }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  await json(await fetch(`${sb.urls.fno}/_sandbox/events/subscriptions`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'data', url, entitySets: ['CustomersV3'] }),
  }));
  return {
    values(field) {
      const out = new Map<string, unknown[]>();
      for (const e of events) {
        const target = (e.InputParameters as { key: string; value: { Attributes?: { key: string; value: unknown }[]; KeyAttributes?: { key: string; value: unknown }[] } }[] | undefined)
          ?.find((p) => p.key === 'Target')?.value;
        const attrs = new Map((target?.Attributes ?? []).map((a) => [a.key, a.value]));
        const keys = new Map((target?.KeyAttributes ?? []).map((a) => [a.key, a.value]));
        if (!attrs.has(field)) continue;
        const account = String(keys.get('CustomerAccount') ?? attrs.get('CustomerAccount'));
        out.set(account, [...(out.get(account) ?? []), attrs.get(field)]);
      }
      return out;
    },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** GET on the bridge's API as a demo user. */
export async function bridgeGet<T>(b: Bridge, sb: Sandbox, who: 'admin' | 'sales', p: string): Promise<T> {
  const t = await sb.getToken(who, 'bridge');
  return json<T>(await fetch(`${b.url}/api/v1${p}`, { headers: { authorization: `Bearer ${t}` } }));
}

/** The bridge's queue, for a failure message: every job with its state and last error. */
export async function queueDump(b: Bridge): Promise<string> {
  const db = b.sync.engine().db;
  const jobs = await db.selectFrom('sync_jobs').select(['side', 'record_key', 'state', 'attempts', 'last_event_seq', 'claimed_seq', 'lease_owner', 'lease_until', 'next_run_at', 'last_error', 'updated_at']).execute();
  const events = await db.selectFrom('sync_events').select(['seq', 'side', 'record_key', 'received_at']).orderBy('seq').execute();
  return JSON.stringify({ now: new Date().toISOString(), jobs, events }, null, 1);
}
