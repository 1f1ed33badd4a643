// Builds the app for inject() tests: in-memory SQLite, local JWKS, MockAgent for every outbound call.
import { MockAgent } from 'undici';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { openStore, type Store } from '../../src/db/connection';
import { createTokenVerifier } from '../../src/auth/verifier';
import type { BridgeConfig } from '../../src/config';
import { testConfig, IDP } from './config';
import type { TestKeys } from './tokens';

export interface TestApp {
  app: FastifyInstance;
  agent: MockAgent;
  store: Store;
  logs: string[];
  config: BridgeConfig;
}

export async function makeTestApp(keys: TestKeys, opts: { config?: Record<string, string>; store?: Store } = {}): Promise<TestApp> {
  const config = testConfig(opts.config);
  const agent = new MockAgent();
  agent.disableNetConnect();
  agent.get(IDP).intercept({ path: '/token', method: 'POST' })
    .reply(200, { access_token: 'downstream-access-token-xyz', expires_in: 3600, token_type: 'Bearer' }).persist();
  const store = opts.store ?? (await openStore({ sqliteFile: ':memory:' }));
  const logs: string[] = [];
  const logStream = new Writable({ write(chunk: Buffer, _enc, cb) { logs.push(chunk.toString()); cb(); } });
  const verifier = createTokenVerifier({ ...config.auth, keys: keys.jwks });
  // No extensions: these tests cover the core; the sync engine tests its own extension.
  const app = await buildApp(config, { store, verifier, dispatcher: agent, logStream, extensions: [] });
  return { app, agent, store, logs, config };
}
