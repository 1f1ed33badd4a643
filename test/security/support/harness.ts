// One bridge (buildApp + inject) against the real sandbox on ephemeral ports, with every log line
// captured, plus what a hostile-input test needs: tokens, linked accounts, and a "nothing was
// written" snapshot (F&O and Dataverse write counters of the sandbox, and the bridge's audit table).
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { sandboxEnv, startSandbox, type Sandbox } from '@finops-bridge/sandbox';
import { buildApp, loadConfig, openStore, type BridgeConfig, type BridgeExtension, type TokenVerifier } from '@finops-bridge/bridge-service';
import { firstAccountPerCompany, linkAsTheSyncWould, type AccountsByCompany } from '../../../bridge-service/test/support/accounts';

/** The webhook secret the harness configures: tests check it never shows up in a log. */
export const WEBHOOK_SECRET = 'hostile-suite-webhook-secret-0123456789';

export interface Harness {
  sb: Sandbox;
  app: FastifyInstance;
  config: BridgeConfig;
  logs: string[];
  /** A Dataverse account linked to an F&O customer, per company (usmf, nlmf, semf). */
  accounts: AccountsByCompany;
  bearer(who: 'sales' | 'controller' | 'admin' | 'guest', version?: '1.0' | '2.0'): Promise<string>;
  writes(): Promise<WriteCounters>;
  close(): Promise<void>;
}

export interface WriteCounters {
  fno: number;
  dataverse: number;
  audit: number;
}

export interface HarnessOptions {
  customers?: number;
  verifier?: (config: BridgeConfig) => TokenVerifier;
  extensions?: (config: BridgeConfig) => BridgeExtension[];
  env?: Record<string, string>;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const sb = await startSandbox({ quiet: true, customers: opts.customers ?? 30, seed: 11, fastRetries: true });
  const config = loadConfig({
    ...sandboxEnv(sb.urls), LOG_LEVEL: 'debug', DATA_DIR: '/tmp/unused', DATAVERSE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    RATE_LIMIT_MAX: '100000', RATE_LIMIT_ADDRESS_MAX: '1000000', HTTP_RETRIES: '1', ...opts.env,
  });
  const logs: string[] = [];
  const logStream = new Writable({ write(chunk: Buffer, _enc, cb) { logs.push(chunk.toString()); cb(); } });
  const store = await openStore({ sqliteFile: ':memory:' });
  const app = await buildApp(config, {
    store, logStream, verifier: opts.verifier?.(config), extensions: opts.extensions?.(config),
  });
  await app.ready();

  const accounts = await firstAccountPerCompany(app.bridge.clients.dataverse);
  await linkAsTheSyncWould(app.bridge.repos.links, accounts);

  const writes = async (): Promise<WriteCounters> => {
    const fno = (await (await fetch(`${sb.urls.fno}/_sandbox/stats`)).json()) as { entities: Record<string, { creates?: number; updates?: number; deletes?: number }> };
    const dvs = (await (await fetch(`${sb.urls.dataverse}/_sandbox/stats`)).json()) as { tables: unknown };
    const audit = await sql<{ n: number | string }>`select count(*) as n from audit_log`.execute(app.bridge.store.db);
    return {
      fno: Object.values(fno.entities).reduce((s, e) => s + (e.creates ?? 0) + (e.updates ?? 0) + (e.deletes ?? 0), 0),
      dataverse: dataverseWrites(dvs.tables),
      audit: Number(audit.rows[0].n),
    };
  };

  return {
    sb, app, config, logs, accounts, writes,
    bearer: async (who, version = '2.0') => sb.getToken(who, 'bridge', version),
    close: async () => {
      await app.close();
      await sb.close();
    },
  };
}

/** Sums every counter named like a write in the Dataverse sandbox stats, whatever its exact shape. */
function dataverseWrites(stats: unknown): number {
  let n = 0;
  const walk = (v: unknown, key: string) => {
    if (typeof v === 'number' && /create|update|delete|write|upsert/i.test(key)) n += v;
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(stats, '');
  return n;
}

/** Every 5xx answer is a defect: this returns a readable description of one, for expect(...).toEqual([]). */
export function fiveXx(res: { statusCode: number; body: string }, what: string): string[] {
  return res.statusCode >= 500 ? [`${what} -> ${res.statusCode} ${res.body.slice(0, 300)}`] : [];
}

/**
 * What must never be in a log line: a JWT (inbound bearer tokens and the bridge's own downstream tokens),
 * the webhook key, the client secret. Returns the offending excerpts (empty when clean).
 */
export function secretsInLogs(h: Pick<Harness, 'logs' | 'config'>): string[] {
  const text = h.logs.join('');
  const found: string[] = [];
  const jwt = /eyJ[\w-]{8,}\.eyJ[\w-]{8,}(\.[\w-]*)?/.exec(text);
  if (jwt) found.push(`a JWT: ${text.slice(Math.max(0, jwt.index - 120), jwt.index + 40)}`);
  for (const [name, secret] of [['webhook key', h.config.webhookSecret], ['client secret', h.config.outbound.clientSecret]] as const) {
    const i = secret ? text.indexOf(secret) : -1;
    if (i >= 0) found.push(`the ${name}: ${text.slice(Math.max(0, i - 160), i + 10)}`);
  }
  return found;
}
