// The ONLY module that knows Dataverse Web API URL shapes: rows by id or alternate key, upsert with
// If-Match / If-None-Match, @odata.bind, paging with Prefer odata.maxpagesize, $batch, impersonation by
// CallerObjectId, RetrievePrincipalAccess, and Dataverse's error bodies.
import { compoundKey, encodeQuery, identifier, stringLiteral } from './odata/literals';
import { isGuid } from '../contracts/guid';
import { writeBatch, type BatchItem } from './odata/batch';
import { readBatchResult } from './fno-client';
import { retryAfterMs } from './failure';
import type { HttpRequest, HttpResponse, HttpService } from './http';
import { UpstreamError, dataverseErrorMessage, parseJson } from './upstream-error';

export type DvRow = Record<string, unknown> & { '@odata.etag'?: string };
export type DvKey = string | Record<string, string | number>;

export interface DvCallOptions {
  /** Entra object id of the user to act as (Dataverse impersonation; the app user needs the privilege). */
  callerObjectId?: string;
}

function guid(id: string): string {
  if (!isGuid(id)) throw new TypeError(`not a GUID: ${JSON.stringify(id)}`);
  return id.toLowerCase();
}

/** `accounts(<guid>)` or `accounts(accountnumber='A''1',...)`. */
export function dvRowPath(entitySet: string, key: DvKey): string {
  return `/${identifier(entitySet)}${typeof key === 'string' ? `(${guid(key)})` : compoundKey(key)}`;
}

/** The value of a `<nav>@odata.bind` property: `/accounts(<guid>)`. */
export function dvBind(entitySet: string, id: string): string {
  return `/${identifier(entitySet)}(${guid(id)})`;
}

export interface DvListOptions extends DvCallOptions {
  filter?: string;
  select?: string[];
  orderby?: string;
  top?: number;
  /** Page size (Dataverse: at most 5,000). */
  pageSize?: number;
  limit?: number;
}

export class DataverseClient {
  constructor(readonly http: HttpService) {}

  /** Low-level: one request relative to /api/data/v9.2, raw response (for the sync engine). */
  raw(req: HttpRequest & DvCallOptions): Promise<HttpResponse> {
    const { callerObjectId, ...rest } = req;
    const headers: Record<string, string> = { 'OData-Version': '4.0', 'OData-MaxVersion': '4.0', ...rest.headers };
    if (callerObjectId !== undefined) headers.CallerObjectId = guid(callerObjectId);
    return this.http.request({ ...rest, headers });
  }

  private async json(req: HttpRequest & DvCallOptions, ok = [200, 201, 204]): Promise<{ body: unknown; res: HttpResponse }> {
    const res = await this.raw(req);
    const body = parseJson(res.text);
    if (!ok.includes(res.status)) throw new UpstreamError('dataverse', res.status, dataverseErrorMessage(body, res.status), body, retryAfterMs(res.headers['retry-after']));
    return { body, res };
  }

  /** One row by id or alternate key; null on 404. */
  async get(entitySet: string, key: DvKey, opts: DvCallOptions & { select?: string[]; expand?: string } = {}): Promise<DvRow | null> {
    const q = encodeQuery({ $select: opts.select?.map(identifier).join(','), $expand: opts.expand });
    try {
      const { body } = await this.json({ method: 'GET', path: dvRowPath(entitySet, key) + q, callerObjectId: opts.callerObjectId });
      return body as DvRow;
    } catch (e) {
      if (e instanceof UpstreamError && e.status === 404) return null;
      throw e;
    }
  }

  /** Rows matching a query, following @odata.nextLink (Dataverse has no $skip). */
  async list(entitySet: string, opts: DvListOptions = {}): Promise<DvRow[]> {
    const q = encodeQuery({ $filter: opts.filter, $select: opts.select?.map(identifier).join(','), $orderby: opts.orderby, $top: opts.top });
    const headers = { Prefer: `odata.maxpagesize=${Math.min(opts.pageSize ?? 5000, 5000)}` };
    const out: DvRow[] = [];
    let next: string | undefined = `/${identifier(entitySet)}${q}`;
    while (next) {
      const { body } = await this.json({ method: 'GET', path: next, headers, callerObjectId: opts.callerObjectId });
      const page = body as { value?: DvRow[]; '@odata.nextLink'?: string };
      out.push(...(page.value ?? []));
      if (opts.limit !== undefined && out.length >= opts.limit) return out.slice(0, opts.limit);
      next = page['@odata.nextLink'];
    }
    return out;
  }

