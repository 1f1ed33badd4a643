// GET/PATCH /api/v1/accounts/:accountId/finance and /api/v1/contacts/:contactId/finance (person customers): the
// same summary, caching, If-Match, Idempotency-Key and audit for both. Registered inside the API plugin (zod
// compilers).
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AccountIdParams, ContactFinanceSummary, ContactIdParams, ErrorBody, FinanceEdit, FinanceSummary } from '../../contracts/index';
import { bridgeError, isBridgeError } from '../bridge-error';
import type { FinanceService, SummaryOf } from '../../finance/service';
import { FINANCE_RECORDS, type FinanceRecordRef, type FinanceTable } from '../../finance/records';
import { ifNoneMatchHits, summaryEtag } from '../../finance/summary';
import type { IdempotencyRepo } from '../../db/repos/idempotency';
import { toBridgeError } from '../plugins/error-handler';

export interface FinanceRoutesOptions {
  finance: FinanceService;
  idempotency: IdempotencyRepo;
  cacheMaxAgeSeconds: number;
  idempotencyTtlHours: number;
}

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 429: ErrorBody, 502: ErrorBody, 504: ErrorBody };
const IdempotencyKey = z.string().min(8).max(200).regex(/^[\x21-\x7e]+$/);
const readHeaders = z.object({ 'if-none-match': z.string().optional() }).passthrough();
const editHeaders = z.object({ 'if-match': z.string().optional(), 'idempotency-key': IdempotencyKey.optional() }).passthrough();
const editErrors = { 409: ErrorBody, 412: ErrorBody, 422: ErrorBody, 428: ErrorBody, ...errors };

const financeRoutes: FastifyPluginAsyncZod<FinanceRoutesOptions> = async (app, opts) => {
  /** The summary with its ETag and short private caching; 304 when If-None-Match still holds. */
  async function read<T extends FinanceTable>(record: FinanceRecordRef<T>, req: FastifyRequest, reply: FastifyReply): Promise<SummaryOf<T> | FastifyReply> {
    const summary = await opts.finance.summary(req.principal!, record);
    const etag = summaryEtag(summary);
    void reply.header('etag', etag).header('cache-control', `private, max-age=${opts.cacheMaxAgeSeconds}`).header('vary', 'authorization');
    if (ifNoneMatchHits(req.headers['if-none-match'], etag)) return reply.code(304).send(undefined);
    return summary;
  }

  /** An audited edit with the caller's If-Match; a repeated Idempotency-Key replays the stored answer. */
  async function edit<T extends FinanceTable>(record: FinanceRecordRef<T>, body: FinanceEdit, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const ifMatch = req.headers['if-match'];
    if (!ifMatch) throw bridgeError('FB_PRECONDITION_REQUIRED', 'no If-Match header');
    const principal = req.principal!;
    const header = req.headers['idempotency-key'];
    const key = typeof header === 'string' ? header : undefined;
    if (key) {
      // An account's request hashes as it always did; a contact's names its table, so a key cannot cross tables.
      const target = record.kind.table === 'account' ? [record.id.toLowerCase()] : [record.kind.table, record.id.toLowerCase()];
      const hash = createHash('sha256').update(JSON.stringify([...target, ifMatch, body])).digest('hex');
      const begun = await opts.idempotency.begin(principal.oid, key, hash, opts.idempotencyTtlHours * 3_600_000);
      if (begun.kind === 'mismatch') throw bridgeError('FB_IDEMPOTENCY_MISMATCH');
      if (begun.kind === 'in_progress') throw bridgeError('FB_IDEMPOTENCY_IN_PROGRESS');
      if (begun.kind === 'replay') {
        return reply.code(begun.response.status).headers({ ...begun.response.headers, 'idempotent-replayed': 'true' }).send(begun.response.body);
      }
    }
    try {
      const summary = await opts.finance.edit(principal, record, body, ifMatch, req.id);
      const etag = summaryEtag(summary);
      if (key) await opts.idempotency.complete(principal.oid, key, { status: 200, body: summary, headers: { etag } });
      return reply.header('etag', etag).header('cache-control', 'no-store').send(summary);
    } catch (err) {
      if (key) {
        const be = isBridgeError(err) ? err : toBridgeError(err);
        // Final answers (4xx) are replayed; failures worth retrying (5xx, 429) free the key.
        if (be.statusCode < 500 && be.statusCode !== 429) {
          await opts.idempotency.complete(principal.oid, key, {
            status: be.statusCode, headers: {},
            body: { error: { code: be.code, message: be.message, ...(be.details !== undefined ? { details: be.details } : {}), requestId: req.id } },
          });
        } else {
          await opts.idempotency.release(principal.oid, key);
        }
      }
      throw err;
    }
  }

  app.get('/accounts/:accountId/finance', {
    preParsing: app.authorize(['Finance.Read', 'Finance.Write']),
    schema: {
      summary: 'Finance data of the F&O customer linked to a Dataverse account',
      tags: ['finance'],
      params: AccountIdParams,
      headers: readHeaders,
      response: { 200: FinanceSummary, 304: z.null().describe('Not modified'), ...errors },
    },
  }, async (req, reply) => read({ kind: FINANCE_RECORDS.account, id: req.params.accountId }, req, reply));

  app.patch('/accounts/:accountId/finance', {
    preParsing: app.authorize(['Finance.Write']),
    schema: {
      summary: 'Change credit limit or on-hold status in F&O (If-Match: the summary etag)',
      tags: ['finance'],
      params: AccountIdParams,
      headers: editHeaders,
      body: FinanceEdit,
      response: { 200: FinanceSummary, ...editErrors },
    },
  }, async (req, reply) => edit({ kind: FINANCE_RECORDS.account, id: req.params.accountId }, req.body, req, reply));

  app.get('/contacts/:contactId/finance', {
    preParsing: app.authorize(['Finance.Read', 'Finance.Write']),
    schema: {
      summary: 'Finance data of the F&O customer (a person) linked to a Dataverse contact by the customer sync',
      tags: ['finance'],
      params: ContactIdParams,
      headers: readHeaders,
      response: { 200: ContactFinanceSummary, 304: z.null().describe('Not modified'), ...errors },
    },
  }, async (req, reply) => read({ kind: FINANCE_RECORDS.contact, id: req.params.contactId }, req, reply));

  app.patch('/contacts/:contactId/finance', {
    preParsing: app.authorize(['Finance.Write']),
    schema: {
      summary: 'Change a person customer\'s credit limit or on-hold status in F&O (If-Match: the summary etag)',
      tags: ['finance'],
      params: ContactIdParams,
      headers: editHeaders,
      body: FinanceEdit,
      response: { 200: ContactFinanceSummary, ...editErrors },
    },
  }, async (req, reply) => edit({ kind: FINANCE_RECORDS.contact, id: req.params.contactId }, req.body, req, reply));
};

export default financeRoutes;
