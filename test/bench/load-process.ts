// Child process of the benchmark: the load generator, apart from the bridge and from the harness that
// times live sync. One job per run, a JSON file named by BENCH_LOAD_JOB_FILE; prints `BENCH_LOAD_RESULT {json}`.
//   autocannon: the finance summary through the bridge, rotating over account paths.
//   direct:     the same summary's requests straight to the sandbox (closed loop, same connections).
//   paced:      either of the two at a fixed rate (open loop), with one client for both.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { Agent, request } from 'undici';
import { summarize } from './stats';
import { LOAD_RESULT, type LoadJob, type LoadResult } from './protocol';
import { runPlainRead, type PagesJob } from './plain-read';

async function runAutocannon(job: Extract<LoadJob, { kind: 'autocannon' }>): Promise<LoadResult> {
  let i = 0;
  const r = await autocannon({
    url: job.url, connections: job.connections, duration: job.seconds, headers: job.headers,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: job.paths[i++ % job.paths.length] }) }],
  });
  return {
    requests: r.requests.total ?? r.requests.sent, rps: Math.round(r.requests.average), errors: r.errors + r.timeouts, non2xx: r.non2xx,
    latencyMs: { mean: r.latency.mean, p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
  };
}

async function runDirect(job: Extract<LoadJob, { kind: 'direct' }>): Promise<LoadResult> {
  const agent = new Agent({ connections: job.connections * 5, keepAliveTimeout: 4_000, keepAliveMaxTimeout: 4_000 });
  const get = async (url: string, token: string) => {
    const res = await request(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, dispatcher: agent });
    await res.body.text();
    return res.statusCode;
  };
  const samples: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let next = 0;
  const until = performance.now() + job.seconds * 1000;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: job.connections }, async () => {
    while (performance.now() < until) {
      const plan = job.plans[next++ % job.plans.length];
      const s = performance.now();
      try {
        const a = await get(`${job.dataverseUrl}/api/data/v9.2${plan.access}`, job.dvToken);
        const f = await Promise.all(plan.fno.map((p) => get(`${job.fnoUrl}/data${p}`, job.fnoToken)));
        if ([a, ...f].some((st) => st >= 300)) non2xx++;
        samples.push(performance.now() - s);
      } catch {
        errors++;
      }
    }
  }));
  const ms = performance.now() - t0;
  await agent.close();
  const s = summarize(samples);
  return { requests: samples.length, rps: Math.round((samples.length * 1000) / ms), errors, non2xx, latencyMs: { mean: s.mean, p50: s.p50, p95: s.p95, p99: s.p99, max: s.max } };
}

async function runPaced(job: Extract<LoadJob, { kind: 'paced' }>): Promise<LoadResult> {
  const agent = new Agent({ connections: 64, keepAliveTimeout: 4_000, keepAliveMaxTimeout: 4_000 });
  const get = async (url: string, headers: Record<string, string>) => {
    const res = await request(url, { headers: { accept: 'application/json', ...headers }, dispatcher: agent });
    await res.body.text();
    return res.statusCode;
  };
  const one = async (i: number): Promise<number[]> => {
    if (job.bridge) return [await get(`${job.bridge.url}${job.bridge.paths[i % job.bridge.paths.length]}`, job.bridge.headers)];
    const d = job.direct!;
    const plan = d.plans[i % d.plans.length];
    const a = await get(`${d.dataverseUrl}/api/data/v9.2${plan.access}`, { authorization: `Bearer ${d.dvToken}` });
    return [a, ...(await Promise.all(plan.fno.map((p) => get(`${d.fnoUrl}/data${p}`, { authorization: `Bearer ${d.fnoToken}` }))))];
  };
  const samples: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const n = Math.round(job.rate * job.seconds);
  const t0 = performance.now();
  const running: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const wait = t0 + (i * 1000) / job.rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const s = performance.now();
    running.push(one(i).then((st) => { if (st.some((x) => x >= 300)) non2xx++; samples.push(performance.now() - s); }, () => { errors++; }));
  }
  await Promise.all(running);
  const ms = performance.now() - t0;
  await agent.close();
  const s = summarize(samples);
  return { requests: samples.length, rps: Math.round((samples.length * 1000) / ms), errors, non2xx, latencyMs: { mean: s.mean, p50: s.p50, p95: s.p95, p99: s.p99, max: s.max } };
}

async function main(): Promise<void> {
  const file = process.env.BENCH_LOAD_JOB_FILE;
  if (!file) throw new Error('BENCH_LOAD_JOB_FILE is not set: the harness passes the job as a JSON file');
  const job = JSON.parse(readFileSync(file, 'utf8')) as LoadJob | PagesJob;
  const result = job.kind === 'pages' ? await runPlainRead(job) : job.kind === 'autocannon' ? await runAutocannon(job) : job.kind === 'direct' ? await runDirect(job) : await runPaced(job);
  console.log(`${LOAD_RESULT} ${JSON.stringify(result)}`);
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(`The load generator failed: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
});
