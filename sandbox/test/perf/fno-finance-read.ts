// Measures the F&O sandbox's answer to the finance read path's queries (open orders and invoices of one
// customer, as bridge-service/src/finance/service.ts asks them) at a given number of customers. Not a test:
// it prints figures. The time per query should not grow with the customer count.
//   npx tsx sandbox/test/perf/fno-finance-read.ts [customers ...]   e.g. 10000 100000
import { performance } from 'node:perf_hooks';
import { startIssuer } from '../../src/identity/issuer';
import { createVerifier } from '../../src/identity/verify';
import { generateFnoData } from '../../src/demo-data';
import { createFnoServer } from '../../src/fno';

const sizes = process.argv.slice(2).map(Number);
if (!sizes.length || sizes.some((n) => !Number.isInteger(n) || n <= 0)) {
  console.error('Usage: npx tsx sandbox/test/perf/fno-finance-read.ts <customers> [<customers> ...]');
  process.exit(2);
}

async function measure(customers: number): Promise<void> {
  const data = generateFnoData({ seed: 7, customers });
  const issuer = await startIssuer({ port: 0 });
  const fno = await createFnoServer({ data, verify: createVerifier(issuer.issuer), audience: 'http://127.0.0.1', port: 0, limits: { maxRequests: 1e9 } });
  try {
    const auth = `Bearer ${await issuer.issue('bridge', 'http://127.0.0.1')}`;
    const picks = data.CustomersV3.filter((_, i) => i % Math.max(1, Math.floor(data.CustomersV3.length / 100)) === 0).slice(0, 100);
    const q = (set: string, filter: string, orderby: string) =>
      `${fno.url.replace(/\/$/, '')}/data/${set}?${new URLSearchParams({ $filter: filter, $orderby: orderby, $top: '5', 'cross-company': 'true' }).toString().replace(/\+/g, '%20')}`;
    const onePass = async (): Promise<number> => {
      let found = 0;
      for (const c of picks) {
        const co = `dataAreaId eq '${String(c.dataAreaId)}'`;
        const acct = String(c.CustomerAccount);
        for (const url of [
          q('SalesOrderHeadersV2', `${co} and OrderingCustomerAccountNumber eq '${acct}' and SalesOrderStatus eq Microsoft.Dynamics.DataEntities.SalesStatus'Backorder'`, 'OrderCreationDateTime desc'),
          q('SalesInvoiceHeadersV2', `${co} and InvoiceCustomerAccountNumber eq '${acct}'`, 'InvoiceDate desc'),
        ]) {
          const res = await fetch(url, { headers: { authorization: auth } });
          const body = await res.json() as { value?: unknown[] };
          if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
          found += body.value?.length ?? 0;
        }
      }
      return found;
    };
    // The first pass builds the equality indexes (once per column); the second is the steady state.
    const t0 = performance.now();
    await onePass();
    const t1 = performance.now();
    const found = await onePass();
    const firstPass = t1 - t0;
    const ms = (performance.now() - t1) / (picks.length * 2);
    console.log(`customers=${customers} (orders ${data.SalesOrderHeadersV2?.length ?? 0}, invoices ${data.SalesInvoiceHeadersV2?.length ?? 0}): `
      + `${ms.toFixed(2)} ms per order/invoice query (${picks.length * 2} queries, ${found} rows; first pass ${firstPass.toFixed(0)} ms)`);
  } finally {
    await fno.close();
    await issuer.close();
  }
}

for (const n of sizes) await measure(n);
