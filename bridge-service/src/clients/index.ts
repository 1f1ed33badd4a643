// Outbound clients, built from the configuration. Exported for the sync engine.
import type { BridgeConfig } from '../config';
import { createHttpService, type HttpService, type HttpServiceOptions } from './http';
import { createTokenProvider, type TokenProvider } from './token-provider';
import { FnoClient } from './fno-client';
import { DataverseClient } from './dataverse-client';
import type { Dispatcher } from 'undici';

export interface Clients {
  /** For the sync and other background work. */
  fno: FnoClient;
  dataverse: DataverseClient;
  /** The same services for what a user waits for (the finance panel's reads and edits, its access checks). */
  interactive?: { fno: FnoClient; dataverse: DataverseClient };
  tokens: TokenProvider;
  close(): Promise<void>;
}

export function createClients(
  config: BridgeConfig,
  opts: { dispatcher?: Dispatcher; onAttempt?: HttpServiceOptions['onAttempt'] } = {},
): Clients {
  const tokens = createTokenProvider({ credential: config.outbound.credential, dispatcher: opts.dispatcher });
  const resourceOf = (u: string) => new URL(u).origin;
  const make = (name: string, baseUrl: string, concurrency: number): HttpService =>
    createHttpService({
      name, baseUrl, concurrency, timeoutMs: config.outbound.timeoutMs, retries: config.outbound.retries,
      getToken: (fresh) => tokens.getToken(resourceOf(baseUrl), fresh), dispatcher: opts.dispatcher, onAttempt: opts.onAttempt,
    });
  const fnoHttp = make('fno', `${config.fnoUrl}/data`, config.outbound.fnoConcurrency);
  const dvHttp = make('dataverse', `${config.dataverseUrl}/api/data/v9.2`, config.outbound.dataverseConcurrency);
  return {
    fno: new FnoClient(fnoHttp),
    dataverse: new DataverseClient(dvHttp),
    interactive: { fno: new FnoClient(fnoHttp.interactive()), dataverse: new DataverseClient(dvHttp.interactive()) },
    tokens,
    async close() {
      await Promise.all([fnoHttp.close(), dvHttp.close()]);
    },
  };
}

export { createHttpService, HttpTransportError } from './http';
export { retryAfterMs, isRetryableStatus, classify, type Failure } from './failure';
export type { HttpService, HttpRequest, HttpResponse } from './http';
export { createTokenProvider, TokenError } from './token-provider';
export { FnoClient, fnoEnum, fnoEntityPath } from './fno-client';
export { DataverseClient, dvBind, dvRowPath } from './dataverse-client';
export { UpstreamError, fnoErrorMessage, dataverseErrorMessage } from './upstream-error';
export * from './odata/literals';
export * from './odata/batch';
