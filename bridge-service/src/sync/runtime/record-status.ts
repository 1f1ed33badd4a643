// The sync state of one Dataverse row, for the controls (RecordSyncStatus), and the admin's retry of it.
import { randomUUID } from 'node:crypto';
import type { RecordSyncStatus } from '../../contracts/sync-status';
import { keyJson, type Link } from '../../db/repos/links';
import type { TableMap } from '../core/maps/types';
import type { SyncEngine } from './engine';
import type { Job } from '../../db/repos/jobs';
import { ACTIVE_JOB_STATES } from '../../contracts/states';

async function jobsOf(engine: SyncEngine, map: TableMap, id: string, link: Link | null): Promise<Job[]> {
  const jobs = [await engine.queue.jobOf(map.name, 'dataverse', id), link ? await engine.queue.jobOf(map.name, 'fno', keyJson(link.fnoKey)) : null];
  return jobs.filter((j): j is Job => j !== null);
}

/** The maps that sync a Dataverse table, and the one this row is linked through (if any). */
async function findLink(engine: SyncEngine, table: string, id: string): Promise<{ map: TableMap | null; link: Link | null }> {
  const maps = engine.maps.filter((m) => m.dataverse.table === table);
  for (const m of maps) {
    const link = await engine.ctx.repos.links.findByDataverse(m.name, table, id);
    if (link) return { map: m, link };
  }
  return { map: maps[0] ?? null, link: null };
}

export async function recordStatus(engine: SyncEngine, table: string, rawId: string, canRetry: boolean): Promise<RecordSyncStatus | null> {
  const id = rawId.toLowerCase();
  const { map, link } = await findLink(engine, table, id);
  if (!map) return null;
  const jobs = await jobsOf(engine, map, id, link);
  const parked = jobs.find((j) => j.state === 'parked');
  const active = jobs.filter((j) => (ACTIVE_JOB_STATES as readonly string[]).includes(j.state));
  let pendingChanges = 0;
  for (const j of active) pendingChanges += await engine.queue.pendingChangesOf(j);
  const conflict = await engine.conflicts.openOf(map.name, id);

  let state: RecordSyncStatus['state'];
  let lastError: string | null = null;
  let lastErrorCode: string | null = null;
  let lastErrorParams: Record<string, string | number> = {};
  const failed = parked ?? active.find((j) => j.lastError);
  if (parked) state = 'error';
  else if (active.length) state = 'pending';
  else if (conflict) state = 'conflict';
  else state = link ? 'in_sync' : 'not_linked';
  if (failed) {
    lastError = failed.lastError;
    lastErrorCode = failed.lastErrorCode;
    lastErrorParams = failed.lastErrorParams ?? {};
  } else if (state === 'conflict' && conflict) {
    const detail = conflict.detail as { reason: string; field?: string; winner?: string }[];
    lastError = detail.map((d) => d.reason).join(' ');
    lastErrorCode = 'SYNC_CONFLICT';
    lastErrorParams = { field: String(detail[0]?.field ?? ''), winner: String(detail[0]?.winner ?? conflict.winner) };
  }

  return {
    table, id, state, map: link ? map.name : null, linkedKey: link?.fnoKey ?? null,
    lastSyncedAt: link?.lastSyncedAt ?? null, lastDirection: link?.lastDirection ?? null, lastError,
    ...(lastErrorCode ? { lastErrorCode, lastErrorParams } : {}), pendingChanges, canRetry,
    ...(link?.lastChange ? { lastChange: link.lastChange } : {}),
  };
}

/** Requeues the row's parked or waiting jobs, or queues a fresh check when it has none. */
export async function retryRecord(engine: SyncEngine, table: string, rawId: string): Promise<{ requeued: number } | null> {
  const id = rawId.toLowerCase();
  const { map, link } = await findLink(engine, table, id);
  if (!map) return null;
  let requeued = 0;
  for (const j of await jobsOf(engine, map, id, link)) if (await engine.queue.requeue(j.id)) requeued++;
  if (requeued === 0) {
    requeued = await engine.queue.enqueue([{ mapName: map.name, side: 'dataverse', recordKey: id, message: 'Update', dedupeKey: `manual|${randomUUID()}` }]);
  }
  // A conflict the admin chose to retry has been looked at.
  await engine.conflicts.dismissOf(map.name, id);
  engine.worker.wake();
  return { requeued };
}
