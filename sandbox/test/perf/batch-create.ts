// Measures what it costs the Dataverse sandbox to take n new accounts through the real HTTP $batch path
// (multipart changesets of POST accounts, as the bridge writes them), then keyed reads at that size. Not a
// test: it prints figures. Per-row cost should not grow with n.
//   npx tsx sandbox/test/perf/batch-create.ts [n ...] [--batch 100]
//   e.g. npx tsx sandbox/test/perf/batch-create.ts 10000 50000 100000
import { performance } from 'node:perf_hooks';
import { startIssuer } from '../../src/identity/issuer';
import { createVerifier } from '../../src/identity/verify';
import { generateFnoData } from '../../src/demo-data';
import { companyId, dataverseSeedFrom, startDataverse } from '../../src/dataverse';

const args = process.argv.slice(2);
const batchAt = args.indexOf('--batch');
const perBatch = batchAt >= 0 ? Number(args[batchAt + 1]) : 100;
const sizes = args.filter((_, i) => batchAt < 0 || (i !== batchAt && i !== batchAt + 1)).map(Number);
if (!sizes.length || sizes.some((n) => !Number.isInteger(n) || n <= 0) || !(perBatch > 0)) {
  console.error('Usage: npx tsx sandbox/test/perf/batch-create.ts <rows> [<rows> ...] [--batch <requests per changeset>]');
  process.exit(2);
}
const COMPANIES = ['usmf', 'nlmf', 'semf'].map(companyId);

function batchBody(apiUrl: string, from: number, count: number): string {
  const cs = `changeset_${from}`;
  const parts: string[] = [];
  for (let i = from; i < from + count; i++) {
    const body = { name: `Perf ${i}`, accountnumber: `PERF-${String(i).padStart(7, '0')}`, 'msdyn_company@odata.bind': `/cdm_companies(${COMPANIES[i % 3]})` };
    parts.push(`--${cs}`, 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', `Content-ID: ${i - from + 1}`, '',
      `POST ${apiUrl}/accounts HTTP/1.1`, 'Content-Type: application/json', '', JSON.stringify(body));
  }
  return ['--batch_perf', `Content-Type: multipart/mixed; boundary=${cs}`, '', ...parts, `--${cs}--`, '--batch_perf--', ''].join('\r\n');
}

async function measure(n: number, print = true): Promise<void> {
  const issuer = await startIssuer({ port: 0 });
  const data = generateFnoData({ seed: 7, customers: 30 });
  const dv = await startDataverse({ port: 0, verify: createVerifier(issuer.issuer), seed: () => dataverseSeedFrom(data), serviceProtection: { maxRequests: 1e9, windowSeconds: 300 } });
  try {
    const headers = { authorization: `Bearer ${await issuer.issue('bridge', dv.url)}`, 'content-type': 'multipart/mixed; boundary=batch_perf' };
    const tenth = Math.max(perBatch, Math.floor(n / 10 / perBatch) * perBatch);
    const slices: number[] = [];
    let sliceStart = performance.now();
    const start = sliceStart;
    for (let from = 0; from < n; from += perBatch) {
      const res = await fetch(`${dv.apiUrl}/$batch`, { method: 'POST', headers, body: batchBody(dv.apiUrl, from, Math.min(perBatch, n - from)) });
      const text = await res.text();
      if (res.status !== 200 || /HTTP\/1\.1 [45]\d\d/.test(text)) throw new Error(`batch at row ${from} failed: ${res.status} ${text.slice(0, 400)}`);
      if ((from + perBatch) % tenth === 0 || from + perBatch >= n) { const now = performance.now(); slices.push(now - sliceStart); sliceStart = now; }
    }
    const total = performance.now() - start;
    const rows = dv.store.all('account').filter((r) => String(r.accountnumber).startsWith('PERF-')).length;
    if (rows !== n) throw new Error(`expected ${n} PERF- accounts, the store holds ${rows}`);
    const reads = 1000;
    const readStart = performance.now();
    for (let k = 0; k < reads; k++) {
      const i = Math.floor((k * n) / reads);
      const num = `PERF-${String(i).padStart(7, '0')}`;
      const url = k % 2 ? `${dv.apiUrl}/accounts(accountnumber='${num}',_msdyn_company_value=${COMPANIES[i % 3]})?$select=name`
        : `${dv.apiUrl}/accounts?$select=name&$filter=accountnumber eq '${num}'`;
      const res = await fetch(url, { headers: { authorization: headers.authorization } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`read ${url} answered ${res.status}`);
    }
    const readMs = (performance.now() - readStart) / reads;
    const us = (ms: number, count: number) => ((ms * 1000) / count).toFixed(0);
    const first = slices[0];
    const last = slices[slices.length - 1];
    if (print) console.log(`n=${n} (${perBatch}/changeset): ${(total / 1000).toFixed(1)} s, ${Math.round(n / (total / 1000))} rows/s, ${us(total, n)} us/row;`
      + ` first tenth ${us(first, tenth)} us/row, last tenth ${us(last, n - tenth * (slices.length - 1))} us/row;`
      + ` keyed read / $filter eq at this size ${readMs.toFixed(2)} ms each; heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB`);
  } finally {
    await dv.close();
    await issuer.close();
  }
}

await measure(2000, false); // warms up the JIT so the first size printed is not charged for it
for (const n of sizes) await measure(n);
