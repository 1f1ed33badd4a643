import { describe, it, expect } from '@jest/globals';
import { envVarValue, readEnvironmentVariables, resolveConfig } from './config';

const APP = '3f6b2a1e-9c4d-4e8f-a7b2-5d1c0e9f8a71';

describe('resolveConfig', () => {
  it('prefers manifest values over environment variables', () => {
    const r = resolveConfig({ bridgeUrl: 'https://bridge.contoso.example/' }, { fob_BridgeUrl: 'https://other.example', fob_BridgeAppId: APP });
    expect(r).toEqual({ ok: true, config: { bridgeUrl: 'https://bridge.contoso.example', scope: `api://${APP}/user_impersonation`, clientId: APP, authority: 'https://login.microsoftonline.com/organizations' } });
  });

  it('reports missing, malformed and insecure addresses and a missing application', () => {
    expect(resolveConfig({}, {})).toEqual({ ok: false, problem: 'missing_url' });
    expect(resolveConfig({ bridgeUrl: 'not a url' }, {})).toMatchObject({ ok: false, problem: 'invalid_url' });
    expect(resolveConfig({ bridgeUrl: 'http://bridge.contoso.example' }, {})).toMatchObject({ ok: false, problem: 'invalid_url' });
    expect(resolveConfig({ bridgeUrl: 'https://bridge.contoso.example' }, {})).toMatchObject({ ok: false, problem: 'missing_app' });
    expect(resolveConfig({ bridgeUrl: 'https://b.example', bridgeAppId: 'nope' }, {})).toMatchObject({ ok: false, problem: 'missing_app' });
  });

  it('allows plain http on loopback only', () => {
    expect(resolveConfig({ bridgeUrl: 'http://127.0.0.1:4000', bridgeAppId: APP }, {})).toMatchObject({ ok: true, config: { bridgeUrl: 'http://127.0.0.1:4000' } });
  });

  it('has no address of its own: an unset fob_BridgeUrl is a configuration problem, never a loopback default', () => {
    expect(resolveConfig({ bridgeAppId: APP }, { fob_BridgeAppId: APP, fob_BridgeScope: 'api://x/user_impersonation' })).toEqual({ ok: false, problem: 'missing_url' });
  });
});

describe('environment variables', () => {
  it('takes the current value over the default', () => {
    expect(envVarValue({ defaultvalue: 'a', environmentvariabledefinition_environmentvariablevalue: [{ value: 'b' }] })).toBe('b');
    expect(envVarValue({ defaultvalue: 'a', environmentvariabledefinition_environmentvariablevalue: [] })).toBe('a');
    expect(envVarValue({ defaultvalue: null })).toBeUndefined();
  });

  it('asks Dataverse with the documented query for each schema name', async () => {
    const queries: string[] = [];
    const webAPI = {
      retrieveMultipleRecords: async (entity: string, options?: string) => {
        queries.push(`${entity}${options}`);
        const rows = options?.includes("'fob_BridgeUrl'") ? [{ defaultvalue: 'https://bridge.example', environmentvariabledefinition_environmentvariablevalue: [] }] : [];
        return { entities: rows, nextLink: '' };
      },
    } as unknown as ComponentFramework.WebApi;
    const env = await readEnvironmentVariables(webAPI);
    expect(env).toEqual({ fob_BridgeUrl: 'https://bridge.example', fob_BridgeAppId: undefined, fob_BridgeScope: undefined });
    expect(queries).toContain("environmentvariabledefinition?$filter=schemaname eq 'fob_BridgeUrl'&$select=defaultvalue&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)");
  });
});
