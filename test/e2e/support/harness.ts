// Starts the sandbox and one or more bridges in-process on ephemeral ports (SQLite in a temp dir, or a
// given PostgreSQL), with the sync engine tuned for tests (fast polling, no sweep timer).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { LIFTED_BUDGETS, sandboxEnv, startSandbox, type Sandbox } from '@finops-bridge/sandbox';
import { buildApp } from '../../../bridge-service/src/app';
import { loadConfig, type EngineSettings } from '../../../bridge-service/src/config';
import { createSyncExtension, type SyncExtension } from '../../../bridge-service/src/sync/runtime/extension';
import type { TableMap } from '../../../bridge-service/src/sync/core/maps/types';

export const WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789abcdef';

export interface Bridge {
  app: FastifyInstance;
  url: string;
  sync: SyncExtension;
  close(): Promise<void>;
}

/** `env`: further variables of the bridge's configuration (they win over the sandbox's). */
export async function startBridge(
  sandbox: Sandbox,
  opts: { dataDir?: string; databaseUrl?: string; settings?: Partial<EngineSettings>; /** Map definitions (default: the shipped maps). */ maps?: readonly TableMap[]; env?: Record<string, string> } = {},
): Promise<Bridge> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'fb-e2e-'));
  const config = loadConfig({
    ...sandboxEnv(sandbox.urls),
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATAVERSE_WEBHOOK_SECRET: WEBHOOK_SECRET, LOG_LEVEL: process.env.E2E_LOG ?? 'silent',
    RATE_LIMIT_MAX: '100000', RATE_LIMIT_ADDRESS_MAX: '1000000', ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}), ...opts.env,
  });
  const sync = createSyncExtension({
    env: {},
    settings: { maps: ['customers-accounts'], pollMs: 50, sweepMs: 0, backoffBaseMs: 50, backoffCapMs: 1000, registerWebhooks: 'true', ...opts.settings },
    maps: opts.maps,
  });
  const app = await buildApp(config, { extensions: [sync] });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url, sync, close: () => app.close() };
}

/**
 * The sandbox for a test. `liftBudgets`: the request and execution-time budgets of service protection lifted (the
 * crash and volume trials write more rows than one user may in 5 minutes; they test durability, and the real limits
 * are tested in test/strict).
 */
export async function startWorld(opts: { customers?: number; liftBudgets?: boolean } = {}): Promise<Sandbox> {
  const lifted = opts.liftBudgets ? { fnoProtection: LIFTED_BUDGETS, dataverseProtection: LIFTED_BUDGETS } : {};
  return startSandbox({ customers: opts.customers ?? 30, quiet: true, fastRetries: true, ...lifted });
}

/** A call of the bridge's admin API with `token` (a GET, or a POST with an optional JSON body). */
export function adminFetch(bridge: Bridge, token: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
  return fetch(`${bridge.url}/api/v1/admin${path}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
  });
}

/** Polls until `fn` returns a truthy value; fails with the last value after `timeoutMs`. */
export async function eventually<T>(fn: () => Promise<T>, timeoutMs = 5000, everyMs = 25): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms (last value ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function json<T = unknown>(res: Response): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Reads and writes on the sandbox as users would (tokens from the sandbox issuer). */
export function sandboxApi(sandbox: Sandbox) {
  const dv = sandbox.urls.dataverseApi;
  const fnoData = `${sandbox.urls.fno}/data`;
  return {
    async dvGet(entitySet: string, query: string): Promise<Record<string, unknown>[]> {
      const t = await sandbox.getToken('bridge', 'dataverse');
      const r = await json<{ value: Record<string, unknown>[] }>(await fetch(`${dv}/${entitySet}?${query}`, { headers: { authorization: `Bearer ${t}` } }));
      return r.value;
    },
    async dvRow(entitySet: string, id: string): Promise<Record<string, unknown>> {
      const t = await sandbox.getToken('bridge', 'dataverse');
      return json(await fetch(`${dv}/${entitySet}(${id})`, { headers: { authorization: `Bearer ${t}` } }));
    },
    /** A user's edit in a model-driven form: PATCH as the controller (writes nlmf and semf), not as the bridge. */
    async dvPatch(entitySet: string, id: string, body: Record<string, unknown>): Promise<void> {
      const t = await sandbox.getToken('controller', 'dataverse');
      await json(await fetch(`${dv}/${entitySet}(${id})`, {
        method: 'PATCH', headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json', 'If-Match': '*' }, body: JSON.stringify(body),
      }));
    },
    async fnoGet(entitySet: string, key: string): Promise<Record<string, unknown>> {
      const t = await sandbox.getToken('bridge', 'fno');
      return json(await fetch(`${fnoData}/${entitySet}(${key})?cross-company=true`, { headers: { authorization: `Bearer ${t}` } }));
    },
    /** The F&O record, or null when F&O answers 404 (not there, or not yet). */
    async fnoFind(entitySet: string, key: string): Promise<Record<string, unknown> | null> {
      const t = await sandbox.getToken('bridge', 'fno');
      const r = await fetch(`${fnoData}/${entitySet}(${key})?cross-company=true`, { headers: { authorization: `Bearer ${t}` } });
      return r.status === 404 ? null : json(r);
    },
    /** A change made inside F&O (a user in the F&O client; `asOid` names that user): emits data events like any write. */
    async fnoChange(entitySet: string, row: Record<string, unknown>, asOid?: string): Promise<void> {
      const as = asOid ? `?as=${asOid}` : '';
      await json(await fetch(`${sandbox.urls.fno}/_sandbox/records/${entitySet}${as}`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(row),
      }));
    },
    async fnoStats(): Promise<{ entities: Record<string, { reads: number; creates?: number; updates?: number }> }> {
      return json(await fetch(`${sandbox.urls.fno}/_sandbox/stats`));
    },
    async dvStats(): Promise<{ tables: Record<string, { created: number; updated: number; rows: number }> }> {
      return json(await fetch(`${sandbox.urls.dataverse}/_sandbox/stats`));
    },
  };
}
