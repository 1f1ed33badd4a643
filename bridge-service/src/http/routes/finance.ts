// GET/PATCH /api/v1/accounts/:accountId/finance. Registered inside the API plugin (zod compilers).
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AccountIdParams, ErrorBody, FinanceEdit, FinanceSummary } from '../../contracts/index';
import { bridgeError, isBridgeError } from '../bridge-error';
import type { FinanceService } from '../../finance/service';
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

const financeRoutes: FastifyPluginAsyncZod<FinanceRoutesOptions> = async (app, opts) => {
  app.get('/accounts/:accountId/finance', {
    preParsing: app.authorize(['Finance.Read', 'Finance.Write']),
    schema: {
      summary: 'Finance data of the F&O customer linked to a Dataverse account',
      tags: ['finance'],
      params: AccountIdParams,
      headers: z.object({ 'if-none-match': z.string().optional() }).passthrough(),
      response: { 200: FinanceSummary, 304: z.null().describe('Not modified'), ...errors },
    },
  }, async (req, reply) => {
    const summary = await opts.finance.summary(req.principal!, req.params.accountId);
    const etag = summaryEtag(summary);
    void reply.header('etag', etag).header('cache-control', `private, max-age=${opts.cacheMaxAgeSeconds}`).header('vary', 'authorization');
    if (ifNoneMatchHits(req.headers['if-none-match'], etag)) return reply.code(304).send(undefined as never);
    return summary;
  });

  app.patch('/accounts/:accountId/finance', {
    preParsing: app.authorize(['Finance.Write']),
    schema: {
      summary: 'Change credit limit or on-hold status in F&O (If-Match: the summary etag)',
      tags: ['finance'],
      params: AccountIdParams,
      headers: z.object({ 'if-match': z.string().optional(), 'idempotency-key': IdempotencyKey.optional() }).passthrough(),
      body: FinanceEdit,
      response: { 200: FinanceSummary, 409: ErrorBody, 412: ErrorBody, 422: ErrorBody, 428: ErrorBody, ...errors },
    },
  }, async (req, reply) => {
    const ifMatch = req.headers['if-match'];
    if (!ifMatch) throw bridgeError('FB_PRECONDITION_REQUIRED', 'no If-Match header');
    const principal = req.principal!;
    const key = req.headers['idempotency-key'];
    if (key) {
      const hash = createHash('sha256').update(JSON.stringify([req.params.accountId.toLowerCase(), ifMatch, req.body])).digest('hex');
      const begun = await opts.idempotency.begin(principal.oid, key, hash, opts.idempotencyTtlHours * 3_600_000);
      if (begun.kind === 'mismatch') throw bridgeError('FB_IDEMPOTENCY_MISMATCH');
      if (begun.kind === 'in_progress') throw bridgeError('FB_IDEMPOTENCY_IN_PROGRESS');
      if (begun.kind === 'replay') {
        return reply.code(begun.response.status).headers({ ...begun.response.headers, 'idempotent-replayed': 'true' }).send(begun.response.body as never);
      }
    }
    try {
      const summary = await opts.finance.edit(principal, req.params.accountId, req.body, ifMatch, req.id);
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
  });
};

export default financeRoutes;
