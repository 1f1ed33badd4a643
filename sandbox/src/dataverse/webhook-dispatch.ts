// Delivers registered webhook steps after a change: reads the step registrations from the tables on every
// change (they can change at run time), POSTs the RemoteExecutionContext with the platform's headers.
// Synchronous steps run inside the operation (only 502/503/504 retried, once); asynchronous steps are
// delivered in order per record and retried.
import { randomUUID } from 'node:crypto';
import { buildContext, type MessageName } from './webhook-context';
import { dvErrors } from './errors';
import type { TableDef } from './schema-types';
import { text, type DataverseStore, type Row } from './store';

export const MAX_MESSAGE_BYTES = 256 * 1024;

export interface ChangeEvent {
  table: TableDef;
  message: MessageName;
  id: string;
  target?: Row;
  pre?: Row;
  post?: Row;
  userId: string;
  initiatingUserId: string;
  businessUnitId: string;
  correlationId: string;
}

export interface DispatchOptions {
  organizationId: string;
  organizationName: string;
  /** Host name sent as x-ms-dynamics-organization. */
  organizationHost: string;
  timeoutMs?: number;
  asyncRetryDelaysMs?: number[];
}

interface Step { row: Row; endpoint: Row; images: Row[] }

export interface DeliveryRecord { stepId: string; url: string; status: number | 'error'; mode: number; attempt: number }

const settingsOf = (xml: string): [string, string][] =>
  [...xml.matchAll(/<setting\s+name="([^"]*)"\s+value="([^"]*)"\s*\/>/g)].map((m) => [m[1], m[2]]);

export class WebhookDispatcher {
  private queues = new Map<string, Promise<void>>();
  private closed = false;
  private sleepers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  private aborter = new AbortController();
  readonly deliveries: DeliveryRecord[] = [];

  constructor(private store: DataverseStore, private opts: DispatchOptions) {}

  stepsFor(table: string, message: MessageName, changed?: string[]): Step[] {
    const s = this.store;
    return s.all('sdkmessageprocessingstep').filter((step) => {
      if ((step.statecode ?? 0) !== 0) return false;
      const msg = s.get('sdkmessage', text(step._sdkmessageid_value));
      const filter = s.get('sdkmessagefilter', text(step._sdkmessagefilterid_value));
      const endpoint = s.get('serviceendpoint', text(step._eventhandler_value));
      if (msg?.name !== message || filter?.primaryobjecttypecode !== table || !endpoint || endpoint.contract !== 8) return false;
      const fa = typeof step.filteringattributes === 'string' ? step.filteringattributes.split(',').map((a) => a.trim()).filter(Boolean) : [];
      // As the platform: an Update step with filtering attributes fires when one of them is in the update.
      return message !== 'Update' || fa.length === 0 || (changed ?? []).some((c) => fa.includes(c));
    }).sort((a, b) => Number(a.rank ?? 1) - Number(b.rank ?? 1)).map((row) => ({
      row,
      endpoint: s.get('serviceendpoint', String(row._eventhandler_value))!,
      images: s.all('sdkmessageprocessingstepimage').filter((im) => im._sdkmessageprocessingstepid_value === row.sdkmessageprocessingstepid),
    }));
  }

  /** Runs the synchronous steps; throws (so the operation rolls back) when one fails. */
  async runSync(ev: ChangeEvent): Promise<void> {
    for (const step of this.stepsFor(ev.table.logicalName, ev.message, changedColumns(ev.target)).filter((st) => st.row.mode === 0)) {
      let status = await this.deliver(step, ev, 1);
      if (status === 502 || status === 503 || status === 504) status = await this.deliver(step, ev, 2);
      if (typeof status !== 'number' || status >= 300) {
        throw dvErrors.pluginFailed(`The webhook step '${String(step.row.name)}' at ${String(step.endpoint.url)} failed (${status}): the operation was rolled back.`);
      }
    }
  }

  /** Queues the asynchronous steps, in order per record. */
  enqueueAsync(ev: ChangeEvent): void {
    const steps = this.stepsFor(ev.table.logicalName, ev.message, changedColumns(ev.target)).filter((st) => st.row.mode !== 0);
    if (!steps.length) return;
    const key = `${ev.table.logicalName}:${ev.id}`;
    const prev = this.queues.get(key) ?? Promise.resolve();
    const next = prev.then(async () => {
      for (const step of steps) await this.deliverWithRetries(step, ev);
    });
    this.queues.set(key, next);
    void next.finally(() => { if (this.queues.get(key) === next) this.queues.delete(key); });
  }

