// Explicit, frozen states: the job states the queue's schema mirrors, and the map lifecycle with the
// transitions an admin or the engine may make. Transitions are pure so routes and the worker share them.

export const JOB_STATES = Object.freeze(['queued', 'running', 'retrying', 'succeeded', 'parked', 'dismissed'] as const);
export type JobState = (typeof JOB_STATES)[number];

const JOB_TRANSITIONS: Readonly<Record<JobState, readonly JobState[]>> = Object.freeze({
  queued: ['running', 'dismissed'],
  running: ['succeeded', 'retrying', 'parked', 'queued'], // queued again when a lease expires
  retrying: ['running', 'parked', 'dismissed'],
  succeeded: [],
  parked: ['queued', 'dismissed'], // an admin's retry or dismiss
  dismissed: [],
});

export function canMoveJob(from: JobState, to: JobState): boolean {
  return JOB_TRANSITIONS[from].includes(to);
}

export function isTerminalJobState(state: JobState): boolean {
  return JOB_TRANSITIONS[state].length === 0;
}

export const MAP_STATES = Object.freeze(['not_running', 'initial_sync', 'running', 'paused', 'catching_up'] as const);
export type MapState = (typeof MAP_STATES)[number];

export type MapAction = 'start_initial_sync' | 'initial_sync_done' | 'initial_sync_failed' | 'start' | 'pause' | 'resume' | 'caught_up' | 'stop';

const MAP_TRANSITIONS: Readonly<Record<MapState, Partial<Record<MapAction, MapState>>>> = Object.freeze({
  not_running: { start_initial_sync: 'initial_sync', start: 'running' },
  initial_sync: { initial_sync_done: 'catching_up', initial_sync_failed: 'not_running', pause: 'paused', stop: 'not_running' },
  running: { pause: 'paused', stop: 'not_running', start_initial_sync: 'initial_sync' },
  // Resume replays the changes kept while paused, in order, before the map counts as running.
  paused: { resume: 'catching_up', stop: 'not_running' },
  catching_up: { caught_up: 'running', pause: 'paused', stop: 'not_running' },
});

export type TransitionResult = { ok: true; state: MapState } | { ok: false; message: string };

const words = (s: string): string => s.replace(/_/g, ' ');

/** The next state of a map, or a message saying why the action is not allowed now. */
export function transitionMap(state: MapState, action: MapAction): TransitionResult {
  const next = MAP_TRANSITIONS[state][action];
  if (next) return { ok: true, state: next };
  const allowed = Object.keys(MAP_TRANSITIONS[state]).map(words);
  return { ok: false, message: `cannot ${words(action)} a map that is ${words(state)}; allowed now: ${allowed.join(', ') || 'nothing'}` };
}

/** Whether live changes are applied now (otherwise they are kept, durably, for later). */
export function appliesLiveChanges(state: MapState): boolean {
  return state === 'running' || state === 'catching_up';
}

/** Whether incoming changes should be captured at all (kept even while paused or during initial sync). */
export function capturesChanges(state: MapState): boolean {
  return state !== 'not_running';
}
