// The admin console at /admin: one page and one script, nothing inline, under a strict Content-Security-Policy of
// its own. The page itself is public (it holds no data); everything it shows comes from /api/v1/admin, which asks
// for the Sync.Admin role on every call.
import type { FastifyPluginAsync } from 'fastify';
import type { BridgeConfig } from '../../config';
import type { ConsoleAssets } from '../console/assets';
import { consoleSignIn, signInOrigins } from '../console/sign-in';

export interface AdminConsoleOptions {
  auth: BridgeConfig['auth'];
  assets: ConsoleAssets;
  /**
   * A same-origin script that offers tokens on `window.finOpsBridgeHost` (as controls/common/token/host-token-provider.ts
   * describes): the local demo's sign-in. The console honours it only on a loopback address; unset in production.
   */
  hostScript?: string;
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>FinOps Bridge admin console</title>
</head>
<body>
<div id="root"></div>
<noscript>The FinOps Bridge admin console needs JavaScript.</noscript>
<script src="/admin/console.js"></script>
</body>
</html>
`;

/**
 * Scripts only from the bridge itself (no inline script, no eval). Styles allow 'unsafe-inline' because Fluent UI
 * writes its styles into <style> elements at run time. The sign-in authority and the token issuer are the only
 * other origins the page may call or frame (MSAL's silent sign-in runs in a hidden frame).
 */
export function consoleCsp(extraOrigins: string[]): string {
  const others = extraOrigins.join(' ');
  return [
    "default-src 'none'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self'",
    `connect-src 'self' ${others}`.trim(), `frame-src ${others || "'none'"}`, "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'",
  ].join('; ');
}

const adminConsole: FastifyPluginAsync<AdminConsoleOptions> = async (app, opts) => {
  const csp = consoleCsp(signInOrigins(opts.auth));
  const config = { signIn: consoleSignIn(opts.auth), hostScript: opts.hostScript ?? null };

  // An encapsulated plugin: this hook (and so this policy) applies to the console's routes only.
  app.addHook('onRequest', async (_req, reply) => {
    void reply.header('content-security-policy', csp);
  });
  app.get('/admin', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/admin/'));
  app.get('/admin/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(PAGE));
  app.get('/admin/config.json', { schema: { hide: true } }, async (_req, reply) => reply.header('cache-control', 'no-cache').send(config));
  app.get('/admin/console.js', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(await opts.assets.script()));
};

export default adminConsole;
