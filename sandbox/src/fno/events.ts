// Change notifications of the F&O sandbox. Real F&O registers endpoints in the business events catalog
// (System administration > Business events: an endpoint is an HTTPS webhook, Service Bus, Event Grid...),
// then activates business events, and data events (Create/Update/Delete per entity, 10.0.22+), for that
// endpoint, optionally per legal entity. The sandbox offers the same two steps in one call:
// POST /_sandbox/events/subscriptions {kind:'data'|'business', url, entitySets?, legalEntities?}. As in F&O,
// an endpoint is a URL and nothing else: F&O sends no custom header, so a receiver's secret is in the URL.
// Data events are RemoteExecutionContext JSON (as Dataverse sends); business events use the F&O envelope.
// Delivery is async (never delays the write), in order per record, several records at once per
// subscription (real F&O sends from a batch job with several threads), retried with capped exponential
// backoff. A record whose event is being retried holds back only that record's later events.
import { randomUUID } from 'node:crypto';
import type { ChangeEvent } from './store';
import type { EntitySchema } from './schema';

export interface Subscription {
  id: string; kind: 'data' | 'business'; url: string; entitySets?: string[]; legalEntities?: string[];
}
export interface EventStats { queued: number; delivered: number; failedAttempts: number; lastControlNumber: number }

const guidUpper = (): string => randomUUID().toUpperCase();
const msDate = (iso: string): string => `/Date(${Date.parse(iso)})/`;

function attrs(row: Record<string, unknown> | undefined, names?: string[]): { key: string; value: unknown }[] {
  if (!row) return [];
  return (names ?? Object.keys(row)).map((k) => ({ key: k, value: row[k] ?? null }));
}

/** RemoteExecutionContext for an F&O data event (Target holds keys and changed fields; PreEntityImages the old row). */
export function dataEventBody(ev: ChangeEvent, entity: EntitySchema, orgUrl: string): Record<string, unknown> {
  const row = ev.after ?? ev.before ?? {};
  const id = entity.keys.map((k) => `${k}=${String(row[k])}`).join(',');
  const targetNames = ev.kind === 'Update' ? [...new Set([...entity.keys, ...ev.changed])] : undefined;
  const target = ev.kind === 'Delete'
    ? { __type: 'EntityReference:http://schemas.microsoft.com/xrm/2011/Contracts', Id: id, KeyAttributes: attrs(row, entity.keys), LogicalName: entity.entitySet, Name: null, RowVersion: null }
    : { __type: 'Entity:http://schemas.microsoft.com/xrm/2011/Contracts', Attributes: attrs(ev.after, targetNames), EntityState: null, FormattedValues: [],
      Id: id, KeyAttributes: attrs(row, entity.keys), LogicalName: entity.entitySet, RelatedEntities: [], RowVersion: null };
  const image = (r?: Record<string, unknown>) => (r ? [{ key: 'PreImage', value: { __type: 'Entity:http://schemas.microsoft.com/xrm/2011/Contracts', Attributes: attrs(r),
    EntityState: null, FormattedValues: [], Id: id, KeyAttributes: attrs(r, entity.keys), LogicalName: entity.entitySet, RelatedEntities: [], RowVersion: null } }] : []);
  return {
    BusinessUnitId: '00000000-0000-0000-0000-000000000000', CorrelationId: randomUUID(), Depth: 1, InitiatingUserId: ev.userOid,
    InputParameters: [{ key: 'Target', value: target }], IsExecutingOffline: false, IsInTransaction: false, IsOfflinePlayback: false,
    IsolationMode: 1, MessageName: ev.kind, Mode: 1, OperationCreatedOn: msDate(ev.at), OperationId: randomUUID(),
    OrganizationId: '00000000-0000-0000-0000-000000000000', OrganizationName: orgUrl, OutputParameters: [], OwningExtension: null,
    ParentContext: null, PostEntityImages: [], PreEntityImages: ev.kind === 'Create' ? [] : image(ev.before),
    PrimaryEntityId: id, PrimaryEntityName: entity.entitySet, RequestId: null, SecondaryEntityName: 'none', SharedVariables: [],
    Stage: 40, UserId: ev.userOid,
  };
}

