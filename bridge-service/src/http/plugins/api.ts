// The versioned API (/api/v1): zod compilers are set here only, so other routes (health, metrics,
// webhooks with raw bodies) keep Fastify's defaults.
import type { FastifyPluginAsync } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import financeRoutes, { type FinanceRoutesOptions } from '../routes/finance';

export interface ApiOptions extends FinanceRoutesOptions {
  /** Extra API routes (sync engine: admin API, record sync status), registered with the same compilers. */
  extraRoutes?: FastifyPluginAsync[];
}

const api: FastifyPluginAsync<ApiOptions> = async (app, opts) => {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Pass only the route options: `opts` also holds this plugin's own prefix.
  const { extraRoutes: _extra, ...routeOpts } = opts as ApiOptions & { prefix?: string };
  delete (routeOpts as { prefix?: string }).prefix;
  await app.register(financeRoutes, routeOpts);
  for (const r of opts.extraRoutes ?? []) await app.register(r);
};

export default api;
