// The benchmark's own HTTP client (undici, keep-alive): plain JSON calls with a bearer token, and an error
// that names the call when a status is not the expected one.
import { Agent, request } from 'undici';

// Below node:http's 5 s server keep-alive: a socket the server may already have closed is never reused
// (that race shows up as ECONNRESET when a long $batch leaves the F&O connection idle).
export const agent = new Agent({ connections: 64, keepAliveTimeout: 4_000, keepAliveMaxTimeout: 4_000, pipelining: 1 });

export interface Call {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Answer<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
  text: string;
}

export async function call<T = unknown>(c: Call): Promise<Answer<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...c.headers };
  if (c.token) headers.authorization = `Bearer ${c.token}`;
  let body: string | undefined;
  if (c.body !== undefined) {
    body = typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
    headers['content-type'] ??= 'application/json';
  }
  let res;
  try {
    res = await request(c.url, { method: c.method ?? 'GET', headers, body, dispatcher: agent });
  } catch (e) {
    // A reused socket closed under us: safe to send a GET again, never a write.
    if ((c.method ?? 'GET') !== 'GET' || (e as { code?: string }).code !== 'ECONNRESET') throw e;
    res = await request(c.url, { method: 'GET', headers, dispatcher: agent });
  }
  const text = await res.body.text();
  let parsed: unknown = text;
  if (text && /json/.test(String(res.headers['content-type'] ?? ''))) {
    try { parsed = JSON.parse(text); } catch { parsed = text; }
  }
  return { status: res.statusCode, headers: res.headers, body: parsed as T, text };
}

/** Like call(), but throws unless the status is one of `ok`. */
export async function expectStatus<T = unknown>(c: Call, ok: number[] = [200, 201, 202, 204]): Promise<Answer<T>> {
  const a = await call<T>(c);
  if (!ok.includes(a.status)) {
    throw new Error(`${c.method ?? 'GET'} ${c.url} answered HTTP ${a.status} (expected ${ok.join('/')}): ${a.text.slice(0, 400)}`);
  }
  return a;
}

/** Runs `fn` over items with at most `n` in flight, in order of start. */
export async function pool<T>(items: readonly T[], n: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  });
  await Promise.all(lanes);
}
