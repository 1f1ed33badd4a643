// The sandbox's own ceiling for the initial sync: the same organisation customers read from F&O in the
// same pages (keyset by CustomerAccount per company, 5,000 a page) and written straight to Dataverse in
// the same $batch shape as the bridge's initial sync (1,000 upserts a batch, 4 batches in flight), then
// the InvoiceAccount self references in a second pass, as the bridge does. No bridge in the path.
import { randomUUID } from 'node:crypto';
import { writeBatch, type BatchOperation } from '../../bridge-service/src/clients/odata/batch';
import { accountBody } from './account-body';
import { expectStatus, pool } from './http';

export interface CeilingOptions {
  fnoUrl: string;
  dataverseUrl: string;
  fnoToken: string;
  dvToken: string;
  pageSize?: number;
  batchSize?: number;
  parallel?: number;
}

export interface CeilingResult {
  records: number;
  ms: number;
  readMs: number;
  failures: number;
  /** accountid by "company|accountnumber" (lower case). */
  ids: Map<string, string>;
}

type Row = Record<string, unknown>;
const COMPANIES = ['nlmf', 'semf', 'usmf'];

async function readPage(o: CeilingOptions, company: string, after: string | null, size: number): Promise<Row[]> {
  const filter = [`PartyType eq 'Organization'`, `dataAreaId eq '${company}'`];
  if (after !== null) filter.push(`CustomerAccount gt '${after.replace(/'/g, "''")}'`);
  const q = new URLSearchParams({ $filter: filter.join(' and '), $orderby: 'CustomerAccount', $top: String(size), 'cross-company': 'true' });
  const a = await expectStatus<{ value: Row[] }>({ url: `${o.fnoUrl}/data/CustomersV3?${q.toString().replace(/\+/g, '%20')}`, token: o.fnoToken, headers: { prefer: `odata.maxpagesize=${size}` } });
  return a.body.value;
}

/** Sends one $batch and returns how many parts failed (every part is read: the batch itself answers 200). */
export async function sendBatch(dataverseUrl: string, token: string, ops: BatchOperation[]): Promise<number> {
  const { body, contentType } = writeBatch(ops);
  const a = await expectStatus({ method: 'POST', url: `${dataverseUrl}/api/data/v9.2/$batch`, token, body, headers: { 'content-type': contentType } });
  return (a.text.match(/^HTTP\/1\.1 [45]\d\d/gm) ?? []).length;
}

export async function runCeiling(o: CeilingOptions): Promise<CeilingResult> {
  const size = o.pageSize ?? 5000;
  const batchSize = o.batchSize ?? 1000;
  const parallel = o.parallel ?? 4;
  const api = `${o.dataverseUrl}/api/data/v9.2`;
  const ids = new Map<string, string>();
  const selfRefs: { id: string; invoice: string }[] = [];
  let records = 0;
  let failures = 0;
  let readMs = 0;
  const t0 = performance.now();
  for (const company of COMPANIES) {
    let after: string | null = null;
    for (;;) {
      const r0 = performance.now();
      const rows = await readPage(o, company, after, size);
      readMs += performance.now() - r0;
      if (!rows.length) break;
      const ops: BatchOperation[] = rows.map((c) => {
        const id = randomUUID();
        ids.set(`${company}|${String(c.CustomerAccount).toLowerCase()}`, id);
        if (typeof c.InvoiceAccount === 'string' && c.InvoiceAccount) selfRefs.push({ id, invoice: `${company}|${c.InvoiceAccount.toLowerCase()}` });
        return { method: 'PATCH', url: `${api}/accounts(${id})`, headers: { 'If-None-Match': '*' }, body: accountBody(c) };
      });
      const chunks: BatchOperation[][] = [];
      for (let i = 0; i < ops.length; i += batchSize) chunks.push(ops.slice(i, i + batchSize));
      await pool(chunks, parallel, async (chunk) => { failures += await sendBatch(o.dataverseUrl, o.dvToken, chunk); });
      records += rows.length;
      if (rows.length < size) break;
      after = String(rows[rows.length - 1].CustomerAccount);
    }
  }
  const pass2: BatchOperation[] = selfRefs.flatMap((s) => {
    const target = ids.get(s.invoice);
    return target ? [{ method: 'PATCH' as const, url: `${api}/accounts(${s.id})`, headers: { 'If-Match': '*' }, body: { 'msdyn_billingaccount@odata.bind': `/accounts(${target})` } }] : [];
  });
  const chunks: BatchOperation[][] = [];
  for (let i = 0; i < pass2.length; i += batchSize) chunks.push(pass2.slice(i, i + batchSize));
  await pool(chunks, parallel, async (chunk) => { failures += await sendBatch(o.dataverseUrl, o.dvToken, chunk); });
  return { records, ms: performance.now() - t0, readMs, failures, ids };
}
