// Wires the engine's parts for one bridge instance: queue, map lifecycle, lookups, applier, worker,
// reconciliation sweep. Routes and the extension hold one SyncEngine.
import type { Logger } from 'pino';
import type { BridgeContext } from '../../extensions';
import { SHIPPED_MAPS } from '../core/maps/shipped/index';
import { assertValidMaps } from '../core/maps/validate';
import type { TableMap } from '../core/maps/types';
import { createDataverseUsers, type DataverseUsers } from './dataverse-users';
import { createApplier, type Applier } from './apply';
import { forMap } from '../../clients/http';
import { FnoClient } from '../../clients/fno-client';
import { DataverseClient } from '../../clients/dataverse-client';
import { createConflictsRepo, type ConflictsRepo } from '../../db/repos/conflicts';
import type { EngineSettings } from '../../config';
import { createLookupCache, type LookupCache } from './lookups';
import { createMapsRepo, type MapsRepo } from '../../db/repos/maps';
import { createQueue, type Queue } from '../../db/repos/jobs';
import { type Db } from '../../db/schema';
import { createSweeper, type Sweeper } from './sweep';
import { createWorker, type Worker } from './worker';
import { createRecordLocks } from '../../db/repos/locks';
import { createDeletesRepo, type DeletesRepo } from '../../db/repos/deletes';
import { createDeletePropagation, type DeletePropagation } from './deletes';

export interface SyncEngine {
  settings: EngineSettings;
  db: Db;
  maps: readonly TableMap[];
  mapsByName: ReadonlyMap<string, TableMap>;
  queue: Queue;
  mapsRepo: MapsRepo;
  conflicts: ConflictsRepo;
  /** Deletes propagated (or not), newest first: the admin's record and the tombstones. */
  deletes: DeletesRepo;
  deletions: DeletePropagation;
  lookups: LookupCache;
  dataverseUsers: DataverseUsers;
  worker: Worker;
  sweeper: Sweeper;
  ctx: BridgeContext;
  log: Logger;
}

export function selectMaps(all: readonly TableMap[], wanted: EngineSettings['maps']): TableMap[] {
  if (wanted === 'all') return [...all];
  const unknown = wanted.filter((n) => !all.some((m) => m.name === n));
  if (unknown.length) throw new Error(`SYNC_MAPS names unknown map(s): ${unknown.join(', ')}. Known maps: ${all.map((m) => m.name).join(', ')}.`);
  return all.filter((m) => wanted.includes(m.name));
}

export function createSyncEngine(ctx: BridgeContext, settings: EngineSettings, log: Logger, allMaps: readonly TableMap[] = SHIPPED_MAPS): SyncEngine {
  assertValidMaps(allMaps);
  const maps = selectMaps(allMaps, settings.maps);
  const mapsByName = new Map(maps.map((m) => [m.name, m]));
  const db = ctx.store.db;
  const queue = createQueue(db, ctx.store.dialect);
  const mapsRepo = createMapsRepo(db);
  // Lookups resolve against every shipped map (a related table's company column), not only the enabled ones.
  const lookups = createLookupCache(ctx.clients.dataverse, allMaps);
  const conflicts = createConflictsRepo(db);
  const dataverseUsers = createDataverseUsers(ctx.clients.dataverse);
  const deletes = createDeletesRepo(db);
  const deletions = createDeletePropagation({ fno: ctx.clients.fno, dataverse: ctx.clients.dataverse, links: ctx.repos.links, deletes });
  // One applier per map over clients whose requests carry the map's name, so 429s are counted by map.
  const shared = { links: ctx.repos.links, lookups, queue, conflicts, dataverseUsers, deletions };
  const appliers = new Map(maps.map((m) => [m.name, createApplier({
    ...shared, fno: new FnoClient(forMap(ctx.clients.fno.http, m.name)), dataverse: new DataverseClient(forMap(ctx.clients.dataverse.http, m.name)),
  })]));
  // The worker applies only jobs of the maps it was given (others are parked as not configured), so each has one.
  const apply: Applier = (map, job, locks) => appliers.get(map.name)!(map, job, locks);
  const worker = createWorker({
    queue, mapsRepo, locks: createRecordLocks(db), maps: mapsByName, apply, log, concurrency: settings.concurrency, pollMs: settings.pollMs,
    leaseMs: settings.leaseMs, alertErrors: settings.alertErrors, alertWindowMs: settings.alertWindowMs, lookupAttempts: settings.lookupAttempts,
    backoffBaseMs: settings.backoffBaseMs, backoffCapMs: settings.backoffCapMs,
  });
  const sweeper = createSweeper({ fno: ctx.clients.fno, dataverse: ctx.clients.dataverse, queue, mapsRepo, links: ctx.repos.links, maps, log, onEnqueued: () => worker.wake() });
  return { settings, db, maps, mapsByName, queue, mapsRepo, conflicts, deletes, deletions, lookups, dataverseUsers, worker, sweeper, ctx, log };
}
