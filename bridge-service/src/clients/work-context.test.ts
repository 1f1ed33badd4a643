import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpService } from './http';
import { currentMap, forMap } from './work-context';

let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((_req, res) => { res.writeHead(429, { 'retry-after': '0' }); res.end(); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => { await new Promise<void>((r) => server.close(() => r())); });

describe('work context', () => {
  it('carries the map across awaits, and only inside its work', async () => {
    expect(currentMap()).toBeUndefined();
    const seen = await forMap('customers-accounts', async () => {
      await new Promise((r) => setTimeout(r, 5));
      return currentMap();
    });
    expect(seen).toBe('customers-accounts');
    expect(currentMap()).toBeUndefined();
  });

  it('names the map of each outbound attempt (a 429 is counted per map)', async () => {
    const attempts: Array<{ status: number | 'error'; map?: string }> = [];
    const svc = createHttpService({ name: 'fno', baseUrl: url, concurrency: 2, timeoutMs: 2000, retries: 0, onAttempt: (a) => attempts.push(a) });
    try {
      await forMap('vendors', () => svc.request({ method: 'GET', path: '/x' }).catch(() => undefined));
      await svc.request({ method: 'GET', path: '/y' }).catch(() => undefined);
    } finally {
      await svc.close?.();
    }
    expect(attempts.map((a) => [a.status, a.map])).toEqual([[429, 'vendors'], [429, undefined]]);
  });
});
