// The panel's reads and the sync share one budget per service (service protection counts per user and the bridge
// is one user). Over real HTTP with the budget full of sync work, a user's read is sent next, not after the backlog.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpService, type HttpService } from '../src/clients/http';

let server: Server;
let http: HttpService;
const arrived: string[] = [];
const held: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    arrived.push(req.url ?? '');
    held.push(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  http = createHttpService({ name: 'fno', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/data`, concurrency: 1, timeoutMs: 10_000, retries: 0 });
});
afterAll(async () => {
  await http.close();
  await new Promise((r) => server.close(r));
});

const answerOldest = () => held.shift()!.writeHead(200, { 'content-type': 'application/json' }).end('{}');
const until = async (cond: () => boolean) => { for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10)); };

describe('interactive requests', () => {
  it('go before waiting sync work on the same service', async () => {
    const sync = [1, 2, 3, 4].map((n) => http.request({ method: 'GET', path: `/sync-${n}` }));
    await until(() => arrived.length === 1);
    const panel = http.interactive().request({ method: 'GET', path: '/panel' });
    for (let n = 0; n < 5; n++) {
      await until(() => arrived.length === n + 1);
      answerOldest();
    }
    await Promise.all([...sync, panel]);
    expect(arrived).toEqual(['/data/sync-1', '/data/panel', '/data/sync-2', '/data/sync-3', '/data/sync-4']);
  });
});
