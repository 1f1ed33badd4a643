// The Web API resource routes, independent of the HTTP server so $batch can run them too.
import { ODataSyntaxError, numericEtag, parseQueryOptions, applyQuery, referencedProperties, type ExpandOption } from '../odata';
import { accessRightsText, accessTo, callerForSystemUser } from './caller';
import { DataverseError, dvErrors } from './errors';
import { importSolution } from './import-solution';
import { filterCandidates } from '../indexing/filter-candidates';
import { entityDefinitions } from './metadata-routes';
import { createRow, deleteRow, inTransaction, updateRow, type OpContext } from './operations';
import { lookupValueKey, LOOKUP_TARGET_ANNOTATION, type TableDef } from './schema-types';
import { bodyToPatch, findByKey, queryableNames, resolveBind, rowToJson } from './shape';
import { navigationProperty, TABLE_BY_NAME, TABLE_BY_SET, TABLES } from './tables';
import type { Row } from './store';

export interface DvRequest {
  method: string;
  /** Path after /api/data/v9.2/, percent-decoded. */
  path: string;
  search: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: string;
}

export interface DvResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export interface RouteEnv {
  /** http://host:port/api/data/v9.2 */
  apiUrl: string;
  organizationId: string;
  /** Tables this environment does not have (as without the solution that brings them): no entity set, no definition. */
  missingTables?: () => ReadonlySet<string>;
}

export const MAX_PAGE = 5000;

export interface Prefer { maxPageSize?: number; annotations: boolean; representation: boolean }

export function parsePrefer(h: string | undefined): Prefer {
  const p: Prefer = { annotations: false, representation: false };
  for (const part of (h ?? '').split(',').map((s) => s.trim())) {
    const [k, v = ''] = part.split('=').map((s) => s.trim());
    if (k === 'odata.maxpagesize' && /^\d+$/.test(v)) p.maxPageSize = Math.min(Number(v), MAX_PAGE);
    if (k === 'odata.include-annotations') p.annotations = /\*|FormattedValue|Microsoft\.Dynamics/.test(v);
    if (k === 'return' && v === 'representation') p.representation = true;
  }
  return p;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): DvResponse => ({ status, headers, body });
const entityUrl = (env: RouteEnv, t: TableDef, id: string) => `${env.apiUrl}/${t.entitySet}(${id})`;

