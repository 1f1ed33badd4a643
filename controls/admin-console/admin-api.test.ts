import { describe, expect, it } from '@jest/globals';
import { AdminApi, AdminApiError } from './admin-api';

function fakeFetch(answers: Array<{ status: number; body: unknown }>) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const impl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const a = answers.shift() ?? { status: 500, body: {} };
    return { ok: a.status < 300, status: a.status, text: async () => JSON.stringify(a.body) };
  }) as unknown as typeof fetch;
  return { impl, calls };
}

describe('admin API client', () => {
  it('sends the token, builds the query, and reads the list', async () => {
    const { impl, calls } = fakeFetch([{ status: 200, body: { errors: [{ id: 'e1' }], initialSync: [{ map: 'm', recordKey: 'k' }] } }, { status: 200, body: { errors: [] } }]);
    const api = new AdminApi(async () => 'tok', '/api/v1/admin', impl);
    expect(await api.errors({ map: 'customers-accounts', limit: 5 })).toEqual({ errors: [{ id: 'e1' }], initialSync: [{ map: 'm', recordKey: 'k' }] });
    // A bridge without the initialSync list: an empty one.
    expect(await api.errors()).toEqual({ errors: [], initialSync: [] });
    expect(calls[0].url).toBe('/api/v1/admin/errors?map=customers-accounts&limit=5');
    expect((calls[0].init.headers as Record<string, string>).authorization).toBe('Bearer tok');
  });

  it('asks for a fresh token once after a 401', async () => {
    const { impl, calls } = fakeFetch([{ status: 401, body: { error: { code: 'FB_AUTH_INVALID_TOKEN', message: 'exp' } } }, { status: 200, body: { ok: true } }]);
    const forced: boolean[] = [];
    const api = new AdminApi(async (force) => { forced.push(force); return force ? 'new' : 'old'; }, '/api/v1/admin', impl);
    expect(await api.pause('m')).toEqual({ ok: true });
    expect(forced).toEqual([false, true]);
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/admin/maps/m/pause', '/api/v1/admin/maps/m/pause']);
  });

  it('turns an error answer into an AdminApiError with the bridge code and message', async () => {
    const { impl } = fakeFetch([{ status: 403, body: { error: { code: 'FB_AUTH_FORBIDDEN', message: 'this needs the app role Sync.Admin' } } }]);
    const err = await new AdminApi(async () => 't', '/api/v1/admin', impl).maps().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdminApiError);
    expect(err).toMatchObject({ status: 403, code: 'FB_AUTH_FORBIDDEN', message: 'this needs the app role Sync.Admin' });
  });

  it('sends the initial-sync options as JSON', async () => {
    const { impl, calls } = fakeFetch([{ status: 202, body: { ok: true, state: 'initial_sync' } }]);
    await new AdminApi(async () => 't', '/api/v1/admin', impl).startInitialSync('a b', { failedOnly: true });
    expect(calls[0].url).toBe('/api/v1/admin/maps/a%20b/initial-sync');
    expect(calls[0].init.body).toBe('{"failedOnly":true}');
  });
});
