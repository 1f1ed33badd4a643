import { describe, expect, it } from '@jest/globals';
import { appliesLiveChanges, canMoveJob, capturesChanges, HELD_MAP_STATES, JOB_STATES, MAP_STATES, transitionMap } from './states';

describe('states', () => {
  it('are frozen', () => {
    expect(Object.isFrozen(JOB_STATES)).toBe(true);
    expect(Object.isFrozen(MAP_STATES)).toBe(true);
    expect(MAP_STATES).toEqual(['not_running', 'initial_sync', 'running', 'paused', 'catching_up']);
  });

  it('job transitions: leases, retries, parking and admin actions', () => {
    expect(canMoveJob('queued', 'running')).toBe(true);
    expect(canMoveJob('running', 'queued')).toBe(true);
    expect(canMoveJob('parked', 'queued')).toBe(true);
    expect(canMoveJob('succeeded', 'running')).toBe(false);
    expect(canMoveJob('queued', 'succeeded')).toBe(false);
    expect(canMoveJob('dismissed', 'queued')).toBe(true); // a new change reopens it; no state is final
    expect(canMoveJob('dismissed', 'running')).toBe(false);
  });

  it('a map applies live changes exactly when it is not held', () => {
    for (const s of MAP_STATES) expect(appliesLiveChanges(s)).toBe(!(HELD_MAP_STATES as readonly string[]).includes(s));
  });

  it('map lifecycle: pause keeps capturing, resume catches up before running', () => {
    let s = transitionMap('not_running', 'start_initial_sync');
    expect(s).toEqual({ ok: true, state: 'initial_sync' });
    s = transitionMap('initial_sync', 'initial_sync_done');
    expect(s).toEqual({ ok: true, state: 'catching_up' });
    expect(transitionMap('catching_up', 'caught_up')).toEqual({ ok: true, state: 'running' });
    expect(transitionMap('running', 'pause')).toEqual({ ok: true, state: 'paused' });
    expect(transitionMap('paused', 'resume')).toEqual({ ok: true, state: 'catching_up' });
    expect(capturesChanges('paused')).toBe(true);
    expect(appliesLiveChanges('paused')).toBe(false);
    expect(appliesLiveChanges('catching_up')).toBe(true);
    expect(capturesChanges('not_running')).toBe(false);
  });

  it('refuses an impossible transition in plain words', () => {
    const r = transitionMap('paused', 'pause');
    expect(r).toEqual({ ok: false, message: 'cannot pause a map that is paused; allowed now: resume, stop' });
  });
});
