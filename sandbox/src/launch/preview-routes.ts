// The local preview: a page that looks like a CE account form and hosts the built PCF bundles
// (controls/out/controls) with a real PCF context against the sandbox. A development aid of the demo, on the
// sandbox's side: the launcher registers it on the bridge app it composes (paths start with /preview).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BRIDGE_API, CONTROLS_CLIENT_ID, DEMO_USERS, TENANT_ID } from '../identity/principals';

export interface PreviewOptions {
  /** controls/out/controls: one folder per control with bundle.js and strings/. */
  controlsOutDir: string;
  /** controls/preview-host: index.html, preview.js, preview.css. */
  hostDir: string;
  /** Sandbox Dataverse base URL (the page reaches it through /preview/dataverse, so no CORS is needed). */
  dataverseUrl?: string;
  /** Sandbox issuer base URL (without the tenant). */
  identityUrl?: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.resx': 'application/xml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** The demo's sign-in for the admin console (controls/preview-host/admin-sign-in.js): the sandbox's users, as on the preview. */
export const ADMIN_SIGN_IN_SCRIPT = '/preview/host/admin-sign-in.js';

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The directory of an installed package, found from its main file (exports maps hide package.json). */
function packageDir(name: string): string {
  const require = createRequire(import.meta.url);
  let dir = path.dirname(require.resolve(name));
  while (dir !== path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === name) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`Cannot find the package folder of ${name}`);
}

export default async function previewRoutes(app: FastifyInstance, opts: PreviewOptions) {
  const dataverseUrl = (opts.dataverseUrl ?? `http://127.0.0.1:${process.env.SANDBOX_DATAVERSE_PORT ?? 4002}`).replace(/\/+$/, '');
  const identityUrl = (opts.identityUrl ?? `http://127.0.0.1:${process.env.SANDBOX_IDENTITY_PORT ?? 4003}`).replace(/\/+$/, '');
  const vendor: Record<string, string> = {
    'react.js': path.join(packageDir('react'), 'umd', 'react.production.min.js'),
    'react-dom.js': path.join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'),
    'fluentui-react.js': path.join(packageDir('@fluentui/react'), 'dist', 'fluentui-react.umd.js'),
  };

  async function sendFile(reply: FastifyReply, file: string | null) {
    if (!file || !existsSync(file)) {
      return reply.code(404).type('application/json').send({ error: { code: 'FB_PREVIEW_NOT_FOUND', message: 'Not found. Run `npm run build -w controls` to build the control bundles.' } });
    }
    return reply.type(TYPES[path.extname(file)] ?? 'application/octet-stream').header('cache-control', 'no-store').send(await readFile(file));
  }

  app.get('/preview', async (_req, reply) => reply.redirect('/preview/'));
  app.get('/preview/', async (_req, reply) => sendFile(reply, path.join(opts.hostDir, 'index.html')));

  app.get<{ Params: { file: string } }>('/preview/host/:file', async (req, reply) =>
    sendFile(reply, SAFE_NAME.test(req.params.file) ? path.join(opts.hostDir, req.params.file) : null));

  app.get<{ Params: { file: string } }>('/preview/vendor/:file', async (req, reply) => sendFile(reply, vendor[req.params.file] ?? null));

  app.get<{ Params: { control: string } }>('/preview/controls/:control/bundle.js', async (req, reply) =>
    sendFile(reply, SAFE_NAME.test(req.params.control) ? path.join(opts.controlsOutDir, req.params.control, 'bundle.js') : null));

  app.get<{ Params: { control: string; file: string } }>('/preview/controls/:control/strings/:file', async (req, reply) => {
    const { control, file } = req.params;
    return sendFile(reply, SAFE_NAME.test(control) && SAFE_NAME.test(file) && file.endsWith('.resx') ? path.join(opts.controlsOutDir, control, 'strings', file) : null);
  });

  app.get('/preview/config.json', async () => ({
    tenantId: TENANT_ID,
    issuer: `${identityUrl}/${TENANT_ID}`,
    controlsClientId: CONTROLS_CLIENT_ID,
    bridgeScope: BRIDGE_API.scope,
    dataverseScope: `${dataverseUrl}/.default`,
    users: DEMO_USERS.map((u) => ({ name: u.name, upn: u.upn, displayName: u.displayName, uiLanguage: u.uiLanguage, systemUserId: u.systemUserId })),
  }));

  // The sandbox Dataverse has no CORS; the page reaches it through here, with the user's own token.
  app.get<{ Params: { '*': string } }>('/preview/dataverse/*', async (req, reply) => {
    const target = `${dataverseUrl}/${req.params['*']}${req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (req.headers.authorization) headers.authorization = req.headers.authorization;
    if (typeof req.headers.prefer === 'string') headers.prefer = req.headers.prefer;
    try {
      const res = await fetch(target, { headers });
      return reply.code(res.status).type(res.headers.get('content-type') ?? 'application/json').send(await res.text());
    } catch {
      return reply.code(502).send({ error: { code: 'FB_PREVIEW_DATAVERSE_UNREACHABLE', message: `The sandbox Dataverse at ${dataverseUrl} cannot be reached. Start it with \`npm run sandbox\` or \`npm start\`.` } });
    }
  });
}
