// The admin API under /api/v1/admin, with the signed-in admin's token. One retry with a fresh token after a 401.
import type {
  ActionResult, AuditItem, ConflictItem, InitialSyncFailureItem, InitialSyncOptions, InitialSyncProgress, MapSummary, NotificationItem, QueuedItem, SyncErrorItem,
} from '../../bridge-service/src/contracts/admin';

export type TokenSource = (forceRefresh: boolean) => Promise<string>;

/** An answer other than 2xx: the bridge's error code and message ({"error":{"code","message"}}). */
export class AdminApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'AdminApiError';
  }
}

export interface ListFilter { map?: string; limit?: number; [key: string]: string | number | undefined }

export class AdminApi {
  constructor(private readonly token: TokenSource, private readonly base = '/api/v1/admin', private readonly fetchImpl: typeof fetch = (...a) => fetch(...a)) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const send = async (force: boolean) => this.fetchImpl(`${this.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${await this.token(force)}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let res = await send(false);
    if (res.status === 401) res = await send(true);
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as unknown) : {};
    if (!res.ok) {
      const err = (parsed as { error?: { code?: string; message?: string } }).error;
      throw new AdminApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? `HTTP ${res.status}`);
    }
    return parsed as T;
  }

  maps(): Promise<MapSummary[]> {
    return this.call<{ maps: MapSummary[] }>('GET', '/maps').then((b) => b.maps);
  }
  pause(map: string): Promise<ActionResult> {
    return this.call('POST', `/maps/${encodeURIComponent(map)}/pause`);
  }
  resume(map: string): Promise<ActionResult> {
    return this.call('POST', `/maps/${encodeURIComponent(map)}/resume`);
  }
  startInitialSync(map: string, options: InitialSyncOptions = {}): Promise<ActionResult> {
    return this.call('POST', `/maps/${encodeURIComponent(map)}/initial-sync`, options);
  }
  initialSync(map: string): Promise<InitialSyncProgress> {
    return this.call('GET', `/maps/${encodeURIComponent(map)}/initial-sync`);
  }
  /** Failing records, and the records the last initial sync of each map could not write. */
  errors(f: ListFilter = {}): Promise<{ errors: SyncErrorItem[]; initialSync: InitialSyncFailureItem[] }> {
    return this.call<{ errors: SyncErrorItem[]; initialSync?: InitialSyncFailureItem[] }>('GET', `/errors${query(f)}`)
      .then((b) => ({ errors: b.errors, initialSync: b.initialSync ?? [] }));
  }
  retryError(id: string): Promise<ActionResult> {
    return this.call('POST', `/errors/${encodeURIComponent(id)}/retry`);
  }
  dismissError(id: string): Promise<ActionResult> {
    return this.call('POST', `/errors/${encodeURIComponent(id)}/dismiss`);
  }
  conflicts(f: ListFilter = {}): Promise<ConflictItem[]> {
    return this.call<{ conflicts: ConflictItem[] }>('GET', `/conflicts${query(f)}`).then((b) => b.conflicts);
  }
  dismissConflict(id: string): Promise<ActionResult> {
    return this.call('POST', `/conflicts/${encodeURIComponent(id)}/dismiss`);
  }
  queue(f: ListFilter = {}): Promise<QueuedItem[]> {
    return this.call<{ queued: QueuedItem[] }>('GET', `/queue${query(f)}`).then((b) => b.queued);
  }
  notifications(f: ListFilter = {}): Promise<NotificationItem[]> {
    return this.call<{ notifications: NotificationItem[] }>('GET', `/notifications${query(f)}`).then((b) => b.notifications);
  }
  audit(f: { accountId?: string; limit?: number } = {}): Promise<AuditItem[]> {
    return this.call<{ entries: AuditItem[] }>('GET', `/audit${query(f)}`).then((b) => b.entries);
  }
}

function query(f: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
