// The OData request handling of the F&O sandbox, synchronous so that a $batch changeset runs without
// interleaving with other requests. Knows the URL shapes, company scoping, paging and ETag rules.
import { ODataSyntaxError, referencedProperties } from '../odata/filter';
import { applyQuery, parseQueryOptions, projectRow } from '../odata/query';
import { parseKeySegment, formatKeySegment } from '../odata/keys';
import { ifMatchSatisfied } from '../odata/etag';
import { alreadyExists, badRequest, FnoHttpError, notFound, readOnlyDerived, writeFailed } from './errors';
import { isDerived } from './derived';
import { enumTypeOf, type EntitySchema, type FnoSchema, type PropertySchema } from './schema';
import type { FnoStore, StoredRow } from './store';
import type { FnoRow } from '../demo-data/generate';
import { checkDependants, checkMandatory, checkReferences, validateBody } from './validate';
import { filterCandidates } from '../indexing/filter-candidates';

export interface ODataRequest {
  method: string;
  /** Path after /data/, percent-decoded, e.g. CustomersV3(dataAreaId='usmf',CustomerAccount='US-001'). */
  path: string;
  search: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: string;
  userOid: string;
  defaultCompany: string;
}
export interface ODataResponse { status: number; headers: Record<string, string>; body: string }

const JSON_CT = 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';
export const MAX_PAGE = 10000;

function defaultOf(schema: FnoSchema, p: PropertySchema): unknown {
  const en = enumTypeOf(p);
  if (en) return schema.enums.get(en)?.members[0]?.name ?? null;
  switch (p.type) {
    case 'Edm.String': return '';
    case 'Edm.DateTimeOffset': return '1900-01-01T12:00:00Z';
    case 'Edm.Boolean': return false;
    default: return 0;
  }
}

/** The record as F&O returns it: every property in schema order, defaults where the row has none. */
export function present(schema: FnoSchema, entity: EntitySchema, row: StoredRow, etag: string): Record<string, unknown> {
  const out: Record<string, unknown> = { '@odata.etag': etag };
  for (const p of entity.properties) out[p.name] = p.name in row.data ? row.data[p.name] : defaultOf(schema, p);
  return out;
}

function parsePath(schema: FnoSchema, path: string): { entity: EntitySchema; keys?: Record<string, string | number> } {
  const m = /^([A-Za-z_]\w*)(?:\((.*)\))?$/s.exec(path);
  if (!m) throw notFound(`No HTTP resource was found that matches the request URI '${path}'.`);
  const entity = schema.entities.get(m[1]);
  if (!entity) throw notFound(`The entity set '${m[1]}' does not exist: see $metadata for the served entity sets.`);
  if (m[2] === undefined) return { entity };
  const keys = parseKeySegment(m[2]);
  const given = Object.keys(keys);
  const missing = entity.keys.filter((k) => !(k in keys));
  const extra = given.filter((k) => !entity.keys.includes(k));
  if (missing.length || extra.length) {
    throw badRequest(`The key of ${entity.entitySet} is (${entity.keys.join(', ')})${missing.length ? `; missing: ${missing.join(', ')}` : ''}${extra.length ? `; not key fields: ${extra.join(', ')}` : ''}. Give every key field by name.`);
  }
  return { entity, keys };
}

function crossCompany(req: ODataRequest): boolean { return req.search.get('cross-company')?.toLowerCase() === 'true'; }

function visible(req: ODataRequest, entity: EntitySchema, data: Record<string, unknown>): boolean {
  return !entity.companyScoped || crossCompany(req) || String(data.dataAreaId).toLowerCase() === req.defaultCompany;
}

function json(status: number, body: unknown, extra: Record<string, string> = {}): ODataResponse {
  return { status, headers: { 'Content-Type': JSON_CT, 'OData-Version': '4.0', ...extra }, body: JSON.stringify(body) };
}

function checkProperties(entity: EntitySchema, names: Iterable<string>, option: string): void {
  for (const n of names) {
    if (n !== '*' && !entity.byName.has(n)) throw badRequest(`Could not find a property named '${n}' on type 'Microsoft.Dynamics.DataEntities.${entity.typeName}' (in ${option}).`);
  }
}