  async idle(): Promise<void> {
    while (this.queues.size) await Promise.all([...this.queues.values()]);
  }

  /** Stops retries and in-flight deliveries so a closed server leaves no timers behind. */
  close(): void {
    this.closed = true;
    this.aborter.abort();
    for (const s of this.sleepers) {
      clearTimeout(s.timer);
      s.wake();
    }
    this.sleepers.clear();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = { timer: setTimeout(() => { this.sleepers.delete(entry); resolve(); }, ms), wake: resolve };
      this.sleepers.add(entry);
    });
  }

  private async deliverWithRetries(step: Step, ev: ChangeEvent): Promise<void> {
    const delays = this.opts.asyncRetryDelaysMs ?? [1000, 5000, 30000];
    for (let attempt = 1; ; attempt++) {
      if (this.closed) return;
      const status = await this.deliver(step, ev, attempt);
      if (typeof status === 'number' && status < 300) return;
      if (attempt > delays.length) return;
      await this.sleep(delays[attempt - 1]);
    }
  }

  private async deliver(step: Step, ev: ChangeEvent, attempt: number): Promise<number | 'error'> {
    const mode = step.row.mode === 0 ? 0 : 1;
    const image = (types: number[]) => (row: Row | undefined) =>
      step.images.filter((im) => types.includes(Number(im.imagetype)) && row).map((im) => ({ alias: String(im.entityalias), row: pick(row!, im.attributes) }));
    const input = {
      table: ev.table, message: ev.message, id: ev.id, target: ev.target,
      images: { pre: ev.pre ? image([0, 2])(ev.pre) : [], post: ev.post ? image([1, 2])(ev.post) : [] },
      mode, stage: Number(step.row.stage ?? 40), stepId: String(step.row.sdkmessageprocessingstepid), stepName: (step.row.name as string) ?? null,
      userId: ev.userId, initiatingUserId: ev.initiatingUserId, businessUnitId: ev.businessUnitId,
      organizationId: this.opts.organizationId, organizationName: this.opts.organizationName,
      correlationId: ev.correlationId, operationId: randomUUID(), requestId: mode === 0 ? randomUUID() : null, now: new Date(),
    } as const;
    let body = JSON.stringify(buildContext(input));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-ms-dynamics-organization': this.opts.organizationHost,
      'x-ms-dynamics-entity-name': ev.table.logicalName,
      'x-ms-dynamics-request-name': ev.message,
      'x-ms-correlation-request-id': ev.correlationId,
    };
    if (Buffer.byteLength(body) > MAX_MESSAGE_BYTES) {
      body = JSON.stringify(buildContext({ ...input, dropTargetAndImages: true }));
      headers['x-ms-dynamics-msg-size-exceeded'] = 'true';
    }
    const url = new URL(String(step.endpoint.url));
    const authvalue = text(step.endpoint.authvalue);
    if (step.endpoint.authtype === 4) url.searchParams.set('code', authvalue);
    if (step.endpoint.authtype === 5) for (const [k, v] of settingsOf(authvalue)) headers[k] = v;
    if (step.endpoint.authtype === 6) for (const [k, v] of settingsOf(authvalue)) url.searchParams.set(k, v);
    let status: number | 'error';
    try {
      const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.any([AbortSignal.timeout(this.opts.timeoutMs ?? 60_000), this.aborter.signal]) });
      await res.arrayBuffer();
      status = res.status;
    } catch {
      status = 'error';
    }
    this.deliveries.push({ stepId: String(step.row.sdkmessageprocessingstepid), url: url.origin + url.pathname, status, mode, attempt });
    return status;
  }
}

function changedColumns(target: Row | undefined): string[] {
  return Object.keys(target ?? {}).filter((k) => !k.includes('@')).map((k) => /^_(\w+)_value$/.exec(k)?.[1] ?? k);
}

function pick(row: Row, attributes: unknown): Row {
  if (typeof attributes !== 'string' || !attributes.trim()) return row;
  const want = new Set(attributes.split(',').map((a) => a.trim()));
  return Object.fromEntries(Object.entries(row).filter(([k]) => {
    const col = /^_(\w+)_value/.exec(k)?.[1] ?? k;
    return want.has(col);
  }));
}
