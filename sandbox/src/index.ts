// Starts the three sandbox services (Entra-like issuer, F&O OData, Dataverse Web API) for the demo and tests.
import { createServer } from 'node:net';
import { startIssuer, type IssuerServer, type PrincipalName } from './identity/issuer';
import { createVerifier } from './identity/verify';
import type { TokenVersion } from './identity/claims';
import { generateFnoData, type FnoDataset } from './demo-data';
import { createFnoServer, type FnoServer } from './fno';
import { dataverseSeedFrom, startDataverse, type DataverseServer } from './dataverse';
import { LIFTED_LIMITS, type Limits } from './http/service-protection';

export { createVerifier, type SandboxPrincipal, type VerifyBearer, BearerError } from './identity/verify';
export * from './identity/principals';
export { startIssuer, type IssuerServer, type PrincipalName } from './identity/issuer';
export { startManagedIdentityEndpoint, type ManagedIdentityEndpoint, type ManagedIdentityOptions } from './identity/managed-identity';
export { createTestCertificate, type TestCertificate, type CertificateOptions } from './identity/certificate';
export { BRIDGE_APP_OID } from './identity/claims';
export * from './dataverse';
export { generateFnoData, DEMO_ANCHORS, type FnoDataset } from './demo-data';
export { createFnoServer } from './fno';
export { DEFAULT_LIMITS, LIFTED_LIMITS, type Limits } from './http/service-protection';
export { sandboxAddresses } from './config';
export { sandboxEnv, sandboxUrlsFor, type SandboxUrls } from './launch/bridge-env';
export { default as previewRoutes, ADMIN_SIGN_IN_SCRIPT, type PreviewOptions } from './launch/preview-routes';

export type SandboxResource = 'fno' | 'dataverse' | 'bridge';

export interface SandboxOptions {
  ports?: Partial<{ fno: number; dataverse: number; identity: number }>;
  host?: string;
  customers?: number;
  seed?: number;
  /** No log lines (tests); otherwise failed event deliveries are logged to `log` or stderr. */
  quiet?: boolean;
  log?: (line: string) => void;
  /** Written into the fob_BridgeUrl environment variable. */
  bridgeUrl?: string;
  /** Short webhook/event retry delays for tests. */
  fastRetries?: boolean;
  /** Dataverse service protection per caller (default: the platform's 6,000 requests and 1,200 s per 300 s, 52 concurrent). */
  dataverseProtection?: Partial<Limits>;
  /** F&O service protection per caller (default: the same real limits). */
  fnoProtection?: Partial<Limits>;
  /**
   * Whether Microsoft's dual-write core solutions are installed in the Dataverse (default true): without them the
   * tables they bring (cdm_company, the msdyn_ tables) do not exist, as on an environment not prepared for the bridge.
   */
  dualWriteCore?: boolean;
  /** The device code flow's polling interval in seconds (default Entra's 5; tests poll every second). */
  deviceCodeIntervalSeconds?: number;
}

/**
 * Request and execution-time budgets lifted, the 52 concurrent requests kept: for trials that measure something
 * else than throttling (crash safety, volume) and say so. The real limits are the default and are tested as such.
 */
export const LIFTED_BUDGETS: Partial<Limits> = { maxRequests: LIFTED_LIMITS.maxRequests, maxExecutionSeconds: LIFTED_LIMITS.maxExecutionSeconds };

export interface Sandbox {
  urls: { fno: string; dataverse: string; dataverseApi: string; issuer: string; tokenEndpoint: string; jwks: string };
  data: FnoDataset;
  issuer: IssuerServer;
  fno: FnoServer;
  dataverse: DataverseServer;
  /** A bearer token (without "Bearer ") for a principal and resource, minted by the running issuer. */
  getToken(principal: PrincipalName, resource?: SandboxResource, version?: TokenVersion): Promise<string>;
  close(): Promise<void>;
}

/** F&O needs its audience before it listens, so a port 0 is turned into a free port first. */
async function freePort(host: string, wanted: number | undefined): Promise<number> {
  if (wanted) return wanted;
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const host = opts.host ?? '127.0.0.1';
  const issuer = await startIssuer({ port: opts.ports?.identity ?? 0, host, deviceCodeIntervalSeconds: opts.deviceCodeIntervalSeconds });
  const verify = createVerifier(issuer.issuer);
  const data = generateFnoData({ seed: opts.seed, customers: opts.customers });
  let fno: FnoServer | undefined;
  let dataverse: DataverseServer | undefined;
  try {
    const fnoPort = await freePort(host, opts.ports?.fno);
    fno = await createFnoServer({ data, verify, audience: `http://${host}:${fnoPort}`, port: fnoPort, host, eventBackoffMs: opts.fastRetries ? 50 : undefined, limits: opts.fnoProtection,
      log: opts.quiet ? () => undefined : opts.log });
    dataverse = await startDataverse({
      port: opts.ports?.dataverse ?? 0, host, verify, seed: () => dataverseSeedFrom(data, { bridgeUrl: opts.bridgeUrl, dualWriteCore: opts.dualWriteCore }),
      webhookRetryDelaysMs: opts.fastRetries ? [50, 100] : undefined, serviceProtection: opts.dataverseProtection,
    });
  } catch (e) {
    await Promise.all([issuer.close(), fno?.close()]);
    throw e;
  }
  const urls = {
    fno: fno.url.replace(/\/$/, ''), dataverse: dataverse.url, dataverseApi: dataverse.apiUrl,
    issuer: issuer.issuer, tokenEndpoint: issuer.tokenEndpoint, jwks: issuer.jwksUri,
  };
  const f = fno;
  const d = dataverse;
  return {
    urls, data, issuer, fno: f, dataverse: d,
    getToken: (principal, resource, version) => {
      const r = resource ?? (principal === 'bridge' ? 'fno' : 'bridge');
      return issuer.issue(principal, r === 'fno' ? urls.fno : r === 'dataverse' ? urls.dataverse : 'api://finops-bridge', version);
    },
    close: async () => {
      await Promise.all([f.close(), d.close(), issuer.close()]);
    },
  };
}
