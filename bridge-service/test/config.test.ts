import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../src/config';
import { testConfig } from './support/config';

describe('configuration', () => {
  it('knows nothing of a sandbox: without F&O and Dataverse it names what is missing and how to run the demo', () => {
    expect(() => loadConfig({})).toThrow(/FNO_URL: missing[\s\S]*TOKEN_URL: missing[\s\S]*npm start/);
  });
  it('has production defaults: port 4000, SQLite, no proxy trusted, /metrics off', () => {
    const c = testConfig({});
    expect(c).toMatchObject({ port: 4000, host: '127.0.0.1', bodyLimit: 65536, trustProxy: false, dependencyCheckMs: 30_000 });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.metricsToken).toBeUndefined();
  });
  it('reads a full real configuration', () => {
    const c = testConfig({ PORT: '8080', DATABASE_URL: 'postgres://u@h/db', TRUST_PROXY: '1', METRICS_TOKEN: 'prometheus-scrape-token' });
    expect(c).toMatchObject({ port: 8080, fnoUrl: 'http://fno.test', databaseUrl: 'postgres://u@h/db', trustProxy: 1, metricsToken: 'prometheus-scrape-token' });
    expect(c.auth.audiences).toHaveLength(2);
    expect(c.auth.discoveryUrl).toMatch(/\/v2\.0\/\.well-known\/openid-configuration$/);
  });
  it('stops with a message naming each bad variable and what it expects', () => {
    const err = (() => {
      try {
        loadConfig({ PORT: 'eighty', FNO_URL: 'not a url', LOG_LEVEL: 'loud' });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.message).toMatch(/PORT: expected an integer/);
    expect(err!.message).toMatch(/FNO_URL: expected an http\(s\) URL/);
    expect(err!.message).toMatch(/LOG_LEVEL: expected one of/);
  });
  it('refuses a port that browsers and fetch will not connect to, saying why', () => {
    expect(() => testConfig({ PORT: '6000' })).toThrow(/PORT: expected port 6000 is one that browsers and Node's fetch refuse/);
    expect(testConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toBe('10.0.0.0/8, 127.0.0.1');
    expect(testConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
  });
  it('names the variables missing for a real configuration', () => {
    expect(() => loadConfig({ FNO_URL: 'https://x.operations.dynamics.com' })).toThrow(/DATAVERSE_URL: missing[\s\S]*CLIENT_SECRET: missing/);
  });
  it('lists every variable in .env.example (set, or commented out with its default)', async () => {
    const { EnvSchema } = await import('../src/config');
    const { readFileSync } = await import('node:fs');
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    for (const k of Object.keys(EnvSchema.shape)) expect(example).toMatch(new RegExp(`^(# )?${k}=`, 'm'));
  });
});

describe('extra application users (EXTRA_CLIENT_IDS, EXTRA_CLIENT_SECRETS)', () => {
  const A = '0f5e8c9a-1b2c-4d3e-8f40-5a6b7c8d9e01';
  const B = '0f5e8c9a-1b2c-4d3e-8f40-5a6b7c8d9e02';
  const problems = (env: Record<string, string>) => {
    try {
      testConfig(env);
    } catch (e) {
      return (e as ConfigError).message;
    }
    return '';
  };

  it('none by default: one user', () => {
    expect(testConfig({}).outbound.extraCredentials).toEqual([]);
  });
  it('pairs each id with the secret at the same place, at the primary credential\'s token endpoint', () => {
    const c = testConfig({ EXTRA_CLIENT_IDS: `${A}, ${B}`, EXTRA_CLIENT_SECRETS: 's-one,s-two' });
    expect(c.outbound.extraCredentials).toEqual([
      { kind: 'secret', clientId: A, clientSecret: 's-one', tokenUrl: 'http://idp.test/token' },
      { kind: 'secret', clientId: B, clientSecret: 's-two', tokenUrl: 'http://idp.test/token' },
    ]);
  });
  it('refuses, naming the variable and never a secret: a count mismatch, one list without the other, a bad or repeated id', () => {
    expect(problems({ EXTRA_CLIENT_IDS: `${A},${B}`, EXTRA_CLIENT_SECRETS: 'only-one-secret' })).toMatch(/EXTRA_CLIENT_SECRETS: 1 secret\(s\) for 2 client id\(s\)/);
    expect(problems({ EXTRA_CLIENT_IDS: A })).toMatch(/EXTRA_CLIENT_SECRETS: missing/);
    expect(problems({ EXTRA_CLIENT_SECRETS: 'x-secret' })).toMatch(/EXTRA_CLIENT_IDS: missing/);
    expect(problems({ EXTRA_CLIENT_IDS: `${A},bridge`, EXTRA_CLIENT_SECRETS: 'a-secret,b-secret' })).toMatch(/EXTRA_CLIENT_IDS: entry 2 is not a client id/);
    expect(problems({ EXTRA_CLIENT_IDS: `${A},${A.toUpperCase()}`, EXTRA_CLIENT_SECRETS: 'a-secret,b-secret' })).toMatch(/EXTRA_CLIENT_IDS: entry 2 repeats/);
    expect(problems({ CLIENT_ID: A, EXTRA_CLIENT_IDS: A, EXTRA_CLIENT_SECRETS: 'a-secret' })).toMatch(/EXTRA_CLIENT_IDS: entry 1 is CLIENT_ID itself/);
    expect(problems({ EXTRA_CLIENT_IDS: `${A},${B}`, EXTRA_CLIENT_SECRETS: 'only-one-secret' })).not.toMatch(/only-one-secret/);
  });
  it('refuses them beside a managed identity, which has no token endpoint', () => {
    expect(problems({ CLIENT_CREDENTIAL: 'managed-identity', CLIENT_SECRET: '', TOKEN_URL: '', EXTRA_CLIENT_IDS: A, EXTRA_CLIENT_SECRETS: 'a-secret' }))
      .toMatch(/EXTRA_CLIENT_IDS: set, but CLIENT_CREDENTIAL is managed-identity/);
  });
});
