import { describe, expect, it } from '@jest/globals';
import { appliesLiveChanges, canMoveJob, capturesChanges, isTerminalJobState, JOB_STATES, MAP_STATES, transitionMap } from './states';
import { backoffDelay, parseRetryAfter } from '../sync/core/backoff';
import { classifyFailure } from '../clients/failure-words';

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
    expect(isTerminalJobState('dismissed')).toBe(true);
    expect(isTerminalJobState('parked')).toBe(false);
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

describe('backoff', () => {
  it('grows exponentially, is capped, and jitters within the upper half', () => {
    const low = { baseMs: 1000, capMs: 60_000, random: () => 0 };
    const high = { ...low, random: () => 1 };
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, high))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelay(3, low)).toBe(2000);
    expect(backoffDelay(50, high)).toBe(60_000);
    expect(backoffDelay(50, low)).toBe(30_000);
  });

  it('honours a longer Retry-After', () => {
    expect(backoffDelay(1, { baseMs: 1000, random: () => 1 }, 30_000)).toBe(30_000);
    expect(backoffDelay(1, { baseMs: 1000, random: () => 1 }, 10)).toBe(1000);
    expect(parseRetryAfter('5')).toBe(5000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(undefined)).toBeNull();
  });
});

describe('classifyFailure', () => {
  it('transient: 429, 5xx, timeouts, network errors', () => {
    expect(classifyFailure({ status: 429, side: 'fno' })).toMatchObject({ class: 'transient', message: expect.stringMatching(/Finance and Operations asked the bridge to slow down/) });
    expect(classifyFailure({ status: 503, side: 'dataverse' }).class).toBe('transient');
    expect(classifyFailure({ status: 408 }).class).toBe('transient');
    expect(classifyFailure({ code: 'ECONNRESET', side: 'dataverse' })).toMatchObject({ class: 'transient', message: expect.stringMatching(/could not be reached \(ECONNRESET\)/) });
    expect(classifyFailure({ code: 'UND_ERR_HEADERS_TIMEOUT' }).class).toBe('transient');
    expect(classifyFailure({ status: 412, retryOnPreconditionFailed: true }).class).toBe('transient');
  });

  it('permanent: 400/404/412, auth, validation, with the service text and what to do', () => {
    const r = classifyFailure({ status: 400, side: 'fno', serviceMessage: "Customer group '99' does not exist." });
    expect(r.class).toBe('permanent');
    expect(r.message).toBe(`Finance and Operations rejected the data (HTTP 400). It said: "Customer group '99' does not exist." Fix the record, then retry.`);
    expect(classifyFailure({ status: 404 }).class).toBe('permanent');
    expect(classifyFailure({ status: 412 }).class).toBe('permanent');
    expect(classifyFailure({ status: 403, side: 'dataverse' }).message).toMatch(/refused the bridge's credentials/);
    expect(classifyFailure({ validation: 'OnHoldStatus: value "Frozen" unknown' })).toMatchObject({ class: 'permanent', message: expect.stringMatching(/could not be mapped/) });
  });
});