function getCollection(schema: FnoSchema, store: FnoStore, req: ODataRequest, entity: EntitySchema, base: string): ODataResponse {
  const q = parseQueryOptions(req.search);
  if (q.filter) checkProperties(entity, referencedProperties(q.filter), '$filter');
  if (q.select) checkProperties(entity, q.select, '$select');
  if (q.orderby) checkProperties(entity, q.orderby.map((o) => o.field), '$orderby');
  if (q.expand?.length) throw badRequest(`$expand of '${q.expand[0].property}' is not available on ${entity.entitySet} in the sandbox.`);
  const pref = /odata\.maxpagesize=(\d+)/.exec(req.headers.prefer ?? '');
  const pageSize = Math.min(MAX_PAGE, pref ? Math.max(1, Number(pref[1])) : MAX_PAGE);
  // Equality terms of $filter narrow the rows through the table's indexes; applyQuery still runs the whole filter.
  const rows = (filterCandidates(store.index(entity.entitySet), q.filter) ?? store.all(entity.entitySet)).filter((r) => visible(req, entity, r.data));
  const enumResolver = (type: string, member: string): number | undefined => schema.enums.get(type.split('.').pop() ?? '')?.members.find((m) => m.name === member)?.value;
  // Filter and sort the stored objects themselves (no copies: 100,000-row tables stay cheap), then map back.
  const back = new Map<FnoRow, StoredRow>(rows.map((r) => [r.data, r]));
  const { rows: window, total } = applyQuery(rows.map((r) => r.data), { ...q, skip: undefined, top: undefined }, { enumResolver });
  const skip = q.skip ?? 0;
  const end = Math.min(window.length, q.top === undefined ? Infinity : skip + q.top);
  const take = Math.max(0, Math.min(pageSize, end - skip));
  const page = window.slice(skip, skip + take);
  store.statsFor(entity.entitySet).reads++;
  const body: Record<string, unknown> = { '@odata.context': `${base}/data/$metadata#${entity.entitySet}${q.select ? `(${q.select.join(',')})` : ''}` };
  if (q.count) body['@odata.count'] = total;
  body.value = page.map((d) => { const sr = back.get(d)!; return projectRow(present(schema, entity, sr, store.etag(sr)), q.select); });
  if (skip + take < end) {
    const next = new URLSearchParams(req.search);
    next.set('$skip', String(skip + take));
    if (q.top !== undefined) next.set('$top', String(q.top - take));
    body['@odata.nextLink'] = `${base}/data/${entity.entitySet}?${next.toString().replace(/\+/g, '%20')}`;
  }
  return json(200, body, pref ? { 'Preference-Applied': `odata.maxpagesize=${pageSize}` } : {});
}

function find(store: FnoStore, req: ODataRequest, entity: EntitySchema, keys: Record<string, string | number>): StoredRow {
  const row = store.get(entity, keys);
  if (!row || !visible(req, entity, row.data)) {
    throw notFound(`No ${entity.entitySet} record with key (${formatKeySegment(keys)})${crossCompany(req) ? '' : ` in company '${req.defaultCompany}' (add cross-company=true to reach other companies)`}.`);
  }
  return row;
}

function checkWriteCompany(req: ODataRequest, entity: EntitySchema, data: Record<string, unknown>): void {
  if (!visible(req, entity, data)) {
    throw badRequest(`The record belongs to company '${String(data.dataAreaId)}' but the request runs in '${req.defaultCompany}': add cross-company=true to write to another company.`);
  }
}

const exists = (store: FnoStore, schema: FnoSchema) => (set: string, keys: Record<string, string>): boolean => {
  const e = schema.entities.get(set);
  return !!e && !!store.get(e, keys);
};

export function entityUrl(base: string, entity: EntitySchema, data: Record<string, unknown>): string {
  const keys: Record<string, string | number> = {};
  for (const k of entity.keys) keys[k] = data[k] as string | number;
  return `${base}/data/${entity.entitySet}(${encodeURIComponent(formatKeySegment(keys)).replace(/%3D/g, '=').replace(/%2C/g, ',').replace(/%27/g, "'")})`;
}

/** `/data/CustomersV3/$count`: the number of rows the query would return, as plain text. */
function countOf(schema: FnoSchema, store: FnoStore, req: ODataRequest, entity: EntitySchema, base: string): ODataResponse {
  const search = new URLSearchParams(req.search);
  search.set('$count', 'true');
  search.set('$top', '0');
  const r = getCollection(schema, store, { ...req, search }, entity, base);
  const total = (JSON.parse(r.body) as { '@odata.count': number })['@odata.count'];
  return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'OData-Version': '4.0' }, body: String(total) };
}

