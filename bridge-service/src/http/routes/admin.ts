// /api/v1/admin (Sync.Admin): maps with state, counters and lag; initial sync; pause and resume;
// errors and conflicts with retry and dismiss; deletes the engine propagated. And /api/v1/sync/records/:table/:id for the controls.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ActionResult, ConflictItem, ConflictList, DeleteItem, DeleteList, IdParams, InitialSyncOptions, InitialSyncProgress, ListQuery, MapList, MapNameParams,
  QueueList, SyncErrorList, type MapSummary,
} from '../../contracts/admin';
import { ErrorBody } from '../../contracts/errors';
import { RecordParams, RecordSyncStatus } from '../../contracts/sync-status';
import { bridgeError } from '../bridge-error';
import type { ACTIVE_JOB_STATES, FAILING_JOB_STATES } from '../../contracts/states';
import type { RecordAccess } from '../../auth/record-access';
import type { Principal } from '../../auth/verifier';
import type { SyncEngine } from '../../sync/runtime/engine';
import type { InitialSync } from '../../sync/initial-sync/initial-sync';
import { MapTransitionError } from '../../db/repos/maps';
import { recordStatus, retryRecord } from '../../sync/runtime/record-status';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const conflictErr = { 409: ErrorBody };

async function summaries(engine: SyncEngine): Promise<MapSummary[]> {
  const rows = new Map((await engine.mapsRepo.list()).map((r) => [r.name, r]));
  const stats = await engine.queue.mapStats();
  const out: MapSummary[] = [];
  for (const m of engine.maps) {
    const r = rows.get(m.name);
    const st = stats.get(m.name);
    const lagSeconds = st?.oldestPendingAt ? Math.max(0, (Date.now() - Date.parse(st.oldestPendingAt)) / 1000) : 0;
    out.push({
      name: m.name, description: m.description, direction: m.direction, state: r?.state ?? 'not_running', stateSince: r?.state_since ?? '',
      counters: { processed: r?.processed ?? 0, written: r?.written ?? 0, failed: r?.failed ?? 0, conflicts: r?.conflicts ?? 0 },
      pending: st?.pending ?? 0, parked: st?.parked ?? 0, lagSeconds, lastSweepAt: r?.last_sweep_at ?? null, lastProcessedAt: r?.last_processed_at ?? null,
    });
  }
  return out;
}

function mapOrThrow(engine: SyncEngine, name: string) {
  const map = engine.mapsByName.get(name);
  if (!map) throw bridgeError('FB_NOT_FOUND', `no map named ${name} is enabled (enabled: ${engine.maps.map((m) => m.name).join(', ')})`);
  return map;
}

async function transition(engine: SyncEngine, name: string, action: 'pause' | 'resume') {
  mapOrThrow(engine, name);
  try {
    const state = await engine.mapsRepo.transition(name, action);
    engine.worker.wake();
    return { ok: true as const, state };
  } catch (e) {
    if (e instanceof MapTransitionError) throw bridgeError('FB_VALIDATION', e.message);
    throw e;
  }
}

/**
 * A Dataverse row named in a route, for a caller who may read it now (asked of Dataverse). A row that does not
 * exist and a row the caller may not read get the same 404, so the answer reveals nothing.
 */
async function readableRow(engine: SyncEngine, access: RecordAccess, principal: Principal, table: string, id: string): Promise<void> {
  const map = engine.maps.find((m) => m.dataverse.table === table);
  if (!map) throw bridgeError('FB_NOT_FOUND', `no enabled map syncs the table ${table}`);
  const a = await access.access(principal, map.dataverse.entitySet, id);
  if (!a.read) throw bridgeError('FB_NOT_FOUND', `no ${table} ${id} that you may read`);
}

