// In the benchmark's sandbox process: when asked, records the start and end (Date.now(), ms) of every request the
// sandbox's F&O and Dataverse servers serve, with method, URL and Prefer header, from Node's http diagnostics channels
// (nothing in the sandbox changes). A small control server of its own: POST /start clears and starts recording,
// POST /stop stops, GET /spans returns what was recorded. The sweep phase uses it to see when the bridge's sweep
// read each side, and which pages it read.
import diagnostics from 'node:diagnostics_channel';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Span { method: string; url: string; prefer?: string; start: number; end: number; status: number }

export async function startSpanRecorder(host: string): Promise<{ url: string; close(): Promise<void> }> {
  let recording = false;
  let spans: Span[] = [];
  const open = new WeakMap<IncomingMessage, number>();
  const onStart = (m: unknown) => {
    if (!recording) return;
    const { request } = m as { request: IncomingMessage };
    if ((request.url ?? '').startsWith('/_')) return;
    open.set(request, Date.now());
  };
  const onFinish = (m: unknown) => {
    if (!recording) return;
    const { request, response } = m as { request: IncomingMessage; response: ServerResponse };
    const start = open.get(request);
    if (start === undefined) return;
    const prefer = request.headers.prefer;
    spans.push({ method: request.method ?? 'GET', url: request.url ?? '', ...(prefer ? { prefer: String(prefer) } : {}), start, end: Date.now(), status: response.statusCode });
  };
  diagnostics.subscribe('http.server.request.start', onStart);
  diagnostics.subscribe('http.server.response.finish', onFinish);
  const server = createServer((req, res) => {
    const reply = (body: unknown) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
    if (req.method === 'POST' && req.url === '/start') { spans = []; recording = true; return reply({ recording }); }
    if (req.method === 'POST' && req.url === '/stop') { recording = false; return reply({ recording, spans: spans.length }); }
    if (req.method === 'GET' && req.url === '/spans') return reply(spans);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      diagnostics.unsubscribe('http.server.request.start', onStart);
      diagnostics.unsubscribe('http.server.response.finish', onFinish);
      server.close(() => resolve());
    }),
  };
}
