// Fastify side of auth: `app.authorize(roles)` returns a preParsing hook that verifies the bearer token,
// puts the principal on the request, and demands the app roles. 401 / 403 bodies say why. It runs after the
// rate limit (onRequest) and before the body is read and params are validated: an anonymous caller learns
// nothing from a 400 and costs no parsing.
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, preParsingAsyncHookHandler, RequestPayload } from 'fastify';
import { bridgeError } from '../bridge-error';
import { createPrincipalLimit } from '../../auth/principal-limit';
import { TokenRejected, type AppRole, type Principal, type TokenVerifier } from '../../auth/verifier';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyInstance {
    /** preParsing hook: a valid token with at least one of `anyOf` roles (none given: any valid token). */
    authorize(anyOf?: AppRole[]): preParsingAsyncHookHandler;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

export default fp(
  async (app, opts: { verifier: TokenVerifier; rateLimit?: { max: number; windowMs: number } }) => {
    if (!opts.verifier) throw new Error('auth plugin needs a verifier');
    const limit = opts.rateLimit ? createPrincipalLimit(opts.rateLimit.max, opts.rateLimit.windowMs) : null;
    app.decorateRequest('principal', undefined);
    app.decorate('authorize', (anyOf: AppRole[] = []) => {
      return async (req: FastifyRequest, _reply: FastifyReply, payload: RequestPayload) => {
        const token = bearerToken(req.headers.authorization);
        if (!token) throw bridgeError('FB_AUTH_MISSING_TOKEN');
        try {
          req.principal = await opts.verifier.verify(token);
        } catch (e) {
          if (e instanceof TokenRejected) throw bridgeError('FB_AUTH_INVALID_TOKEN', e.reason);
          throw e;
        }
        const wait = limit?.hit(req.principal.oid);
        if (wait) {
          throw bridgeError('FB_RATE_LIMITED', `at most ${opts.rateLimit!.max} requests per user per ${Math.round(opts.rateLimit!.windowMs / 1000)} s`, { headers: { 'retry-after': String(wait) } });
        }
        if (anyOf.length > 0 && !anyOf.some((r) => req.principal!.roles.includes(r))) {
          throw bridgeError('FB_AUTH_FORBIDDEN', `this needs the app role ${anyOf.join(' or ')}, and the token has ${req.principal.roles.length ? req.principal.roles.join(', ') : 'no app roles'}`, {
            details: { requiredRoles: anyOf, tokenRoles: req.principal.roles },
          });
        }
        return payload;
      };
    });
  },
  { fastify: '5.x', name: 'bridge-auth' },
);