export function adminRoutes(getEngine: () => SyncEngine, getInitial: () => InitialSync, access: RecordAccess): FastifyPluginAsyncZod {
  return async (app) => {
    const admin = { preParsing: app.authorize(['Sync.Admin']) };
    const tags = ['admin'];

    app.get('/sync/records/:table/:id', {
      preParsing: app.authorize(['Finance.Read', 'Sync.Admin']),
      schema: { summary: 'Sync state of one Dataverse row', tags: ['sync'], params: RecordParams, response: { 200: RecordSyncStatus, ...errors } },
    }, async (req) => {
      await readableRow(getEngine(), access, req.principal!, req.params.table, req.params.id);
      const s = await recordStatus(getEngine(), req.params.table, req.params.id, req.principal!.roles.includes('Sync.Admin'));
      if (!s) throw bridgeError('FB_NOT_FOUND', `no enabled map syncs the table ${req.params.table}`);
      return s;
    });

    app.post('/admin/sync/records/:table/:id/retry', {
      ...admin, schema: { summary: 'Retry the sync of one Dataverse row', tags, params: RecordParams, response: { 200: ActionResult, ...errors } },
    }, async (req) => {
      await readableRow(getEngine(), access, req.principal!, req.params.table, req.params.id);
      const r = await retryRecord(getEngine(), req.params.table, req.params.id);
      if (!r) throw bridgeError('FB_NOT_FOUND', `no enabled map syncs the table ${req.params.table}`);
      return { ok: true as const, message: `${r.requeued} job(s) queued` };
    });

    app.get('/admin/maps', { ...admin, schema: { summary: 'Maps with state, counters and lag', tags, response: { 200: MapList, ...errors } } },
      async () => ({ maps: await summaries(getEngine()) }));

    app.post('/admin/maps/:name/pause', { ...admin, schema: { tags, params: MapNameParams, response: { 200: ActionResult, ...errors } } },
      async (req) => transition(getEngine(), req.params.name, 'pause'));
    app.post('/admin/maps/:name/resume', { ...admin, schema: { tags, params: MapNameParams, response: { 200: ActionResult, ...errors } } },
      async (req) => transition(getEngine(), req.params.name, 'resume'));

    app.post('/admin/maps/:name/initial-sync', {
      ...admin,
      schema: { summary: 'Start (or resume) the initial sync of a map', tags, params: MapNameParams, body: InitialSyncOptions.optional(), response: { 202: ActionResult, ...conflictErr, ...errors } },
    }, async (req, reply) => {
      mapOrThrow(getEngine(), req.params.name);
      try {
        await getInitial().start(req.params.name, req.body ?? {});
      } catch (e) {
        if (e instanceof MapTransitionError) throw bridgeError('FB_VALIDATION', e.message);
        throw e;
      }
      return reply.code(202).send({ ok: true as const, state: 'initial_sync' });
    });

    app.get('/admin/maps/:name/initial-sync', {
      ...admin, schema: { summary: 'Progress of the initial sync', tags, params: MapNameParams, response: { 200: InitialSyncProgress, ...errors } },
    }, async (req) => {
      mapOrThrow(getEngine(), req.params.name);
      return getInitial().progress(req.params.name);
    });

    app.get('/admin/queue', { ...admin, schema: { summary: 'Records with changes waiting to be written, oldest first', tags, querystring: ListQuery, response: { 200: QueueList, ...errors } } }, async (req) => {
      const jobs = await getEngine().queue.waiting({ map: req.query.map, limit: req.query.limit });
      return {
        queued: jobs.map((j) => ({
          id: j.id, map: j.mapName, side: j.side, recordKey: j.recordKey, state: j.state as (typeof ACTIVE_JOB_STATES)[number], attempts: j.attempts,
          waitingSince: j.waitingSince, nextRunAt: j.nextRunAt, message: j.lastError,
        })),
      };
    });
    app.get('/admin/errors', { ...admin, schema: { tags, querystring: ListQuery, response: { 200: SyncErrorList, ...errors } } }, async (req) => {
      const jobs = await getEngine().queue.failing({ map: req.query.map, limit: req.query.limit });
      const initialSync = await getInitial().failures({ map: req.query.map, limit: req.query.limit });
      return {
        initialSync,
        errors: jobs.map((j) => ({
          id: j.id, map: j.mapName, side: j.side, recordKey: j.recordKey, state: j.state as (typeof FAILING_JOB_STATES)[number], attempts: j.attempts,
          message: j.lastError, code: j.lastErrorCode, params: j.lastErrorParams, updatedAt: j.updatedAt,
        })),
      };
    });
    app.post('/admin/errors/:id/retry', { ...admin, schema: { tags, params: IdParams, response: { 200: ActionResult, ...errors } } }, async (req) => {
      if (!(await getEngine().queue.requeue(req.params.id))) throw bridgeError('FB_NOT_FOUND', `no failed job ${req.params.id}`);
      getEngine().worker.wake();
      return { ok: true as const, state: 'queued' };
    });
    app.post('/admin/errors/:id/dismiss', { ...admin, schema: { tags, params: IdParams, response: { 200: ActionResult, ...errors } } }, async (req) => {
      if (!(await getEngine().queue.dismiss(req.params.id))) throw bridgeError('FB_NOT_FOUND', `no failed job ${req.params.id}`);
      return { ok: true as const, state: 'dismissed' };
    });

    app.get('/admin/conflicts', {
      ...admin, schema: { tags, querystring: ListQuery.extend({ includeDismissed: z.coerce.boolean().default(false) }), response: { 200: ConflictList, ...errors } },
    }, async (req) => {
      const rows = await getEngine().conflicts.list({ map: req.query.map, limit: req.query.limit, includeDismissed: req.query.includeDismissed });
      return { conflicts: rows.map((r) => ConflictItem.parse(r)) };
    });
    app.get('/admin/deletes', { ...admin, schema: { tags, querystring: ListQuery, response: { 200: DeleteList, ...errors } } }, async (req) => {
      const rows = await getEngine().deletes.list({ map: req.query.map, limit: req.query.limit });
      return { deletes: rows.map((r) => DeleteItem.parse(r)) };
    });
    app.post('/admin/conflicts/:id/dismiss', { ...admin, schema: { tags, params: IdParams, response: { 200: ActionResult, ...errors } } }, async (req) => {
      if (!(await getEngine().conflicts.dismiss(req.params.id))) throw bridgeError('FB_NOT_FOUND', `no open conflict ${req.params.id}`);
      return { ok: true as const };
    });
  };
}
