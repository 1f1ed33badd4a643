// One error handler: every error becomes an ErrorBody with a stable code; 5xx internals are logged,
// never sent.
import fp from 'fastify-plugin';
import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { BridgeError, bridgeError, isBridgeError } from '../bridge-error';
import { UpstreamError } from '../../clients/upstream-error';
import { HttpTransportError } from '../../clients/upstream-error';
import { TokenError } from '../../clients/token-provider';

export function toBridgeError(err: unknown): BridgeError {
  if (isBridgeError(err)) return err;
  if (err instanceof UpstreamError) {
    if (err.status === 429) return bridgeError('FB_RATE_LIMITED', `${err.service === 'fno' ? 'F&O' : 'Dataverse'} is throttling the bridge`, { headers: { 'retry-after': '30' } });
    return bridgeError(err.service === 'fno' ? 'FB_UPSTREAM_FNO' : 'FB_UPSTREAM_DATAVERSE', `${err.message} (HTTP ${err.status})`);
  }
  if (err instanceof HttpTransportError) {
    const who = err.service === 'fno' ? 'F&O' : 'Dataverse';
    return err.timedOut ? bridgeError('FB_UPSTREAM_TIMEOUT', who) : bridgeError(err.service === 'fno' ? 'FB_UPSTREAM_FNO' : 'FB_UPSTREAM_DATAVERSE', err.message);
  }
  if (err instanceof TokenError) return bridgeError('FB_UPSTREAM_AUTH', err.resource);
  const fe = err as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fe)) {
    const details = fe.validation.map((v) => ({ path: v.instancePath || '/', message: v.message }));
    return bridgeError('FB_VALIDATION', details.map((d) => `${d.path} ${d.message}`).join('; '), { details });
  }
  if (fe.validation) return bridgeError('FB_VALIDATION', fe.message, { details: fe.validation });
  if (fe.statusCode === 413 || fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return bridgeError('FB_PAYLOAD_TOO_LARGE', fe.message);
  if (fe.statusCode === 415 || fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return bridgeError('FB_UNSUPPORTED_MEDIA_TYPE', fe.message);
  if (fe.statusCode === 429) return bridgeError('FB_RATE_LIMITED', fe.message);
  if (fe.statusCode === 404) return bridgeError('FB_NOT_FOUND', fe.message);
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return bridgeError('FB_VALIDATION', fe.message);
  return bridgeError('FB_INTERNAL', undefined, { cause: err });
}

/** The body of every error answer. */
export function errorBody(be: BridgeError, requestId: string) {
  return { error: { code: be.code, message: be.message, ...(be.details !== undefined ? { details: be.details } : {}), requestId } };
}

export default fp(
  async (app) => {
    app.setErrorHandler((err, req, reply) => {
      const be = toBridgeError(err);
      if (be.statusCode >= 500) req.log.error({ err, code: be.code }, 'request failed');
      else req.log.info({ code: be.code, status: be.statusCode }, be.message);
      if (be.headers) void reply.headers(be.headers);
      if (be.code === 'FB_RATE_LIMITED' && !reply.getHeader('retry-after')) void reply.header('retry-after', '60');
      return reply.status(be.statusCode).type('application/json').send(errorBody(be, req.id));
    });
    app.setNotFoundHandler((req, reply) => {
      return reply.status(404).send({ error: { code: 'FB_NOT_FOUND', message: bridgeError('FB_NOT_FOUND', `${req.method} ${req.url.split('?')[0]}`).message, requestId: req.id } });
    });
  },
  { fastify: '5.x', name: 'bridge-errors' },
);
