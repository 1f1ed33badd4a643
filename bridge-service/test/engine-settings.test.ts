import { describe, expect, it } from '@jest/globals';
import { loadEngineSettings } from '../src/config';

describe('sync engine settings', () => {
  it('runs no initial sync on start unless asked (npm start asks for it in sandbox mode)', () => {
    expect(loadEngineSettings({}).initialSyncOnStart).toBe(false);
    expect(loadEngineSettings({ SYNC_INITIAL_SYNC_ON_START: 'true' }).initialSyncOnStart).toBe(true);
  });

  it('stops the start with a message naming the variable when a value is wrong', () => {
    expect(() => loadEngineSettings({ SYNC_INITIAL_SYNC_ON_START: 'yes' })).toThrow(/SYNC_INITIAL_SYNC_ON_START/);
    expect(() => loadEngineSettings({ SYNC_CONCURRENCY: '0' })).toThrow(/SYNC_CONCURRENCY: expected at least 1/);
  });

  it('needs an https BRIDGE_PUBLIC_URL (the webhook secret travels to it), plain http only on this machine', () => {
    expect(() => loadEngineSettings({ BRIDGE_PUBLIC_URL: 'http://bridge.contoso.com' })).toThrow(/BRIDGE_PUBLIC_URL: expected an https URL/);
    expect(loadEngineSettings({ BRIDGE_PUBLIC_URL: 'https://bridge.contoso.com/' }).publicUrl).toBe('https://bridge.contoso.com');
    expect(loadEngineSettings({ BRIDGE_PUBLIC_URL: 'http://127.0.0.1:4000' }).publicUrl).toBe('http://127.0.0.1:4000');
  });
});
