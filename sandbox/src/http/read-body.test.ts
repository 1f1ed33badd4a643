import { describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './read-body';

async function roundTrip(body: string, read: (req: IncomingMessage) => Promise<string>): Promise<{ status: number; text: string }> {
  const server = createServer((req, res) => {
    read(req).then((t) => res.writeHead(200).end(`got ${t.length}`), (e: Error) => res.writeHead(400).end(e.message));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { method: 'POST', body }).catch(() => null);
    return res ? { status: res.status, text: await res.text() } : { status: 0, text: 'connection closed' };
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

describe('readBody', () => {
  it('reads the whole body as UTF-8', async () => {
    expect(await roundTrip('héllo', (req) => readBody(req))).toEqual({ status: 200, text: 'got 5' });
  });
  it('refuses a body over the limit with the caller\'s error', async () => {
    const r = await roundTrip('x'.repeat(100_000), (req) => readBody(req, 1_000, () => new Error('too big here')));
    expect(r.status === 400 ? r.text : 'closed').toMatch(/too big here|closed/);
    expect(r.status).not.toBe(200);
  });
});
