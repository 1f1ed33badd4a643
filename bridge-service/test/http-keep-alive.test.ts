// The outbound HTTP client against a real node:http server that breaks connections: a request sent on a
// reused keep-alive socket the server resets before answering is sent again once (even a POST), while a
// reset on a fresh socket is not (the request may have run).
import { afterEach, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHttpService, HttpTransportError, KEEP_ALIVE_MS, type HttpService } from '../src/clients/http';

interface Breaker { url: string; requests: number; sockets: number; close(): Promise<void> }

/** A server that resets the socket (TCP RST, no answer) when `breakIf(n)` holds for the n-th request on it. */
async function breakingServer(breakIf: (nthOnSocket: number) => boolean): Promise<Breaker> {
  const perSocket = new WeakMap<Socket, number>();
  const state = { requests: 0, sockets: 0 };
  const server = http.createServer((req, res) => {
    const n = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, n);
    state.requests++;
    req.resume();
    req.on('end', () => {
      if (breakIf(n)) req.socket.resetAndDestroy();
      else res.end(JSON.stringify({ n }));
    });
  });
  server.on('connection', () => { state.sockets++; });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/data`,
    get requests() { return state.requests; },
    get sockets() { return state.sockets; },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

let server: Breaker | undefined;
let client: HttpService | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = server = undefined;
});

describe('keep-alive connections the server broke', () => {
  it('sends a POST again on a fresh connection when its reused connection is reset before any answer', async () => {
    server = await breakingServer((n) => n === 2);
    // One connection, no ordinary retries: only the stale-connection rule can save the second POST.
    client = createHttpService({ name: 'dataverse', baseUrl: server.url, concurrency: 1, timeoutMs: 2000, retries: 0 });
    const first = await client.request({ method: 'POST', path: '/$batch', body: 'a' });
    expect(first.status).toBe(200);
    const second = await client.request({ method: 'POST', path: '/$batch', body: 'b' });
    expect(second.status).toBe(200);
    expect(JSON.parse(second.text)).toEqual({ n: 1 }); // answered on a new connection
    expect(server.requests).toBe(3);
    expect(server.sockets).toBe(2);
  });

  it('does not resend a POST whose fresh connection was reset (it may have run)', async () => {
    server = await breakingServer((n) => n === 1);
    client = createHttpService({ name: 'dataverse', baseUrl: server.url, concurrency: 1, timeoutMs: 2000, retries: 3 });
    const err = await client.request({ method: 'POST', path: '/$batch', body: 'a' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpTransportError);
    expect((err as HttpTransportError).staleConnection).toBe(false);
    expect((err as Error).message).toMatch(/network error: (ECONNRESET|UND_ERR_SOCKET)/);
    expect(server.requests).toBe(1);
  });

  it('resends a stale-connection POST only once, and then reports the failure', async () => {
    let served = 0;
    // Every request after the very first is reset: the resend (on a new connection) fails too.
    server = await breakingServer(() => served++ > 0);
    client = createHttpService({ name: 'dataverse', baseUrl: server.url, concurrency: 1, timeoutMs: 2000, retries: 0 });
    expect((await client.request({ method: 'POST', path: '/x', body: '1' })).status).toBe(200);
    const err = await client.request({ method: 'POST', path: '/x', body: '2' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpTransportError);
    expect((err as HttpTransportError).staleConnection).toBe(false); // the resend's connection was fresh
    expect(server.requests).toBe(3);
    expect(server.sockets).toBe(2);
  });

  it('gives idle connections up before node:http servers close them (5 s)', () => {
    expect(KEEP_ALIVE_MS).toBeLessThan(5000);
  });
});