/** Business event for a customer change, in the envelope of test/fixtures/real/fo-business-event-customer-changed-custom.json. */
export function customerChangedBody(ev: ChangeEvent, controlNumber: number): Record<string, unknown> {
  const r = ev.after ?? ev.before ?? {};
  const s = (k: string): string => (typeof r[k] === 'string' ? (r[k]) : '');
  const company = s('dataAreaId');
  return {
    Account: s('CustomerAccount'), BusinessEventId: 'FinOpsBridgeCustomerChangedBusinessEvent', BusinessEventLegalEntity: company,
    ChangeType: ev.kind, CommissionSalesGroupId: '',
    Contact: { Email: s('PrimaryContactEmail'), Mobile: '', Person: null, Phone: s('PrimaryContactPhone'), PostalAddress: {
      City: s('AddressCity'), CountryId: s('DeliveryAddressCountryRegionId'), CountryIso2: s('AddressCountryRegionISOCode'), CountryName: '',
      StateId: '', StateName: '', Street: s('AddressStreet'), StreetNumber: '', ZipCode: s('AddressZipCode') } },
    ContextRecordSubject: '', ControlNumber: controlNumber, EventId: guidUpper(), EventTime: msDate(ev.at), EventTimeIso8601: ev.at,
    ExternalReferences: [], InitiatingUserAADObjectId: `{${ev.userOid.toUpperCase()}}`, InterCompanyDirectDelivery: 'No',
    LegalEntity: company, MajorVersion: 0, MinorVersion: 0, Name: s('OrganizationName'), ParentContextRecordSubjects: [], WarehouseId: '',
  };
}

interface Queued { body: string; attempts: number }

/** fetch's "fetch failed" with its cause (ECONNREFUSED, a timeout), read without instanceof (errors may come from another realm). */
function networkFailure(e: unknown): string {
  const { message, cause } = (e ?? {}) as { message?: string; cause?: { message?: string; code?: string } };
  const why = cause?.code ?? cause?.message;
  return `${message ?? String(e)}${why ? ` (${why})` : ''}`;
}

/** One log line per failed delivery; the endpoint without its query string (it may carry the secret). */
export function deliveryFailureLine(sub: Subscription, attempt: number, failure: string, retryInMs: number): string {
  const u = new URL(sub.url);
  return `[sandbox F&O] ${sub.kind} event delivery to ${u.origin}${u.pathname} failed (attempt ${attempt}): ${failure}; retrying in ${retryInMs} ms`;
}
interface SubState { sub: Subscription; lanes: Map<string, Queued[]>; busy: Set<string>; inFlight: number }

/** Deliveries in flight per subscription (F&O's business events batch runs a few threads). */
const MAX_IN_FLIGHT = 16;

export class EventHub {
  private subs = new Map<string, SubState>();
  private timers = new Set<NodeJS.Timeout>();
  private controlNumber = 5637985000;
  private closed = false;
  stats: EventStats = { queued: 0, delivered: 0, failedAttempts: 0, lastControlNumber: 0 };

  constructor(private readonly entityOf: (set: string) => EntitySchema | undefined, private readonly orgUrl: string,
    private readonly backoffMs = 200, private readonly maxBackoffMs = 10_000,
    /** Where every failed delivery is told (a refused or unreachable endpoint must never fail silently). */
    private readonly log: (line: string) => void = (line) => { console.error(line); }) {}

