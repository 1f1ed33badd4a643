// The ONLY module that knows F&O OData URL shapes: keys with every field (company included),
// cross-company queries, paging by @odata.nextLink, etags, $batch, and F&O's error bodies.
import { compoundKey, encodeQuery, identifier } from './odata/literals';
import { parseBatchResponse, writeBatch, type BatchItem, type BatchPart } from './odata/batch';
import { retryAfterMs } from './failure';
import type { HttpService, HttpResponse } from './http';
import { UpstreamError, fnoErrorMessage, parseJson } from './upstream-error';

export type FnoKey = Record<string, string | number>;
export type FnoRecord = Record<string, unknown> & { '@odata.etag'?: string };

export interface QueryOptions {
  filter?: string;
  select?: string[];
  orderby?: string;
  top?: number;
  /** Page size the server should use (F&O allows up to 10,000). */
  pageSize?: number;
  /** Query all legal entities (otherwise F&O answers for the caller's default company only). */
  crossCompany?: boolean;
  /** Stop after this many records (following nextLinks until then). */
  limit?: number;
}

/** An enum literal for $filter: Microsoft.Dynamics.DataEntities.NoYes'Yes'. */
export function fnoEnum(enumType: string, member: string): string {
  return `Microsoft.Dynamics.DataEntities.${identifier(enumType)}'${identifier(member)}'`;
}

export function fnoEntityPath(entitySet: string, key?: FnoKey): string {
  return `/${identifier(entitySet)}${key ? compoundKey(key) : ''}`;
}

export class FnoClient {
  constructor(readonly http: HttpService) {}

  /** Low-level: one request relative to /data, returning the raw response (for the sync engine). */
  raw(req: Parameters<HttpService['request']>[0]): Promise<HttpResponse> {
    return this.http.request({ ...req, headers: { 'OData-Version': '4.0', 'OData-MaxVersion': '4.0', ...req.headers } });
  }

  private async json(req: Parameters<HttpService['request']>[0], okStatuses = [200, 201, 204]): Promise<{ body: unknown; res: HttpResponse }> {
    const res = await this.raw(req);
    const body = parseJson(res.text);
    if (!okStatuses.includes(res.status)) throw new UpstreamError('fno', res.status, fnoErrorMessage(body, res.status), body, retryAfterMs(res.headers['retry-after']));
    return { body, res };
  }

  /** How many records match (`$count` with `$top=0`: no record is read). */
  async count(entitySet: string, opts: { filter?: string; crossCompany?: boolean } = {}): Promise<number> {
    const q = encodeQuery({ $filter: opts.filter, $count: 'true', $top: 0, 'cross-company': opts.crossCompany ? 'true' : undefined });
    const { body } = await this.json({ method: 'GET', path: `/${encodeURIComponent(entitySet)}${q}` }, [200]);
    return Number((body as { '@odata.count'?: unknown } | undefined)?.['@odata.count'] ?? 0);
  }

  /** One record by its full key, or null when F&O answers 404. */
  async getByKey(entitySet: string, key: FnoKey, opts: { select?: string[]; crossCompany?: boolean } = {}): Promise<FnoRecord | null> {
    const q = encodeQuery({ $select: opts.select?.map(identifier).join(','), 'cross-company': opts.crossCompany ? 'true' : undefined });
    try {
      const { body } = await this.json({ method: 'GET', path: fnoEntityPath(entitySet, key) + q });
      return body as FnoRecord;
    } catch (e) {
      if (e instanceof UpstreamError && e.status === 404) return null;
      throw e;
    }
  }

  /** All records matching a query, following @odata.nextLink until `limit`. */
  async query(entitySet: string, opts: QueryOptions = {}): Promise<FnoRecord[]> {
    const out: FnoRecord[] = [];
    for await (const page of this.pages(entitySet, opts)) {
      out.push(...page);
      if (opts.limit !== undefined && out.length >= opts.limit) return out.slice(0, opts.limit);
    }
    return out;
  }

