// Explicit, frozen states: the job states the queue's schema mirrors, and the map lifecycle with the
// transitions an admin or the engine may make. Transitions are pure so routes and the worker share them.

export const JOB_STATES = Object.freeze(['queued', 'running', 'retrying', 'succeeded', 'parked', 'dismissed'] as const);
export type JobState = (typeof JOB_STATES)[number];

/** Jobs with work still to do: counted as pending, shown as "syncing", and what keeps their change events. */
export const ACTIVE_JOB_STATES = Object.freeze(['queued', 'running', 'retrying'] as const satisfies readonly JobState[]);

/**
 * What moves a job, from which states, to which. The queue (db/repos/jobs.ts) builds its SQL from this table,
 * so the table is what the database does. No state is final: a new change of the record reopens a finished
 * or dismissed job, and an admin's retry requeues one.
 */
export const JOB_MOVES = Object.freeze({
  /** A new change of the record. A running or retrying job only learns that there is more to do. */
  change: { from: ['queued', 'succeeded', 'parked', 'dismissed'], to: ['queued'] },
  /** A worker takes it (a running job too, when its lease has expired: its worker died). */
  claim: { from: ['queued', 'retrying', 'running'], to: ['running'] },
  /** Applied; queued again when a change arrived while it ran. */
  complete: { from: ['running'], to: ['succeeded', 'queued'] },
  /** A transient failure: tried again after a backoff. */
  fail: { from: ['running'], to: ['retrying'] },
  /** A permanent failure; queued again instead when a change arrived while it ran (it may fix it). */
  park: { from: ['running'], to: ['parked', 'queued'] },
  /** Put back untried: a record lock was busy, or the instance is stopping. */
  release: { from: ['running'], to: ['queued'] },
  /** An admin's retry. */
  retry: { from: ['parked', 'retrying', 'succeeded', 'dismissed'], to: ['queued'] },
  /** An admin's dismiss. */
  dismiss: { from: ['parked', 'retrying'], to: ['dismissed'] },
} as const satisfies Record<string, { from: readonly JobState[]; to: readonly JobState[] }>);

export type JobMove = keyof typeof JOB_MOVES;

/** Jobs that failed and wait for an admin (parked) or for their next try (retrying): the admin's error list. */
export const FAILING_JOB_STATES = JOB_MOVES.dismiss.from;

export function canMoveJob(from: JobState, to: JobState): boolean {
  return Object.values(JOB_MOVES).some((m) => (m.from as readonly JobState[]).includes(from) && (m.to as readonly JobState[]).includes(to));
}

/** Which way one change travels. */
export const SYNC_DIRECTIONS = Object.freeze(['fno_to_dataverse', 'dataverse_to_fno'] as const);
export type SyncDirection = (typeof SYNC_DIRECTIONS)[number];
/** Which ways a map lets changes travel. */
export const MAP_DIRECTIONS = Object.freeze(['both', ...SYNC_DIRECTIONS] as const);
export type MapDirection = (typeof MAP_DIRECTIONS)[number];

/** What a map's delete policy may do to the counterpart of a deleted record (sync/core/deletes.ts). */
export const DELETE_ACTIONS = Object.freeze(['delete', 'deactivate', 'unlink'] as const);
export type DeleteAction = (typeof DELETE_ACTIONS)[number];
/** What the engine recorded for a delete (sync_deletes.action): an action, or both sides were already gone. */
export const DELETE_OUTCOMES = Object.freeze([...DELETE_ACTIONS, 'both_deleted'] as const);
export type DeleteOutcomeAction = (typeof DELETE_OUTCOMES)[number];

export const MAP_STATES = Object.freeze(['not_running', 'initial_sync', 'running', 'paused', 'catching_up'] as const);
export type MapState = (typeof MAP_STATES)[number];

/** Maps whose jobs wait (changes are kept, not applied): paused, not started, or busy with their initial sync. */
export const HELD_MAP_STATES = Object.freeze(['paused', 'not_running', 'initial_sync'] as const satisfies readonly MapState[]);

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
  return !(HELD_MAP_STATES as readonly MapState[]).includes(state);
}

/** Whether incoming changes should be captured at all (kept even while paused or during initial sync). */
export function capturesChanges(state: MapState): boolean {
  return state !== 'not_running';
}
