// Registers the bridge's change notifications, idempotently: in Dataverse a webhook service endpoint
// (contract 8, HttpHeader auth, JSON) and one asynchronous post-operation step per message and table a
// map reads, with auto-delete (each asynchronous call leaves a system job behind otherwise, and
// Microsoft recommends deleting successful ones so AsyncOperationBase does not grow without end); in F&O the event endpoint (data events for the entity sets the maps read). Creates what is
// missing, updates what changed, deletes steps no map needs. `finops-bridge setup` calls the same.
import type { Clients } from '../../clients/index';
import { dvBind, dvRowPath } from '../../clients/dataverse-client';
import { eq } from '../../clients/odata/literals';
import { UpstreamError, dataverseErrorMessage, fnoErrorMessage, parseJson } from '../../clients/upstream-error';
import { dataverseFilteringAttributes } from '../core/routing';
import { mapFlows, type TableMap } from '../core/maps/types';
import { WEBHOOK_HEADER, WEBHOOK_QUERY_KEY } from '../../http/routes/webhooks';

export const ENDPOINT_NAME = 'FinOps Bridge webhook';
const STEP_PREFIX = 'FinOps Bridge: ';
const MESSAGES = ['Create', 'Update', 'Delete'] as const;

export interface RegistrationResult {
  endpointId: string;
  created: string[];
  updated: string[];
  deleted: string[];
  fnoSubscription: 'created' | 'unchanged' | 'replaced' | 'unsupported';
}

