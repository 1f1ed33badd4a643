import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../src/config';
import { testConfig } from './support/config';

describe('configuration', () => {
  it('without F&O and Dataverse URLs selects the embedded sandbox with defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ embeddedSandbox: true, port: 4000, host: '127.0.0.1', bodyLimit: 65536 });
    expect(c.databaseUrl).toBeUndefined();
  });
  it('reads a full real configuration', () => {
    const c = testConfig({ PORT: '8080', DATABASE_URL: 'postgres://u@h/db' });
    expect(c).toMatchObject({ embeddedSandbox: false, port: 8080, fnoUrl: 'http://fno.test', databaseUrl: 'postgres://u@h/db' });
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
  it('names the variables missing for a real configuration', () => {
    expect(() => loadConfig({ FNO_URL: 'https://x.operations.dynamics.com' })).toThrow(/DATAVERSE_URL: missing[\s\S]*CLIENT_SECRET: missing/);
  });
  it('lists every variable in .env.example', async () => {
    const { EnvSchema } = await import('../src/config');
    const { readFileSync } = await import('node:fs');
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    for (const k of Object.keys(EnvSchema.shape)) expect(example).toMatch(new RegExp(`^${k}=`, 'm'));
  });
});
