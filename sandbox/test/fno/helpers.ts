import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFnoServer, type FnoServer, type SandboxPrincipal } from '../../src/fno/server';
import { generateFnoData } from '../../src/demo-data/generate';

export const APP: SandboxPrincipal = { oid: 'aaaaaaaa-0000-4000-8000-000000000001', appId: 'app', name: 'bridge', roles: [], isApp: true };
const OTHER: SandboxPrincipal = { ...APP, oid: 'aaaaaaaa-0000-4000-8000-000000000002' };

/** A fake verifier: 'Bearer good' is the app, 'Bearer other' another caller, anything else fails like an expired token. */
export async function startFno(extra: Partial<Parameters<typeof createFnoServer>[0]> = {}): Promise<FnoServer> {
  return createFnoServer({
    data: generateFnoData({ seed: 1 }), audience: 'http://fno.test', eventBackoffMs: 20,
    verify: async (auth) => {
      if (auth === 'Bearer good') return APP;
      if (auth === 'Bearer other') return OTHER;
      throw new Error('the token is expired');
    },
    ...extra,
  });
}

export function call(s: FnoServer, path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token !== '') headers.set('authorization', `Bearer ${init.token ?? 'good'}`);
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  return fetch(`${s.url}${path}`, { ...init, headers });
}

export interface Receiver { url: string; bodies: unknown[]; failFirst: number; maxConcurrent: number; close(): Promise<void>; waitFor(n: number): Promise<void> }

export async function startReceiver(failFirst = 0, delayMs = 0): Promise<Receiver> {
  const r: Receiver = { url: '', bodies: [], failFirst, maxConcurrent: 0, close: async () => {}, waitFor: async () => {} };
  let open = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (r.failFirst > 0) { r.failFirst--; res.writeHead(503).end(); return; }
      r.bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      open++;
      r.maxConcurrent = Math.max(r.maxConcurrent, open);
      setTimeout(() => { open--; res.writeHead(200).end(); }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  r.close = () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  r.waitFor = async (n) => {
    const until = Date.now() + 5000;
    while (r.bodies.length < n && Date.now() < until) await new Promise((res) => setTimeout(res, 10));
    if (r.bodies.length < n) throw new Error(`expected ${n} deliveries, got ${r.bodies.length}`);
  };
  return r;
}