/** The authvalue of an HttpHeader (authtype 5) endpoint. Attribute-escaped: the secret is user data. */
export function headerAuthValue(secret: string): string {
  const esc = secret.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<settings><setting name="${WEBHOOK_HEADER}" value="${esc}"/></settings>`;
}

/** Post-operation, asynchronous: the user's save never waits for the bridge. */
const STEP_STAGE = 40;
const STEP_MODE = 1;

/** Whether a registered step already has what `wanted` asks (setup rewrites it otherwise). */
export function stepIsCurrent(have: Record<string, unknown>, wanted: Pick<WantedStep, 'filteringattributes'>): boolean {
  return have.stage === STEP_STAGE && have.mode === STEP_MODE && have.asyncautodelete === true && (have.filteringattributes ?? null) === wanted.filteringattributes;
}

interface WantedStep { name: string; table: string; message: (typeof MESSAGES)[number]; filteringattributes: string | null }

/** The steps the maps need: Create/Update/Delete for every Dataverse table a map reads towards F&O. */
export function wantedSteps(maps: readonly TableMap[]): WantedStep[] {
  const tables = [...new Set(maps.filter((m) => mapFlows(m, 'dataverse_to_fno')).map((m) => m.dataverse.table))].sort();
  return tables.flatMap((table) => MESSAGES.map((message) => {
    const attrs = message === 'Update' ? dataverseFilteringAttributes(maps, table).join(',') : '';
    return { name: `${STEP_PREFIX}${table} ${message}`, table, message, filteringattributes: attrs || null };
  }));
}

async function dvDelete(clients: Clients, entitySet: string, id: string): Promise<void> {
  const res = await clients.dataverse.raw({ method: 'DELETE', path: dvRowPath(entitySet, id) });
  if (res.status >= 400 && res.status !== 404) {
    const body = parseJson(res.text);
    throw new UpstreamError('dataverse', res.status, dataverseErrorMessage(body, res.status), body);
  }
}

async function registerDataverse(clients: Clients, maps: readonly TableMap[], url: string, secret: string, r: RegistrationResult): Promise<void> {
  const dv = clients.dataverse;
  const endpointBody = { name: ENDPOINT_NAME, contract: 8, authtype: 5, messageformat: 2, url, authvalue: headerAuthValue(secret) };
  const existing = (await dv.list('serviceendpoints', { filter: eq('name', ENDPOINT_NAME), select: ['serviceendpointid', 'url', 'contract', 'authtype', 'messageformat'] }))[0];
  let endpointId: string;
  if (existing) {
    endpointId = String(existing.serviceendpointid);
    // authvalue is write-only (never read back): always set it, so a changed secret takes effect.
    await dv.upsert('serviceendpoints', endpointId, endpointBody, { mode: 'update' });
    r.updated.push(`serviceendpoint ${ENDPOINT_NAME}`);
  } else {
    const created = await dv.upsert('serviceendpoints', crypto.randomUUID(), endpointBody, { mode: 'create', returnRow: true });
    endpointId = String(created?.serviceendpointid ?? (await dv.list('serviceendpoints', { filter: eq('name', ENDPOINT_NAME), select: ['serviceendpointid'] }))[0]?.serviceendpointid);
    r.created.push(`serviceendpoint ${ENDPOINT_NAME}`);
  }
  r.endpointId = endpointId;

  const messages = new Map<string, string>();
  for (const m of MESSAGES) {
    const row = (await dv.list('sdkmessages', { filter: eq('name', m), select: ['sdkmessageid'] }))[0];
    if (!row) throw new Error(`Dataverse has no sdkmessage named ${m}; cannot register webhook steps`);
    messages.set(m, String(row.sdkmessageid));
  }
  const steps = await dv.list('sdkmessageprocessingsteps', {
    filter: `_eventhandler_value eq ${endpointId}`, select: ['sdkmessageprocessingstepid', 'name', 'stage', 'mode', 'filteringattributes', 'asyncautodelete'],
  });
  const wanted = wantedSteps(maps);
  for (const w of wanted) {
    const filter = (await dv.list('sdkmessagefilters', {
      filter: `${eq('primaryobjecttypecode', w.table)} and _sdkmessageid_value eq ${messages.get(w.message)}`, select: ['sdkmessagefilterid'],
    }))[0];
    if (!filter) throw new Error(`Dataverse has no ${w.message} message filter for table ${w.table}; is the table name right?`);
    const body = {
      name: w.name, stage: STEP_STAGE, mode: STEP_MODE, rank: 1, supporteddeployment: 0, asyncautodelete: true, filteringattributes: w.filteringattributes,
      'sdkmessageid@odata.bind': dvBind('sdkmessages', messages.get(w.message)!),
      'sdkmessagefilterid@odata.bind': dvBind('sdkmessagefilters', String(filter.sdkmessagefilterid)),
      'eventhandler_serviceendpoint@odata.bind': dvBind('serviceendpoints', endpointId),
    };
    const have = steps.find((s) => s.name === w.name);
    if (!have) {
      await dv.upsert('sdkmessageprocessingsteps', crypto.randomUUID(), body, { mode: 'create' });
      r.created.push(`step ${w.name}`);
    } else if (!stepIsCurrent(have, w)) {
      await dv.upsert('sdkmessageprocessingsteps', String(have.sdkmessageprocessingstepid), body, { mode: 'update' });
      r.updated.push(`step ${w.name}`);
    }
  }
  for (const s of steps) {
    if (!wanted.some((w) => w.name === s.name)) {
      await dvDelete(clients, 'sdkmessageprocessingsteps', String(s.sdkmessageprocessingstepid));
      r.deleted.push(`step ${String(s.name)}`);
    }
  }
}

interface FnoSubscription { id: string; kind: string; url: string; entitySets?: string[] }

/** The F&O endpoint URL: F&O sends no custom header, so the secret travels as ?code= (see http/routes/webhooks.ts). */
export function fnoEndpointUrl(base: string, secret: string): string {
  return `${base}?${WEBHOOK_QUERY_KEY}=${encodeURIComponent(secret)}`;
}

/** The sandbox F&O's registration API (real F&O: the business events catalog, configured by an admin). */
async function registerFno(clients: Clients, maps: readonly TableMap[], base: string, secret: string): Promise<RegistrationResult['fnoSubscription']> {
  const origin = new URL(clients.fno.http.baseUrl).origin;
  const path = `${origin}/_sandbox/events/subscriptions`;
  const list = await clients.fno.raw({ method: 'GET', path });
  if (list.status === 404) return 'unsupported';
  if (list.status >= 400) throw new UpstreamError('fno', list.status, fnoErrorMessage(parseJson(list.text), list.status));
  const url = fnoEndpointUrl(base, secret);
  const subs = ((parseJson(list.text) as { value?: FnoSubscription[] }).value ?? []).filter((s) => s.url.split('?')[0] === base);
  const entitySets = [...new Set(maps.filter((m) => mapFlows(m, 'fno_to_dataverse')).map((m) => m.fno.entitySet))].sort();
  const same = (s: FnoSubscription) => s.kind === 'data' && JSON.stringify([...(s.entitySets ?? [])].sort()) === JSON.stringify(entitySets) && s.url === url;
  if (subs.length === 1 && same(subs[0])) return 'unchanged';
  for (const s of subs) await clients.fno.raw({ method: 'DELETE', path: `${path}/${encodeURIComponent(s.id)}` });
  const res = await clients.fno.raw({
    method: 'POST', path, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'data', url, entitySets }),
  });
  if (res.status >= 400) throw new UpstreamError('fno', res.status, fnoErrorMessage(parseJson(res.text), res.status));
  return subs.length ? 'replaced' : 'created';
}

export async function registerWebhooks(clients: Clients, maps: readonly TableMap[], bridgeUrl: string, secret: string): Promise<RegistrationResult> {
  const base = bridgeUrl.replace(/\/+$/, '');
  const r: RegistrationResult = { endpointId: '', created: [], updated: [], deleted: [], fnoSubscription: 'unsupported' };
  await registerDataverse(clients, maps, `${base}/webhooks/dataverse`, secret, r);
  r.fnoSubscription = await registerFno(clients, maps, `${base}/webhooks/fno`, secret);
  return r;
}
