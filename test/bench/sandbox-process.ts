// Child process of the benchmark: the three sandbox services on ephemeral loopback ports. Differences
// from `npm run sandbox`, each needed to measure the bridge rather than the sandbox's rules:
// - Dataverse starts without accounts, so the initial sync creates every row (the demo seed links 90%).
// - Service protection is lifted explicitly: requests and execution time per 5 minutes (the real 6,000
//   requests / 5 min per user would cap any run at 20/s); the 52-concurrent limit stays on both services.
// Prints one line `BENCH_SANDBOX_READY {json}` with its URLs when it listens; stops on SIGTERM.
import { startIssuer } from '../../sandbox/src/identity/issuer';
import { createVerifier } from '../../sandbox/src/identity/verify';
import { generateFnoData } from '../../sandbox/src/demo-data';
import { createFnoServer } from '../../sandbox/src/fno';
import { dataverseSeedFrom, startDataverse } from '../../sandbox/src/dataverse';
import { LIFTED_LIMITS } from '../../sandbox/src/http/service-protection';
import { freePort } from '../support/ports';
import { SANDBOX_READY, type SandboxUrls } from './protocol';
import { startSpanRecorder } from './request-spans';

async function main(): Promise<void> {
  const t0 = performance.now();
  const host = '127.0.0.1';
  const customers = Number(process.env.BENCH_CUSTOMERS ?? 1000);
  const issuer = await startIssuer({ port: 0, host });
  const verify = createVerifier(issuer.issuer);
  const data = generateFnoData({ seed: 7, customers });
  const fnoPort = await freePort();
  const unlimited = { maxRequests: LIFTED_LIMITS.maxRequests, maxExecutionSeconds: LIFTED_LIMITS.maxExecutionSeconds, windowSeconds: 300 };
  const fno = await createFnoServer({ data, verify, audience: `http://${host}:${fnoPort}`, port: fnoPort, host, limits: { ...unlimited } });
  const dataverse = await startDataverse({
    port: 0, host, verify, serviceProtection: unlimited,
    seed: () => {
      const seed = dataverseSeedFrom(data);
      delete seed.account;
      return seed;
    },
  });
  const spans = await startSpanRecorder(host);
  const organisations = (data.CustomersV3 ?? []).filter((c) => c.PartyType === 'Organization').length;
  const urls: SandboxUrls = {
    fno: fno.url.replace(/\/$/, ''), dataverse: dataverse.url, issuer: issuer.issuer, tokenEndpoint: issuer.tokenEndpoint,
    customers, organisations, startMs: Math.round(performance.now() - t0), spans: spans.url,
  };
  console.log(`${SANDBOX_READY} ${JSON.stringify(urls)}`);
  const stop = () => {
    Promise.all([fno.close(), dataverse.close(), issuer.close(), spans.close()]).then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((e: unknown) => {
  console.error(`The benchmark sandbox could not start: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
});
