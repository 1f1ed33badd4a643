import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpService, forMap } from './http';

let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((_req, res) => { res.writeHead(429, { 'retry-after': '0' }); res.end(); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => { await new Promise<void>((r) => server.close(() => r())); });

describe('a service for one map', () => {
  it('names the map of each outbound attempt (429s are counted by map), also in its interactive view; the service itself names none', async () => {
    const attempts: Array<{ status: number | 'error'; map?: string }> = [];
    const svc = createHttpService({ name: 'fno', baseUrl: url, concurrency: 2, timeoutMs: 2000, retries: 0, onAttempt: (a) => attempts.push(a) });
    try {
      await forMap(svc, 'vendors').request({ method: 'GET', path: '/x' });
      await forMap(svc, 'vendors').interactive().request({ method: 'GET', path: '/x' });
      await svc.request({ method: 'GET', path: '/y' });
    } finally {
      await svc.close();
    }
    expect(attempts.map((a) => [a.status, a.map])).toEqual([[429, 'vendors'], [429, 'vendors'], [429, undefined]]);
  });
});