  /** The pages of a query one at a time (server-driven paging by @odata.nextLink), so a large read is never held whole. */
  async *pages(entitySet: string, opts: QueryOptions = {}): AsyncGenerator<FnoRecord[]> {
    const q = encodeQuery({
      $filter: opts.filter,
      $select: opts.select?.map(identifier).join(','),
      $orderby: opts.orderby,
      $top: opts.top,
      'cross-company': opts.crossCompany ? 'true' : undefined,
    });
    const headers: Record<string, string> = opts.pageSize ? { Prefer: `odata.maxpagesize=${opts.pageSize}` } : {};
    let next: string | undefined = fnoEntityPath(entitySet) + q;
    while (next) {
      const { body } = await this.json({ method: 'GET', path: next, headers });
      const page = body as { value?: FnoRecord[]; '@odata.nextLink'?: string };
      yield page.value ?? [];
      next = page['@odata.nextLink'];
    }
  }

  /** PATCH with If-Match (an etag, or '*'). F&O answers 204; 412 means the etag is stale. */
  async update(entitySet: string, key: FnoKey, changes: Record<string, unknown>, ifMatch: string): Promise<void> {
    await this.json({
      method: 'PATCH',
      path: fnoEntityPath(entitySet, key) + '?cross-company=true',
      headers: { 'content-type': 'application/json', 'If-Match': ifMatch },
      body: JSON.stringify(changes),
    });
  }

  /** DELETE of one record; false when it was already gone (404). F&O refuses a record that others depend on. */
  async delete(entitySet: string, key: FnoKey): Promise<boolean> {
    const { res } = await this.json({ method: 'DELETE', path: fnoEntityPath(entitySet, key) + '?cross-company=true', headers: { 'If-Match': '*' } }, [200, 204, 404]);
    return res.status !== 404;
  }

  /** Creates in the company the record's dataAreaId names (cross-company, as updates and deletes: not the caller's default company). */
  async create(entitySet: string, record: Record<string, unknown>): Promise<FnoRecord> {
    const { body } = await this.json({
      method: 'POST', path: fnoEntityPath(entitySet) + '?cross-company=true', headers: { 'content-type': 'application/json' }, body: JSON.stringify(record),
    });
    return body as FnoRecord;
  }

  /** A cheap authenticated round trip for readiness: one legal entity id (not $metadata, which is megabytes). */
  async ping(): Promise<void> {
    await this.json({ method: 'GET', path: `/LegalEntities${encodeQuery({ $top: 1, $select: 'LegalEntityId' })}` });
  }

  /** Absolute URL of an entity, for $batch operations. */
  url(entitySet: string, key?: FnoKey): string {
    return this.http.baseUrl + fnoEntityPath(entitySet, key);
  }

  /**
   * Sends a $batch and returns every part. Throws only when the batch itself failed; a failed part (even
   * under a 200 batch) is reported in the result's `failures` with F&O's readable message.
   */
  async batch(items: BatchItem[]): Promise<{ parts: BatchPart[]; failures: { part: BatchPart; message: string }[] }> {
    const { body, contentType } = writeBatch(items);
    const res = await this.raw({ method: 'POST', path: '/$batch', headers: { 'content-type': contentType }, body });
    if (res.status !== 200) {
      const b = parseJson(res.text);
      throw new UpstreamError('fno', res.status, fnoErrorMessage(b, res.status), b, retryAfterMs(res.headers['retry-after']));
    }
    return readBatchResult(res, fnoErrorMessage);
  }
}

export function readBatchResult(res: HttpResponse, message: (body: unknown, status: number) => string) {
  const parts = parseBatchResponse(res.text, res.headers['content-type'] ?? '');
  const failures = parts.filter((p) => p.status >= 400).map((part) => ({ part, message: message(part.body, part.status) }));
  return { parts, failures };
}
