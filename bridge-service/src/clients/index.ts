// Outbound clients, built from the configuration. Exported for the sync engine.
import type { BridgeConfig } from '../config';
import { createHttpService, type HttpService, type HttpServiceOptions } from './http';
import { createTokenProvider, type TokenProvider } from './token-provider';
import { FnoClient } from './fno-client';
import { DataverseClient } from './dataverse-client';
import { createUserPool, type UserPool } from './user-pool';
import type { Dispatcher } from 'undici';

export interface Clients {
  /** For the sync and other background work. */
  fno: FnoClient;
  dataverse: DataverseClient;
  /** The same services for what a user waits for (the finance panel's reads and edits, its access checks). */
  interactive?: { fno: FnoClient; dataverse: DataverseClient };
  /**
   * Dataverse for bulk writes (the initial sync's $batch requests), spread over every configured application user
   * (CLIENT_ID and EXTRA_CLIENT_IDS); with one user, the same service as `dataverse`.
   */
  bulk?: { dataverse: DataverseClient; users: UserPool };
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
  const dvUrl = `${config.dataverseUrl}/api/data/v9.2`;
  const dvHttp = make('dataverse', dvUrl, config.outbound.dataverseConcurrency);
  // Each extra application user: its own token provider, connections and adaptive limit (see user-pool.ts).
  // F&O stays on the primary user: its user-based limits are gone since 10.0.36 and its resource-based ones
  // count the whole environment, so more users would not raise them (README, "Several application users").
  const extra = (config.outbound.extraCredentials ?? []).map((credential) => {
    const own = createTokenProvider({ credential, dispatcher: opts.dispatcher });
    return createHttpService({
      name: 'dataverse', baseUrl: dvUrl, concurrency: config.outbound.dataverseConcurrency, timeoutMs: config.outbound.timeoutMs, retries: config.outbound.retries,
      getToken: (fresh) => own.getToken(resourceOf(dvUrl), fresh), dispatcher: opts.dispatcher, onAttempt: opts.onAttempt,
    });
  });
  const users = createUserPool([dvHttp, ...extra]);
  return {
    fno: new FnoClient(fnoHttp),
    dataverse: new DataverseClient(dvHttp),
    interactive: { fno: new FnoClient(fnoHttp.interactive()), dataverse: new DataverseClient(dvHttp.interactive()) },
    bulk: { dataverse: new DataverseClient(users), users },
    tokens,
    async close() {
      await Promise.all([fnoHttp.close(), users.close()]);
    },
  };
}

export { createHttpService, HttpTransportError } from './http';
export { createUserPool, chooseUser, type UserPool, type UserLoad } from './user-pool';
export { retryAfterMs, isRetryableStatus, classify, type Failure } from './failure';
export type { HttpService, HttpRequest, HttpResponse } from './http';
export { createTokenProvider, TokenError } from './token-provider';
export { FnoClient, fnoEnum, fnoEntityPath } from './fno-client';
export { DataverseClient, dvBind, dvRowPath } from './dataverse-client';
export { UpstreamError, fnoErrorMessage, dataverseErrorMessage } from './upstream-error';
export * from './odata/literals';
export * from './odata/batch';