export async function route(env: RouteEnv, ctx: OpContext, req: DvRequest): Promise<DvResponse> {
  const path = req.path.replace(/\/$/, '');
  if (path === '' && req.method === 'GET') {
    return json(200, { '@odata.context': `${env.apiUrl}/$metadata`, value: TABLES.map((t) => ({ name: t.entitySet, kind: 'EntitySet', url: t.entitySet })) });
  }
  if (/^WhoAmI(\(\))?$/.test(path) && req.method === 'GET') {
    return json(200, {
      '@odata.context': `${env.apiUrl}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
      BusinessUnitId: ctx.caller.businessUnitId ?? null, UserId: ctx.caller.systemUserId, OrganizationId: env.organizationId,
    });
  }
  if (path === 'ImportSolution') {
    if (req.method !== 'POST') throw new DataverseError(405, '0x80060888', `ImportSolution is an action: call it with POST, not ${req.method}.`);
    await importSolution(ctx, parseBody(req.body));
    return json(204, undefined);
  }
  const absent = env.missingTables?.() ?? new Set<string>();
  const metadata = entityDefinitions(env.apiUrl, req.method, path, req.search, absent);
  if (metadata) return json(metadata.status, metadata.body);
  const rpa = /^systemusers\(([^)]+)\)\/Microsoft\.Dynamics\.CRM\.RetrievePrincipalAccess\(Target=@(\w+)\)$/.exec(path);
  if (rpa && req.method === 'GET') return retrievePrincipalAccess(env, ctx, rpa[1], req.search.get(`@${rpa[2]}`));
  if (req.search.has('fetchXml')) throw dvErrors.fetchXmlNotServed();
  const counted = /^([A-Za-z_]\w*)\/\$count$/.exec(path);
  if (counted && req.method === 'GET') {
    if (absent.has(TABLE_BY_SET.get(counted[1])?.logicalName ?? '')) throw dvErrors.unknownSet(counted[1]);
    return countRows(ctx, counted[1], req);
  }
  const m = /^([A-Za-z_]\w*)(?:\((.*)\))?$/.exec(path);
  const t = m ? TABLE_BY_SET.get(m[1]) : undefined;
  if (!m || !t || absent.has(t.logicalName)) throw dvErrors.unknownSet(path.split('(')[0]);
  const prefer = parsePrefer(req.headers.prefer);
  if (m[2] === undefined) {
    if (req.method === 'GET') return list(env, ctx, t, req, prefer);
    if (req.method === 'POST') {
      const patch = bodyToPatch(ctx.store, t, parseBody(req.body));
      const row = await inTransaction(ctx, () => createRow(ctx, t, patch));
      return written(env, ctx, t, row, prefer, req, 201);
    }
    throw new DataverseError(405, '0x80060888', `${req.method} is not supported on the ${t.entitySet} collection: use GET or POST.`);
  }
  const found = findByKey(ctx.store, t, m[2]);
  if (req.method === 'GET') {
    if (!found.row) throw missing(t, found);
    if (!accessTo(ctx.caller, t.companyScoped === true, found.row).read) {
      throw dvErrors.accessDenied(ctx.caller.systemUserId, t.logicalName, String(found.row[t.primaryKey]), 'ReadAccess');
    }
    const q = query(t, req.search);
    const etag = numericEtag(Number(found.row.versionnumber));
    // Documented conditional read: the current ETag in If-None-Match answers 304 with no body.
    if (req.headers['if-none-match'] === etag) return { status: 304, headers: { ETag: etag }, body: undefined };
    return json(200, { '@odata.context': context(env, t, q.select, true), ...shapeWithExpand(ctx, t, found.row, q.select, q.expand, prefer) }, { ETag: etag });
  }
  if (req.method === 'PATCH') {
    const patch = bodyToPatch(ctx.store, t, parseBody(req.body));
    const ifMatch = req.headers['if-match'];
    const ifNoneMatch = req.headers['if-none-match'];
    if (found.row && ifNoneMatch?.trim() === '*') throw dvErrors.duplicateKey();
    if (!found.row && ifMatch !== undefined) throw missing(t, found);
    const existing = found.row;
    const row = await inTransaction(ctx, () => (existing ? updateRow(ctx, t, existing, patch, ifMatch) : createRow(ctx, t, patch, found.keyValues)));
    return written(env, ctx, t, row, prefer, req, existing ? 200 : 201);
  }
  if (req.method === 'DELETE') {
    if (!found.row) throw missing(t, found);
    const existing = found.row;
    await inTransaction(ctx, () => deleteRow(ctx, t, existing, req.headers['if-match']));
    return json(204, undefined);
  }
  throw new DataverseError(405, '0x80060888', `${req.method} is not supported on a ${t.logicalName} record: use GET, PATCH or DELETE.`);
}

function missing(t: TableDef, found: { keyValues: Row; byAlternateKey: boolean }): DataverseError {
  return found.byAlternateKey ? dvErrors.notFoundByKey(t.logicalName) : dvErrors.notFoundById(t.logicalName, String(found.keyValues[t.primaryKey]));
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    throw dvErrors.badRequest('The request body is not valid JSON.');
  }
}

function written(env: RouteEnv, ctx: OpContext, t: TableDef, row: Row, prefer: Prefer, req: DvRequest, repStatus: number): DvResponse {
  const id = String(row[t.primaryKey]);
  const headers = { 'OData-EntityId': entityUrl(env, t, id) };
  if (!prefer.representation) return json(204, undefined, headers);
  const q = query(t, req.search);
  return json(repStatus, { '@odata.context': context(env, t, q.select, true), ...rowToJson(ctx.store, t, row, { select: q.select, annotations: prefer.annotations }) },
    { ...headers, 'Preference-Applied': 'return=representation' });
}

function query(t: TableDef, search: URLSearchParams) {
  if (search.has('$skip')) throw dvErrors.skipNotSupported();
  const params = new URLSearchParams([...search].filter(([k]) => k !== '$skiptoken'));
  let q;
  try {
    q = parseQueryOptions(params);
  } catch (e) {
    if (e instanceof ODataSyntaxError) throw dvErrors.badQuery(e.message);
    throw e;
  }
  const names = queryableNames(t);
  const used = [...(q.select ?? []).filter((s) => s !== '*'), ...(q.orderby ?? []).map((o) => o.field), ...(q.filter ? referencedProperties(q.filter) : [])];
  for (const n of used) if (!names.has(n)) throw dvErrors.unknownProperty(t.logicalName, n);
  for (const e of q.expand ?? []) if (!navigationProperty(t, e.property) && !t.oneToMany?.[e.property]) throw dvErrors.unknownProperty(t.logicalName, e.property);
  return q;
}

function context(env: RouteEnv, t: TableDef, select: string[] | undefined, entity: boolean): string {
  const sel = select && !select.includes('*') ? `(${select.join(',')})` : '';
  return `${env.apiUrl}/$metadata#${t.entitySet}${sel}${entity ? '/$entity' : ''}`;
}

function shapeWithExpand(ctx: OpContext, t: TableDef, row: Row, select: string[] | undefined, expand: ExpandOption[] | undefined, prefer: Prefer): Row {
  const out = rowToJson(ctx.store, t, row, { select, annotations: prefer.annotations });
  for (const e of expand ?? []) {
    const nav = navigationProperty(t, e.property);
    if (nav) {
      const id = row[lookupValueKey(nav.column)];
      const target = nav.target ?? (row[lookupValueKey(nav.column) + LOOKUP_TARGET_ANNOTATION] as string | undefined);
      const tt = target ? TABLE_BY_NAME.get(target) : undefined;
      const ref = tt && typeof id === 'string' ? ctx.store.get(tt.logicalName, id) : undefined;
      out[e.property] = ref && tt ? rowToJson(ctx.store, tt, ref, { select: e.select, annotations: prefer.annotations }) : null;
      continue;
    }
    const rel = t.oneToMany![e.property];
    const tt = TABLE_BY_NAME.get(rel.table)!;
    const key = lookupValueKey(rel.referencingColumn);
    out[e.property] = ctx.store.lookup(rel.table, [key], [row[t.primaryKey]])
      .filter((r) => r[key] === row[t.primaryKey] && accessTo(ctx.caller, tt.companyScoped === true, r).read)
      .map((r) => rowToJson(ctx.store, tt, r, { select: e.select, annotations: prefer.annotations }));
  }
  return out;
}

/** `accounts/$count`: the rows the caller can read, as plain text, at most 5,000 (the platform's cap). */
function countRows(ctx: OpContext, entitySet: string, req: DvRequest): DvResponse {
  const t = TABLE_BY_SET.get(entitySet);
  if (!t) throw dvErrors.unknownSet(entitySet);
  const q = query(t, req.search);
  const candidates = filterCandidates(ctx.store.index(t.logicalName), q.filter) ?? ctx.store.all(t.logicalName);
  const visible = candidates.filter((r) => accessTo(ctx.caller, t.companyScoped === true, r).read);
  const { total } = applyQuery(visible, { filter: q.filter, count: true });
  return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Math.min(total, MAX_PAGE) };
}

function list(env: RouteEnv, ctx: OpContext, t: TableDef, req: DvRequest, prefer: Prefer): DvResponse {
  const q = query(t, req.search);
  // Equality terms of $filter narrow the rows through the table's indexes; applyQuery still runs the whole filter.
  const candidates = filterCandidates(ctx.store.index(t.logicalName), q.filter) ?? ctx.store.all(t.logicalName);
  const visible = candidates.filter((r) => accessTo(ctx.caller, t.companyScoped === true, r).read);
  const { rows, total } = applyQuery(visible, { ...q, skip: undefined });
  const token = req.search.get('$skiptoken');
  const offset = token ? Number(/pagenumber="(\d+)"/.exec(token)?.[1] ?? '1') - 1 : 0;
  const pageSize = prefer.maxPageSize ?? MAX_PAGE;
  const start = q.top === undefined ? offset * pageSize : 0;
  const page = q.top === undefined ? rows.slice(start, start + pageSize) : rows;
  const body: Row = { '@odata.context': context(env, t, q.select, false) };
  if (q.count) body['@odata.count'] = Math.min(total, MAX_PAGE);
  body.value = page.map((r) => shapeWithExpand(ctx, t, r, q.select, q.expand, prefer));
  const headers: Record<string, string> = {};
  if (prefer.maxPageSize) headers['Preference-Applied'] = `odata.maxpagesize=${prefer.maxPageSize}`;
  if (q.top === undefined && start + pageSize < rows.length) {
    const next = new URLSearchParams([...req.search].filter(([k]) => k !== '$skiptoken'));
    const last = page[page.length - 1];
    next.set('$skiptoken', `<cookie pagenumber="${offset + 2}" pagingcookie="%3ccookie%20page%3d%22${offset + 1}%22%3e%3c${t.primaryKey}%20last%3d%22%7b${String(last[t.primaryKey]).toUpperCase()}%7d%22%20%2f%3e%3c%2fcookie%3e" istracking="False" />`);
    body['@odata.nextLink'] = `${env.apiUrl}/${t.entitySet}?${[...next].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
  }
  return json(200, body, headers);
}

function retrievePrincipalAccess(env: RouteEnv, ctx: OpContext, userId: string, targetParam: string | null): DvResponse {
  const ref = /'@odata\.id'\s*:\s*'(.+)'\s*}\s*$/.exec(targetParam ?? '')?.[1];
  if (!ref) throw dvErrors.badRequest("RetrievePrincipalAccess needs the Target parameter, e.g. ?@t={'@odata.id':'accounts(<guid>)'}.");
  const user = callerForSystemUser(ctx.store, userId);
  if (!user) throw dvErrors.notFoundById('systemuser', userId);
  const { table, row } = resolveBind(ctx.store, ref);
  const access = accessTo(user, table.companyScoped === true, row);
  return json(200, {
    '@odata.context': `${env.apiUrl}/$metadata#Microsoft.Dynamics.CRM.RetrievePrincipalAccessResponse`,
    AccessRights: accessRightsText(access, user.isApp),
  });
}
