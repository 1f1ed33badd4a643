// The live ceiling: the same per-edit work the bridge does for a live F&O -> Dataverse edit (read the source
// row, write the target), done directly by the benchmark process with no bridge in the path. Closed loop:
// `concurrency` lanes, each taking the next edited customer in turn, for `seconds`:
//   GET  /data/CustomersV3(dataAreaId='<co>',CustomerAccount='<acct>')?cross-company=true   (F&O, bridge token)
//   PATCH /api/data/v9.2/accounts(<id>)  If-Match: *  with the mapped account body (account-body.ts)  (Dataverse, bridge token)
// and for Dataverse -> F&O (direction 'dataverse_to_fno'):
//   GET  /api/data/v9.2/accounts(<id>)?$select=<the map's plain '=' columns>                (Dataverse, bridge token)
//   PATCH /data/CustomersV3(...)?cross-company=true  If-Match: *  with those columns mapped back       (F&O, bridge token)
// (the map's lookups, currency, customer group and payment term, are not written back: the bridge resolves them
// through its lookup cache, with no request when cached).
// Edits/s = completed read+write pairs / elapsed. Latency per pair is recorded too.
import { accountBody } from './account-body';
import { call } from './http';
import type { EditTarget } from './live-sync';
import { perSecond, summarize, type LatencySummary } from './stats';

/** The customers-accounts map's plain '=' columns, F&O name -> Dataverse name. */
const BACK: [string, string][] = [
  ['OrganizationName', 'name'], ['PrimaryContactEmail', 'emailaddress1'], ['PrimaryContactPhone', 'telephone1'], ['PrimaryContactURL', 'websiteurl'],
  ...(['address1', 'address2'] as const).flatMap((p) => {
    const f = p === 'address1' ? 'DeliveryAddress' : 'InvoiceAddress';
    return [[`${f}Street`, `${p}_line1`], [`${f}City`, `${p}_city`], [`${f}ZipCode`, `${p}_postalcode`], [`${f}CountryRegionISOCode`, `${p}_country`]] as [string, string][];
  }),
];

/** Pure: the F&O body of a Dataverse account's plain mapped columns (absent and null values left out). */
export function customerBody(a: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(BACK.filter(([, dv]) => a[dv] !== undefined && a[dv] !== null).map(([fno, dv]) => [fno, a[dv]]));
}

export interface LiveCeilingOptions {
  direction?: 'fno_to_dataverse' | 'dataverse_to_fno';
  fnoUrl: string;
  dataverseUrl: string;
  fnoToken: string;
  dvToken: string;
  targets: EditTarget[];
  /** Lanes in flight; each lane has at most one request outstanding, so at most this many per service. */
  concurrency: number;
  seconds: number;
}

export interface LiveCeilingResult {
  direction: 'fno_to_dataverse' | 'dataverse_to_fno';
  concurrency: number;
  seconds: number;
  edits: number;
  failures: number;
  perSec: number;
  pairMs: LatencySummary;
  readMs: LatencySummary;
  writeMs: LatencySummary;
}

const q = (s: string) => s.replace(/'/g, "''");

export async function runLiveCeiling(o: LiveCeilingOptions): Promise<LiveCeilingResult> {
  if (!o.targets.length) throw new Error('live ceiling: no targets');
  const pair: number[] = [];
  const reads: number[] = [];
  const writes: number[] = [];
  let next = 0;
  let done = 0;
  let failures = 0;
  const t0 = performance.now();
  const until = t0 + o.seconds * 1000;
  const direction = o.direction ?? 'fno_to_dataverse';
  const fail = (what: string) => { failures++; if (failures <= 3) console.error(`  live ceiling: ${what}`); };
  const lane = async () => {
    while (performance.now() < until) {
      const t = o.targets[next++ % o.targets.length];
      const s = performance.now();
      try {
        const key = `CustomersV3(dataAreaId='${encodeURIComponent(q(t.company))}',CustomerAccount='${encodeURIComponent(q(t.customerAccount))}')`;
        const account = `${o.dataverseUrl}/api/data/v9.2/accounts(${t.accountId})`;
        const back = direction === 'dataverse_to_fno';
        const r = back
          ? await call<Record<string, unknown>>({ url: `${account}?$select=${BACK.map(([, dv]) => dv).join(',')}`, token: o.dvToken })
          : await call<Record<string, unknown>>({ url: `${o.fnoUrl}/data/${key}?cross-company=true`, token: o.fnoToken });
        const r1 = performance.now();
        reads.push(r1 - s);
        if (r.status !== 200) { fail(`GET ${back ? account : key}: HTTP ${r.status} ${r.text.slice(0, 200)}`); continue; }
        const w = back
          ? await call({ method: 'PATCH', url: `${o.fnoUrl}/data/${key}?cross-company=true`, token: o.fnoToken, headers: { 'If-Match': '*' }, body: customerBody(r.body) })
          : await call({ method: 'PATCH', url: account, token: o.dvToken, headers: { 'If-Match': '*' }, body: accountBody(r.body) });
        const w1 = performance.now();
        writes.push(w1 - r1);
        if (w.status >= 300) { fail(`PATCH account ${t.accountId}: HTTP ${w.status} ${w.text.slice(0, 200)}`); continue; }
        pair.push(w1 - s);
        done++;
      } catch (e) {
        fail(String(e));
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, lane));
  const ms = performance.now() - t0;
  return {
    direction, concurrency: o.concurrency, seconds: Math.round(ms / 100) / 10, edits: done, failures,
    perSec: perSecond(done, ms), pairMs: summarize(pair), readMs: summarize(reads), writeMs: summarize(writes),
  };
}
