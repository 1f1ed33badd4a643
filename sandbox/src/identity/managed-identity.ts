// A stand-in for the two managed identity endpoints of Azure hosts, over real HTTP, minting tokens with the
// sandbox issuer:
// - App Service / Functions / Container Apps: GET /msi/token?resource=..&api-version=2019-08-01[&client_id=..]
//   with X-IDENTITY-HEADER (point IDENTITY_ENDPOINT at `identityEndpoint`, IDENTITY_HEADER at `identityHeader`);
// - Azure VM IMDS: GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=..[&client_id=..] with
//   Metadata: true (point AZURE_POD_IDENTITY_AUTHORITY_HOST at `imdsHost`).
// The host's identities are the bridge's principal: its system-assigned identity, and user-assigned identities
// whose client id is in `userAssigned` (default: the bridge's client id). What it does not do: see sandbox NOTES.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { IssuerServer } from './issuer';
import { BRIDGE_CLIENT } from './principals';

export interface ManagedIdentityOptions {
  issuer: IssuerServer;
  port?: number;
  host?: string;
  /** The host has a system-assigned identity (default true). */
  systemAssigned?: boolean;
  /** Client ids of the user-assigned identities assigned to the host (default: the bridge's client id). */
  userAssigned?: string[];
  identityHeader?: string;
}

export interface ManagedIdentityEndpoint {
  /** The value of IDENTITY_ENDPOINT on App Service / Container Apps. */
  identityEndpoint: string;
  /** The value of IDENTITY_HEADER. */
  identityHeader: string;
  /** Where IMDS answers (AZURE_POD_IDENTITY_AUTHORITY_HOST). */
  imdsHost: string;
  /** Token requests answered with a token, per protocol. */
  issued: { appService: number; imds: number };
  /** The next `times` token requests answer `status` (IMDS answers 404/410/429/5xx while it updates or throttles). */
  failNext(status: number, times?: number): void;
  close(): Promise<void>;
}

export async function startManagedIdentityEndpoint(opts: ManagedIdentityOptions): Promise<ManagedIdentityEndpoint> {
  const header = opts.identityHeader ?? randomUUID();
  const userAssigned = opts.userAssigned ?? [BRIDGE_CLIENT.clientId];
  const systemAssigned = opts.systemAssigned ?? true;
  const issued = { appService: 0, imds: 0 };
  let failing = { status: 0, times: 0 };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { error: 'unknown', error_description: String(err) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const base = `http://${opts.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;

  /** The identity a request names (client_id), or why none answers. */
  function identityFor(clientId: string | null): { ok: true } | { ok: false; why: string } {
    if (clientId === null) return systemAssigned ? { ok: true } : { ok: false, why: 'No system-assigned identity is enabled on this resource.' };
    return userAssigned.includes(clientId) ? { ok: true } : { ok: false, why: `No user-assigned identity with client id ${clientId} is assigned to this resource.` };
  }

  async function mint(resource: string): Promise<{ token: string; exp: number; nbf: number }> {
    // Tokens for a resource (not a scope) are v1 tokens, as the platform's are for F&O and Dataverse.
    const token = await opts.issuer.issue('bridge', resource, '1.0');
    const c = decodeJwt(token);
    return { token, exp: Number(c.exp), nbf: Number(c.nbf) };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const q = url.searchParams;
    if (req.method !== 'GET') return void send(res, 405, { error: 'invalid_request', error_description: 'Use GET.' });
    if (url.pathname === '/msi/token') {
      // App Service's answers carry statusCode and message.
      if (req.headers['x-identity-header'] !== header) return void send(res, 401, { statusCode: 401, message: 'The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.' });
      if (q.get('api-version') !== '2019-08-01') return void send(res, 400, { statusCode: 400, message: `api-version '${q.get('api-version') ?? ''}' is not supported: use 2019-08-01.` });
      const resource = q.get('resource');
      if (!resource) return void send(res, 400, { statusCode: 400, message: 'The resource parameter is required.' });
      if (failNow()) return void send(res, failing.status, { statusCode: failing.status, message: 'Transient failure (sandbox fault).' });
      const who = identityFor(q.get('client_id'));
      if (!who.ok) return void send(res, 400, { statusCode: 400, message: `Unable to load the proper Managed Identity. ${who.why}`, correlationId: randomUUID() });
      const t = await mint(resource);
      issued.appService++;
      return void send(res, 200, { access_token: t.token, expires_on: String(t.exp), resource, token_type: 'Bearer', client_id: q.get('client_id') ?? BRIDGE_CLIENT.clientId });
    }
    if (url.pathname === '/metadata/identity/oauth2/token') {
      if (req.headers.metadata !== 'true') return void send(res, 400, { error: 'bad_request_102', error_description: 'Required metadata header not specified' });
      if (!q.get('api-version')) return void send(res, 400, { error: 'invalid_request', error_description: 'Required query variable \'api-version\' is missing' });
      const resource = q.get('resource');
      if (!resource) return void send(res, 400, { error: 'invalid_request', error_description: 'Required query variable \'resource\' is missing' });
      if (failNow()) return void send(res, failing.status, { error: 'temporarily_unavailable', error_description: 'Transient failure (sandbox fault).' });
      const who = identityFor(q.get('client_id'));
      if (!who.ok) return void send(res, 400, { error: 'invalid_request', error_description: `Identity not found. ${who.why}` });
      const t = await mint(resource);
      issued.imds++;
      return void send(res, 200, {
        access_token: t.token, refresh_token: '', expires_in: String(t.exp - Math.floor(Date.now() / 1000)), expires_on: String(t.exp),
        not_before: String(t.nbf), resource, token_type: 'Bearer',
      });
    }
    send(res, 404, { error: 'not_found', error_description: `No endpoint at ${url.pathname}: /msi/token (App Service) or /metadata/identity/oauth2/token (IMDS).` });
  }

  function failNow(): boolean {
    if (failing.times <= 0) return false;
    failing.times--;
    return true;
  }

  return {
    identityEndpoint: `${base}/msi/token`,
    identityHeader: header,
    imdsHost: base,
    issued,
    failNext: (status, times = 1) => { failing = { status, times }; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