export function handleOData(schema: FnoSchema, store: FnoStore, req: ODataRequest, base: string): ODataResponse {
  try {
    const count = /^([A-Za-z_]\w*)\/\$count$/.exec(req.path);
    if (count && req.method === 'GET') return countOf(schema, store, req, parsePath(schema, count[1]).entity, base);
    const { entity, keys } = parsePath(schema, req.path);
    const ctx = `${base}/data/$metadata#${entity.entitySet}/$entity`;
    const derived = isDerived(entity.entitySet);
    if (derived && req.method !== 'GET') throw readOnlyDerived(entity.entitySet, derived.from, req.method);
    if (!keys) {
      if (req.method === 'GET') return getCollection(schema, store, req, entity, base);
      if (req.method !== 'POST') throw new FnoHttpError(405, `${req.method} is not allowed on the collection ${entity.entitySet}: use GET or POST.`, 'Microsoft.OData.ODataException', 'Method not allowed.');
      const body = validateBody(schema, entity, parseJson(req.body));
      if (entity.companyScoped && body.dataAreaId === undefined) body.dataAreaId = req.defaultCompany;
      if (typeof body.dataAreaId === 'string') body.dataAreaId = body.dataAreaId.toLowerCase();
      const missing = entity.keys.filter((k) => body[k] === undefined || body[k] === '');
      if (missing.length) throw writeFailed(entity.entitySet, missing.map((k) => `Field '${k}' must be filled in.`));
      checkWriteCompany(req, entity, body);
      if (store.get(entity, body)) {
        throw alreadyExists(entity.entitySet, entity.keys.filter((k) => k !== 'dataAreaId').map((k) => String(body[k])));
      }
      const mandatoryErr = checkMandatory(entity.entitySet, body);
      if (mandatoryErr) throw mandatoryErr;
      const refErr = checkReferences(entity.entitySet, entity, body, exists(store, schema));
      if (refErr) throw refErr;
      const row = store.insert(entity, body, req.userOid);
      const rec = present(schema, entity, row, store.etag(row));
      return json(201, { '@odata.context': ctx, ...rec }, { Location: entityUrl(base, entity, row.data), ETag: store.etag(row) });
    }
    const row = find(store, req, entity, keys);
    if (req.method === 'GET') {
      store.statsFor(entity.entitySet).reads++;
      const q = parseQueryOptions(req.search);
      if (q.select) checkProperties(entity, q.select, '$select');
      return json(200, { '@odata.context': ctx, ...projectRow(present(schema, entity, row, store.etag(row)), q.select) }, { ETag: store.etag(row) });
    }
    if (req.method !== 'PATCH' && req.method !== 'DELETE') throw new FnoHttpError(405, `${req.method} is not allowed on a record: use GET, PATCH or DELETE.`, 'Microsoft.OData.ODataException', 'Method not allowed.');
    if (!ifMatchSatisfied(req.headers['if-match'], store.etag(row))) {
      throw new FnoHttpError(412, `The record ${entity.entitySet}(${formatKeySegment(keys)}) was changed by someone else (its ETag is now ${store.etag(row)}): read it again and retry.`, 'Microsoft.OData.ODataException', 'Precondition failed.');
    }
    if (req.method === 'DELETE') {
      const refused = checkDependants(entity.entitySet, row.data, (set) => store.all(set).map((r) => r.data));
      if (refused) throw refused;
      store.remove(entity, row, req.userOid);
      return { status: 204, headers: { 'OData-Version': '4.0' }, body: '' };
    }
    const patch = validateBody(schema, entity, parseJson(req.body));
    for (const k of entity.keys) {
      if (k in patch && String(patch[k]).toLowerCase() !== String(row.data[k]).toLowerCase()) throw badRequest(`The key field '${k}' cannot be changed by PATCH: create a new record instead.`);
      delete patch[k];
    }
    const refErr = checkReferences(entity.entitySet, entity, { ...row.data, ...patch }, exists(store, schema));
    if (refErr) throw refErr;
    store.update(entity, row, patch, req.userOid);
    return { status: 204, headers: { 'OData-Version': '4.0', ETag: store.etag(row) }, body: '' };
  } catch (e) {
    if (e instanceof ODataSyntaxError) throw badRequest(e.message);
    throw e;
  }
}

function parseJson(text: string): unknown {
  try { return JSON.parse(text); } catch { throw badRequest('The request body is not valid JSON.'); }
}