  /**
   * PATCH is an upsert. mode 'update' sends If-Match (an etag, or '*': only if it exists), 'create' sends
   * If-None-Match: * (only if it does not). Returns the row when Dataverse returns one (Prefer return=representation).
   */
  async upsert(
    entitySet: string,
    key: DvKey,
    body: Record<string, unknown>,
    opts: DvCallOptions & { mode?: 'upsert' | 'update' | 'create'; ifMatch?: string; returnRow?: boolean } = {},
  ): Promise<DvRow | undefined> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (opts.mode === 'update' || opts.ifMatch) headers['If-Match'] = opts.ifMatch ?? '*';
    if (opts.mode === 'create') headers['If-None-Match'] = '*';
    if (opts.returnRow) headers.Prefer = 'return=representation';
    const { body: out } = await this.json({
      method: 'PATCH', path: dvRowPath(entitySet, key), headers, body: JSON.stringify(body), callerObjectId: opts.callerObjectId,
    });
    return out as DvRow | undefined;
  }

  /** DELETE of one row; false when it was already gone (404). */
  async delete(entitySet: string, key: DvKey, opts: DvCallOptions = {}): Promise<boolean> {
    const { res } = await this.json({ method: 'DELETE', path: dvRowPath(entitySet, key), callerObjectId: opts.callerObjectId }, [204, 404]);
    return res.status !== 404;
  }

  /** The systemuser row of an Entra user, or null. */
  async findSystemUserByObjectId(oid: string): Promise<{ systemuserid: string; fullname?: string; isdisabled?: boolean } | null> {
    const rows = await this.list('systemusers', {
      filter: `azureactivedirectoryobjectid eq ${guid(oid)}`,
      select: ['systemuserid', 'fullname', 'isdisabled'],
      top: 1,
    });
    return (rows[0] as { systemuserid: string; fullname?: string; isdisabled?: boolean } | undefined) ?? null;
  }

  /**
   * What a user may do on one row: RetrievePrincipalAccess, called as the bridge's application user.
   * Returns the rights as a set, e.g. {ReadAccess, WriteAccess}.
   */
  async retrievePrincipalAccess(systemUserId: string, targetSet: string, targetId: string): Promise<Set<string>> {
    const target = `{'@odata.id':${stringLiteral(`${identifier(targetSet)}(${guid(targetId)})`)}}`;
    const path = `/systemusers(${guid(systemUserId)})/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@t)?@t=${encodeURIComponent(target)}`;
    const { body } = await this.json({ method: 'GET', path });
    const rights = (body as { AccessRights?: unknown }).AccessRights;
    return new Set(typeof rights === 'string' ? rights.split(',').map((s) => s.trim()).filter((s) => s && s !== 'None') : []);
  }

  /** A cheap authenticated round trip for readiness. */
  async ping(): Promise<void> {
    await this.json({ method: 'GET', path: '/WhoAmI' });
  }

  url(entitySet: string, key?: DvKey): string {
    return this.http.baseUrl + (key === undefined ? `/${identifier(entitySet)}` : dvRowPath(entitySet, key));
  }

  /**
   * $batch (up to 1,000 operations) with `Prefer: odata.continue-on-error`: Dataverse otherwise stops at the
   * first failing request and answers 400, leaving every later row unwritten. Every part's status is read,
   * failures carry error.message. A 400 whose body is still a multipart batch (a service that stopped anyway)
   * is read too: the requests it never answered have no part (the caller reports them as not tried).
   */
  async batch(items: BatchItem[], opts: DvCallOptions = {}) {
    const { body, contentType } = writeBatch(items);
    const res = await this.raw({
      method: 'POST', path: '/$batch', headers: { 'content-type': contentType, prefer: 'odata.continue-on-error' }, body, callerObjectId: opts.callerObjectId,
    });
    const stopped = res.status === 400 && /^multipart\/mixed/i.test(res.headers['content-type'] ?? '');
    if (res.status !== 200 && !stopped) {
      const b = parseJson(res.text);
      throw new UpstreamError('dataverse', res.status, dataverseErrorMessage(b, res.status), b, retryAfterMs(res.headers['retry-after']));
    }
    return readBatchResult(res, dataverseErrorMessage);
  }
}
