// The unread rest of a body answered early (issue 15, point 11) is read up to its caps, never waited for forever.
// Over a real socket: inject() has none. The full race against the bridge is in test/security/body-limit-reset.test.ts.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Fastify, { type FastifyInstance } from 'fastify';
import net, { type AddressInfo } from 'node:net';
import unreadBody from '../src/http/plugins/unread-body';

let app: FastifyInstance;
let port: number;

beforeAll(async () => {
  app = Fastify({ bodyLimit: 1024 });
  await app.register(unreadBody, { maxBytes: 256 * 1024, maxMs: 300 });
  app.post('/', async () => ({ ok: true }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await app.close();
});

/** Announces `announced` bytes, sends `sent` of them, then waits; the answer's status line, and when it came. */
function partialUpload(announced: number, sent: number): Promise<{ status: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const s = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    let text = '';
    s.on('data', (d: Buffer) => { text += d.toString(); });
    s.on('error', () => undefined);
    s.on('end', () => s.end());
    s.on('close', () => resolve({ status: text.split('\r\n')[0], ms: Date.now() - t0 }));
    s.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${announced}\r\n\r\n`);
    s.write(Buffer.alloc(sent, 'x'));
  });
}

describe('an early answer while the body is still coming', () => {
  it('waits for the rest of the body at most maxMs, then answers and closes', async () => {
    const r = await partialUpload(100_000, 10_000);
    expect(r.status).toBe('HTTP/1.1 413 Payload Too Large');
    expect(r.ms).toBeGreaterThanOrEqual(250);
    expect(r.ms).toBeLessThan(5_000);
  });

  it('answers at once when the whole body has come, and the route still works for small bodies', async () => {
    const r = await partialUpload(100_000, 100_000);
    expect(r.status).toBe('HTTP/1.1 413 Payload Too Large');
    expect(r.ms).toBeLessThan(250);
    const ok = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(await ok.json()).toEqual({ ok: true });
  });
});
