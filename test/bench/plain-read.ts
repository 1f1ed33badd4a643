// Load-process job (issue 20): a plain read of pages straight from the sandbox, one page after the other per side,
// each body parsed as JSON: the baseline of the reconciliation sweep. The pages are the very requests the bridge's
// sweep sent (URL with its keyset/skip token and Prefer page size, as the sandbox recorded them), so the same rows
// in the same page size are read, without the bridge's work on them (link lookups, snapshot comparison, queueing).
import { Agent, request } from 'undici';

export interface PagesJob {
  kind: 'pages';
  sides: { name: string; origin: string; token: string; requests: { url: string; prefer?: string }[] }[];
}

export interface PagesResult { sides: { name: string; ms: number; requests: number; rows: number; non2xx: number }[] }

export async function runPlainRead(job: PagesJob): Promise<PagesResult> {
  const agent = new Agent({ connections: 4, keepAliveTimeout: 4_000, keepAliveMaxTimeout: 4_000 });
  const out: PagesResult = { sides: [] };
  for (const side of job.sides) {
    let rows = 0;
    let non2xx = 0;
    const t0 = performance.now();
    for (const r of side.requests) {
      const res = await request(`${side.origin}${r.url}`, {
        headers: { authorization: `Bearer ${side.token}`, accept: 'application/json', ...(r.prefer ? { prefer: r.prefer } : {}) }, dispatcher: agent,
      });
      const text = await res.body.text();
      if (res.statusCode >= 300) { non2xx++; continue; }
      rows += ((JSON.parse(text) as { value?: unknown[] }).value ?? []).length;
    }
    out.sides.push({ name: side.name, ms: Math.round((performance.now() - t0) * 10) / 10, requests: side.requests.length, rows, non2xx });
  }
  await agent.close();
  return out;
}
