import { describe, expect, it } from '@jest/globals';
import { loadEngineSettings } from '../src/engine/config';

describe('sync engine settings', () => {
  it('runs no initial sync on start unless asked (npm start asks for it in sandbox mode)', () => {
    expect(loadEngineSettings({}).initialSyncOnStart).toBe(false);
    expect(loadEngineSettings({ SYNC_INITIAL_SYNC_ON_START: 'true' }).initialSyncOnStart).toBe(true);
  });

  it('stops the start with a message naming the variable when a value is wrong', () => {
    expect(() => loadEngineSettings({ SYNC_INITIAL_SYNC_ON_START: 'yes' })).toThrow(/SYNC_INITIAL_SYNC_ON_START/);
    expect(() => loadEngineSettings({ SYNC_CONCURRENCY: '0' })).toThrow(/SYNC_CONCURRENCY: expected at least 1/);
  });
});
