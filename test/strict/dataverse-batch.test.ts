// Issue 14: Dataverse $batch semantics as Microsoft documents them (execute-batch-operations-using-web-api,
// "Handling errors"): without Prefer: odata.continue-on-error the batch stops at the first failing request
// and answers 400; with it, every request is tried and the batch answers 200.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '@finops-bridge/sandbox';

let sb: Sandbox;
beforeAll(async () => { sb = await startSandbox({ quiet: true, customers: 10, seed: 5 }); }, 60_000);
afterAll(async () => { await sb?.close(); });

function batchBody(boundary: string, names: string[]): string {
  return names.map((name) => [`--${boundary}`, 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', '',
    'POST /api/data/v9.2/accounts HTTP/1.1', 'Content-Type: application/json; type=entry', '', JSON.stringify({ name }), ''].join('\r\n'))
    .join('') + `--${boundary}--\r\n`;
}
async function send(names: string[], prefer?: string) {
  const boundary = `batch_${Math.random().toString(16).slice(2)}`;
  const res = await fetch(`${sb.urls.dataverseApi}/$batch`, {
    method: 'POST', body: batchBody(boundary, names),
    headers: { authorization: `Bearer ${await sb.getToken('bridge', 'dataverse')}`, 'content-type': `multipart/mixed; boundary=${boundary}`, ...(prefer ? { prefer } : {}) },
  });
  const text = await res.text();
  return { status: res.status, applied: res.headers.get('preference-applied'), statuses: [...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1])), text };
}
const count = async (name: string) => {
  const res = await fetch(`${sb.urls.dataverseApi}/accounts?$select=name&$filter=${encodeURIComponent(`name eq '${name}'`)}`, { headers: { authorization: `Bearer ${await sb.getToken('bridge', 'dataverse')}` } });
  return ((await res.json()) as { value: unknown[] }).value.length;
};

describe('Dataverse $batch error handling', () => {
  it('without continue-on-error: stops at the first failure and answers 400 with the responses so far', async () => {
    const r = await send(['Batch A1', 'x'.repeat(161), 'Batch A3']);
    expect(r.status).toBe(400);
    expect(r.statuses).toEqual([204, 400]);
    expect(r.text).toContain("The length of the 'name' attribute of the 'account' entity exceeded the maximum allowed length of '160'.");
    expect(await count('Batch A1')).toBe(1);
    expect(await count('Batch A3')).toBe(0);
  });

  it('with Prefer: odata.continue-on-error: tries every request and answers 200', async () => {
    const r = await send(['x'.repeat(161), 'Batch B2', 'Batch B3'], 'odata.continue-on-error');
    expect(r.status).toBe(200);
    expect(r.applied).toBe('odata.continue-on-error');
    expect(r.statuses).toEqual([400, 204, 204]);
    expect(await count('Batch B2')).toBe(1);
    expect(await count('Batch B3')).toBe(1);
  });
});
