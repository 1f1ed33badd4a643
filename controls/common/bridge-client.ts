// The one place that knows the bridge's URLs, headers and error bodies.
import type { FinanceEdit, FinanceSummary, RecordSyncStatus } from '../../bridge-service/src/contracts';
import { TokenError, type TokenProvider } from './token/token-provider';

export type BridgeFailure =
  | { kind: 'not_linked'; message: string }
  | { kind: 'unauthorized'; message: string }
  | { kind: 'sign_in'; message: string }
  | { kind: 'forbidden'; message: string }
  | { kind: 'unreachable'; message: string }
  | { kind: 'not_found'; message: string }
  | { kind: 'busy'; message: string }
  | { kind: 'upstream'; message: string }
  | { kind: 'conflict'; message: string; current: FinanceSummary | null }
  | { kind: 'error'; message: string; code: string; status: number };

export type BridgeResult<T> = { kind: 'ok'; data: T } | BridgeFailure;

interface ErrorBodyShape {
  error?: { code?: string; message?: string; details?: unknown };
}

/** Pure: what an HTTP answer from the bridge means for the user. */
export function classifyFailure(status: number, body: unknown): BridgeFailure {
  const err = (body as ErrorBodyShape | null)?.error;
  const code = err?.code ?? '';
  const message = err?.message ?? '';
  if (status === 404 && (code === 'FB_ACCOUNT_NOT_LINKED' || code === 'FB_CONTACT_NOT_LINKED')) return { kind: 'not_linked', message };
  // The bridge answers 404 both for a missing record and for one the user may not read.
  if (status === 404 && (code === 'FB_ACCOUNT_NOT_FOUND' || code === 'FB_CONTACT_NOT_FOUND' || code === 'FB_NOT_FOUND')) return { kind: 'not_found', message };
  if (status === 429) return { kind: 'busy', message };
  if (code.startsWith('FB_UPSTREAM_')) return { kind: 'upstream', message };
  if (status === 401) return { kind: 'unauthorized', message };
  if (status === 403) return { kind: 'forbidden', message };
  if (status === 412 || code === 'FB_CONFLICT_ETAG') {
    // The bridge sends the current values as details.current.
    const details = err?.details as { current?: unknown } | undefined;
    const current = isFinanceSummary(details?.current) ? details.current : isFinanceSummary(details) ? details : null;
    return { kind: 'conflict', message, current };
  }
  if (status >= 500 && !err) return { kind: 'unreachable', message };
  if (status === 502 || status === 503 || status === 504) return { kind: 'unreachable', message };
  return { kind: 'error', message: message || `HTTP ${status}`, code: code || `HTTP_${status}`, status };
}

function isFinanceSummary(v: unknown): v is FinanceSummary {
  return typeof v === 'object' && v !== null && typeof (v as FinanceSummary).etag === 'string' && typeof (v as FinanceSummary).creditLimit === 'number';
}

export function newIdempotencyKey(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c?.getRandomValues) c.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const h = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export interface ReadOptions { fresh?: boolean }

/** The tables the finance panel works on, with the bridge's collection for each (person customers are contacts). */
export const FINANCE_TABLES = { account: 'accounts', contact: 'contacts' } as const;
export type FinanceTable = keyof typeof FINANCE_TABLES;

export function isFinanceTable(table: string | null | undefined): table is FinanceTable {
  return typeof table === 'string' && Object.prototype.hasOwnProperty.call(FINANCE_TABLES, table);
}

function financePath(table: FinanceTable, id: string): string {
  return `/api/v1/${FINANCE_TABLES[table]}/${encodeURIComponent(id)}/finance`;
}
interface CallOptions { body?: unknown; headers?: Record<string, string>; fresh?: boolean }

export class BridgeClient {
  constructor(
    private readonly baseUrl: string,
    private readonly tokens: TokenProvider,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {}

  /**
   * fresh: a read the user asked for (Refresh, Try again) or one that must see a change; it revalidates with the
   * bridge instead of taking the browser's cached answer (the finance route allows private caching).
   */
  getFinance(recordId: string, read: ReadOptions = {}, table: FinanceTable = 'account'): Promise<BridgeResult<FinanceSummary>> {
    return this.call<FinanceSummary>('GET', financePath(table, recordId), { fresh: read.fresh });
  }

  patchFinance(recordId: string, etag: string, edit: FinanceEdit, idempotencyKey: string, table: FinanceTable = 'account'): Promise<BridgeResult<FinanceSummary>> {
    return this.call<FinanceSummary>('PATCH', financePath(table, recordId), {
      body: edit,
      headers: { 'If-Match': etag, 'Idempotency-Key': idempotencyKey },
    });
  }

  getSyncStatus(table: string, id: string, read: ReadOptions = {}): Promise<BridgeResult<RecordSyncStatus>> {
    return this.call<RecordSyncStatus>('GET', `/api/v1/sync/records/${encodeURIComponent(table)}/${encodeURIComponent(id)}`, { fresh: read.fresh });
  }

  retrySync(table: string, id: string): Promise<BridgeResult<unknown>> {
    return this.call<unknown>('POST', `/api/v1/admin/sync/records/${encodeURIComponent(table)}/${encodeURIComponent(id)}/retry`);
  }

  /** Runs after the user clicked "Sign in": a popup may open. */
  async signIn(): Promise<BridgeResult<null>> {
    try {
      await this.tokens.getToken({ interactive: true });
      return { kind: 'ok', data: null };
    } catch (e) {
      // A blocked or closed popup: keep offering the button rather than an error.
      if (e instanceof TokenError && e.kind === 'interaction_required') return { kind: 'sign_in', message: e.message };
      return { kind: 'error', message: (e as Error).message, code: 'SIGN_IN_FAILED', status: 0 };
    }
  }

  private async call<T>(method: string, path: string, opts: CallOptions = {}): Promise<BridgeResult<T>> {
    let result = await this.once<T>(method, path, opts, false);
    // An expired or revoked token: one more try with a fresh one.
    if (result.kind === 'unauthorized') result = await this.once<T>(method, path, opts, true);
    return result;
  }

  private async once<T>(method: string, path: string, opts: CallOptions, forceRefresh: boolean): Promise<BridgeResult<T>> {
    let token: string;
    try {
      token = await this.tokens.getToken({ forceRefresh });
    } catch (e) {
      if (e instanceof TokenError && e.kind === 'interaction_required') return { kind: 'sign_in', message: e.message };
      return { kind: 'error', message: (e as Error).message, code: 'TOKEN_FAILED', status: 0 };
    }
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${token}`, ...opts.headers };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        ...(opts.fresh ? { cache: 'no-cache' as RequestCache } : {}),
      });
    } catch (e) {
      return { kind: 'unreachable', message: (e as Error).message };
    }
    const text = await res.text().catch(() => '');
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (res.ok) return { kind: 'ok', data: body as T };
    return classifyFailure(res.status, body);
  }
}