  subscribe(s: Omit<Subscription, 'id'> & { id?: string }): Subscription {
    if (s.kind !== 'data' && s.kind !== 'business') throw new Error("kind must be 'data' or 'business'");
    if (typeof s.url !== 'string' || !/^https?:\/\//.test(s.url)) throw new Error('url must be an http(s) URL');
    if ('headers' in s) throw new Error('an F&O endpoint is a URL only: F&O sends no custom header, so put the receiver\'s secret in the URL (for example ?code=<secret>)');
    const sub: Subscription = { kind: s.kind, url: s.url, entitySets: s.entitySets, legalEntities: s.legalEntities, id: s.id ?? randomUUID() };
    this.subs.set(sub.id, { sub, lanes: new Map(), busy: new Set(), inFlight: 0 });
    return sub;
  }
  unsubscribe(id: string): boolean { return this.subs.delete(id); }
  list(): Subscription[] { return [...this.subs.values()].map((s) => s.sub); }

  reset(): void {
    this.subs.clear();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.stats = { queued: 0, delivered: 0, failedAttempts: 0, lastControlNumber: 0 };
  }
  close(): void { this.closed = true; this.reset(); }

  publish(events: ChangeEvent[]): void {
    for (const ev of events) {
      const entity = this.entityOf(ev.entitySet);
      if (!entity) continue;
      const row = ev.after ?? ev.before ?? {};
      const company = row.dataAreaId;
      const lane = `${ev.entitySet}|${entity.keys.map((k) => String(row[k])).join('|')}`;
      // One business event per change, whatever the number of endpoints: they all see the same ControlNumber.
      let business: Record<string, unknown> | undefined;
      for (const s of this.subs.values()) {
        const { sub } = s;
        if (sub.legalEntities?.length && !sub.legalEntities.includes(company as string)) continue;
        let body: Record<string, unknown> | undefined;
        if (sub.kind === 'data') {
          if (sub.entitySets?.length && !sub.entitySets.includes(ev.entitySet)) continue;
          body = dataEventBody(ev, entity, this.orgUrl);
        } else if (ev.entitySet === 'CustomersV3') {
          if (!business) {
            // ControlNumber grows with gaps, as the real one does (a RecId-like sequence shared by all events).
            this.controlNumber += 1 + Math.floor(Math.random() * 5);
            this.stats.lastControlNumber = this.controlNumber;
            business = customerChangedBody(ev, this.controlNumber);
          }
          body = business;
        }
        if (!body) continue;
        const q = s.lanes.get(lane);
        if (q) q.push({ body: JSON.stringify(body), attempts: 0 });
        else s.lanes.set(lane, [{ body: JSON.stringify(body), attempts: 0 }]);
        this.stats.queued++;
        this.pump(sub.id);
      }
    }
  }

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => { this.timers.delete(t); fn(); }, ms);
    this.timers.add(t);
  }

  /** Starts deliveries of this subscription's lanes (records) that are not busy, up to MAX_IN_FLIGHT. */
  private pump(id: string): void {
    const s = this.subs.get(id);
    if (!s || this.closed) return;
    for (const [lane, queue] of s.lanes) {
      if (s.inFlight >= MAX_IN_FLIGHT) return;
      if (s.busy.has(lane) || queue.length === 0) continue;
      this.deliver(id, s, lane, queue);
    }
  }

  private deliver(id: string, s: SubState, lane: string, queue: Queued[]): void {
    s.busy.add(lane);
    s.inFlight++;
    const item = queue[0];
    void fetch(s.sub.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: item.body, signal: AbortSignal.timeout(10_000) })
      .then(async (res) => (res.ok ? (await res.arrayBuffer(), '') : `HTTP ${res.status} ${(await res.text()).slice(0, 200)}`.trim()),
        networkFailure)
      .then((failure) => {
        const ok = failure === '';
        s.busy.delete(lane);
        s.inFlight--;
        if (this.subs.get(id) !== s || this.closed) return;
        if (ok) {
          queue.shift();
          if (queue.length === 0) s.lanes.delete(lane);
          this.stats.delivered++;
          this.pump(id);
          return;
        }
        item.attempts++;
        this.stats.failedAttempts++;
        const delay = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** (item.attempts - 1));
        this.log(deliveryFailureLine(s.sub, item.attempts, failure, delay));
        s.busy.add(lane); // held back until its retry
        this.later(() => { s.busy.delete(lane); this.pump(id); }, delay);
        this.pump(id);
      });
  }
}
