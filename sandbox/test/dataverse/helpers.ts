/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment -- response bodies are parsed JSON of many shapes; the tests assert on them */
// Shared set-up for the Dataverse tests: a real issuer and a real Dataverse server on ephemeral ports.
import { startIssuer, type IssuerServer, type PrincipalName } from '../../src/identity/issuer';
import { createVerifier } from '../../src/identity/verify';
import { generateFnoData } from '../../src/demo-data';
import { dataverseSeedFrom, startDataverse, type DataverseServer, type DataverseServerOptions } from '../../src/dataverse';

export interface DvHarness {
  issuer: IssuerServer;
  dv: DataverseServer;
  call(principal: PrincipalName | null, method: string, path: string, opts?: { body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: any }>;
  close(): Promise<void>;
}

export async function startDv(extra: Partial<DataverseServerOptions> = {}): Promise<DvHarness> {
  const issuer = await startIssuer({ port: 0 });
  const data = generateFnoData({ seed: 7, customers: 30 });
  const dv = await startDataverse({ port: 0, verify: createVerifier(issuer.issuer), seed: () => dataverseSeedFrom(data), webhookRetryDelaysMs: [30, 60], ...extra });
  const tokens = new Map<string, string>();
  return {
    issuer, dv,
    async call(principal, method, path, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (principal) {
        if (!tokens.has(principal)) tokens.set(principal, await issuer.issue(principal, dv.url));
        headers.authorization = `Bearer ${tokens.get(principal)!}`;
      }
      if (opts.body !== undefined) headers['content-type'] ??= 'application/json';
      const url = path.startsWith('http') ? path : `${dv.apiUrl}/${path}`;
      const res = await fetch(url, { method, headers, body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
    },
    async close() {
      await dv.close();
      await issuer.close();
    },
  };
}
