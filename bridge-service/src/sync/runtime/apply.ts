// Applies one job: reads the record's current rows on both sides (never the event payload: bursts
// coalesce and stale events cannot win), merges against the last synced snapshot by the map's
// policy, writes only changed fields, and records link, etag and the new snapshot. A write of ours
// read back later compares equal to the snapshot, so it never echoes.
import { randomUUID } from 'node:crypto';
import type { FnoClient, FnoRecord } from '../../clients/fno-client';
import type { DataverseClient, DvRow } from '../../clients/dataverse-client';
import { eq } from '../../clients/odata/literals';
import { keyJson, type Link, type LinksRepo } from '../../db/repos/links';
import { mapRow, type MapResult } from '../core/mapping';
import { mergeChanges, type ChangeClock, type FieldConflict } from '../core/conflict';
import { payloadAsRow, projectSnapshot, type SideSnapshot, type SyncSnapshot } from '../core/snapshot';
import { baseOf, effectiveBase, pendingWrite, type PendingWrite, type StoredSnapshot } from '../core/pending';
import { matchesFilter } from '../core/maps/filters';
import { inLegalEntityScope, lookupValueAttribute, type Side, type SyncDirection, type TableMap } from '../core/maps/types';
import type { LookupCache } from './lookups';
import { withCompanyOwner } from '../core/ownership';
import { MissingLookupError, PermanentSyncError, MatchRefusedError } from '../../clients/failure';
import type { Job, Queue } from '../../db/repos/jobs';
import { dvLockKey, fnoLockKey, type LockScope } from '../../db/repos/locks';
import type { ConflictsRepo } from '../../db/repos/conflicts';
import { impersonationRefusal } from '../../clients/failure';
import {
  FNO_HAS_NO_IMPERSONATION, NO_DELEGATE, REFUSED_AS_USER, actorFromPayload, bridgeWrote, dataverseWriter, userWrote, type ChangeActor, type ChangeAttribution,
} from '../core/attribution';
import type { DataverseUsers } from './dataverse-users';
import { planDelete } from '../core/deletes';
import type { DeleteOutcome, DeletePropagation } from './deletes';

export interface ApplyDeps {
  fno: FnoClient;
  dataverse: DataverseClient;
  links: LinksRepo;
  lookups: LookupCache;
  /** When the record's last change was received (the clock of 'latest wins' without modified times). */
  queue: Pick<Queue, 'lastReceivedAt' | 'eventPayload'>;
  conflicts: ConflictsRepo;
  /** Whether an Entra user is an enabled Dataverse user (a change made in F&O is written to Dataverse as them). */
  dataverseUsers: DataverseUsers;
  deletions: DeletePropagation;
}

export type ApplyOutcome =
  | { kind: 'written'; toFno: boolean; toDataverse: boolean; conflicts: FieldConflict[]; link: Link }
  | { kind: 'unchanged' }
  | Extract<DeleteOutcome, { kind: 'deleted' }>
  | { kind: 'skipped'; reason: string };

const both = (map: TableMap): TableMap => ({ ...map, direction: 'both' });
/** How long to write as the bridge after Dataverse said its application user may not act for others. */
const NO_DELEGATE_RECHECK_MS = 10 * 60_000;

/** Throws the problems mapRow found: a missing related row may appear later; a bad value will not. */
function check(result: MapResult, map: TableMap, direction: SyncDirection): void {
  if (result.problems.length === 0) return;
  const text = `${map.name} (${direction.replace(/_/g, ' ')}): ${result.problems.map((p) => p.message).join('; ')}`;
  if (result.problems.every((p) => p.kind === 'lookup')) throw new MissingLookupError(text);
  throw new PermanentSyncError(text);
}

/** The payload without key fields (they address the row; rewriting them is at best a no-op). */
function withoutKeys(map: TableMap, direction: SyncDirection, payload: Record<string, unknown>): Record<string, unknown> {
  const keys = new Set(map.fields.filter((f) => f.key).map((f) => (direction === 'fno_to_dataverse' ? f.dataverse : f.fno)));
  return Object.fromEntries(Object.entries(payload).filter(([k]) => !keys.has(k.replace(/@odata\.bind$/, ''))));
}

function fnoKeyOfRow(map: TableMap, row: Record<string, unknown>): Record<string, string> {
  const key: Record<string, string> = {};
  for (const k of map.fno.keys) {
    const v = row[k];
    const t = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
    key[k] = k === map.fno.companyField ? t.toLowerCase() : t;
  }
  return key;
}

export function createApplier(deps: ApplyDeps) {
  const { fno, dataverse, links, lookups, queue, conflicts: conflictsRepo, dataverseUsers, deletions } = deps;
  /** Until when not to try CallerObjectId: Dataverse said the bridge's application user may not act for others. */
  let noDelegateUntil = 0;

  /** Who made the job's newest change, and as whom Dataverse is written for it. */
  async function authorOf(job: Job): Promise<{ actor: ChangeActor | null; dvAs: { callerObjectId: string } | { reason: string } }> {
    const actor = actorFromPayload(await queue.eventPayload(job.claimedSeq));
    if (job.side !== 'fno') return { actor, dvAs: { reason: 'the bridge merged both sides by the map\'s policy' } };
    return { actor, dvAs: dataverseWriter(actor, actor?.oid ? await dataverseUsers(actor.oid) : null) };
  }

  async function dvCompanyCode(map: TableMap, row: DvRow): Promise<string | null> {
    if (!map.dataverse.companyLookup) return null;
    const id = row[lookupValueAttribute(map.dataverse.companyLookup)];
    return typeof id === 'string' ? lookups.companyCode(id) : null;
  }

  /** The F&O key a Dataverse row maps to (company code from its company lookup). */
  async function fnoKeyOfDv(map: TableMap, row: DvRow): Promise<Record<string, string> | null> {
    const r = await mapRow(both(map), 'dataverse_to_fno', row, lookups, { only: [] });
    if (map.fno.keys.some((k) => r.key[k] === undefined || r.key[k] === null)) return null;
    return fnoKeyOfRow(map, r.key);
  }

  /** The Dataverse row an F&O record maps to, found by the alternate key columns. */
  async function findDvRow(map: TableMap, row: FnoRecord): Promise<DvRow | null> {
    const r = await mapRow(both(map), 'fno_to_dataverse', row, lookups, { only: [] });
    const filters: string[] = [];
    for (const col of map.dataverse.alternateKey) {
      const v = r.key[col];
      if (v === undefined || v === null) return null;
      const lookup = map.fields.find((f) => f.dataverse === col)?.transform?.kind === 'lookup';
      filters.push(lookup ? `${lookupValueAttribute(col)} eq ${String(v)}` : eq(col, v));
    }
    const rows = await dataverse.list(map.dataverse.entitySet, { filter: filters.join(' and '), top: 1 });
    return rows[0] ?? null;
  }

  /** When F&O has no modified field, the time of the last F&O event for the record stands in. */
  async function lastReceived(map: TableMap, side: Side, recordKey: string): Promise<string | null> {
    return queue.lastReceivedAt(map.name, side, recordKey);
  }

  /**
   * When each side last changed, for 'latest wins', read from one clock: both services' own modified times when the
   * F&O entity has one, else the times the bridge received each side's change (never one of each).
   */
  async function changeTimes(map: TableMap, fnoRow: FnoRecord, key: Record<string, string>, dvRow: DvRow): Promise<{ fnoModifiedAt: string | null; dataverseModifiedAt: string | null; clock: ChangeClock }> {
    const fnoModified = map.fno.modifiedField ? fnoRow[map.fno.modifiedField] : undefined;
    if (typeof fnoModified === 'string' && typeof dvRow.modifiedon === 'string') return { fnoModifiedAt: fnoModified, dataverseModifiedAt: dvRow.modifiedon, clock: 'modified' };
    return {
      fnoModifiedAt: await lastReceived(map, 'fno', keyJson(key)),
      dataverseModifiedAt: await lastReceived(map, 'dataverse', String(dvRow[map.dataverse.primaryId]).toLowerCase()),
      clock: 'received',
    };
  }

  async function readFno(map: TableMap, key: Record<string, string>): Promise<FnoRecord | null> {
    return fno.getByKey(map.fno.entitySet, key, { crossCompany: true });
  }

  /** The F&O payload for `only` (all fields when absent) of a Dataverse row. */
  async function toFnoPayload(map: TableMap, dvRow: DvRow, only?: string[]) {
    const r = await mapRow(map, 'dataverse_to_fno', dvRow, lookups, { only });
    check(r, map, 'dataverse_to_fno');
    return r;
  }

  async function toDvPayload(map: TableMap, fnoRow: FnoRecord, only?: string[]) {
    const r = await mapRow(map, 'fno_to_dataverse', fnoRow, lookups, { only });
    check(r, map, 'fno_to_dataverse');
    return r;
  }

  async function updateFno(map: TableMap, payload: Record<string, unknown>, fnoRow: FnoRecord, key: Record<string, string>): Promise<FnoRecord> {
    const changes = withoutKeys(map, 'dataverse_to_fno', payload);
    if (Object.keys(changes).length > 0) await fno.update(map.fno.entitySet, key, changes, fnoRow['@odata.etag'] ?? '*');
    const after = await readFno(map, key);
    if (!after) throw new Error(`${map.fno.entitySet} ${keyJson(key)} disappeared while it was being updated; it will be retried`);
    return after;
  }

  async function createFno(map: TableMap, r: MapResult): Promise<FnoRecord> {
    const created = await fno.create(map.fno.entitySet, r.payload);
    const newKey = fnoKeyOfRow(map, { ...r.key, ...created });
    return (await readFno(map, newKey)) ?? created;
  }

  /**
   * Writes Dataverse as the user who made the change in F&O when Dataverse knows them (their own security applies);
   * when Dataverse refuses them that write (403), as the bridge: the change was made, and allowed, in F&O.
   */
  async function writeDv(map: TableMap, payload: Record<string, unknown>, id: string, exists: boolean, job: Job): Promise<{ row: DvRow; attribution: ChangeAttribution }> {
    const body = exists ? withoutKeys(map, 'fno_to_dataverse', payload) : await withCompanyOwner(map, payload, (c) => lookups.owningTeamOf(c));
    const { actor, dvAs } = await authorOf(job);
    const write = (callerObjectId?: string) => dataverse.upsert(map.dataverse.entitySet, id, body, { mode: exists ? 'update' : 'create', returnRow: true, callerObjectId });
    let written: DvRow | undefined;
    let attribution: ChangeAttribution;
    if ('callerObjectId' in dvAs && Date.now() < noDelegateUntil) {
      written = await write();
      attribution = bridgeWrote(job.side, actor, NO_DELEGATE);
    } else if ('callerObjectId' in dvAs) {
      try {
        written = await write(dvAs.callerObjectId);
        attribution = userWrote({ ...actor!, oid: dvAs.callerObjectId });
      } catch (e) {
        const refusal = impersonationRefusal(e);
        if (!refusal) throw e;
        if (refusal === 'caller') noDelegateUntil = Date.now() + NO_DELEGATE_RECHECK_MS;
        written = await write();
        attribution = bridgeWrote(job.side, actor, refusal === 'caller' ? NO_DELEGATE : REFUSED_AS_USER(dvAs.callerObjectId));
      }
    } else {
      written = await write();
      attribution = bridgeWrote(job.side, actor, dvAs.reason);
    }
    if (written && written[map.dataverse.primaryId]) return { row: written, attribution };
    const after = await dataverse.get(map.dataverse.entitySet, id);
    if (!after) throw new Error(`${map.dataverse.table} ${id} was not found right after it was written; it will be retried`);
    return { row: after, attribution };
  }

  /** A write toward F&O is always the bridge's application's; the link keeps who made the change. */
  async function fnoAttribution(job: Job): Promise<ChangeAttribution> {
    return bridgeWrote(job.side, actorFromPayload(await queue.eventPayload(job.claimedSeq)), FNO_HAS_NO_IMPERSONATION);
  }

  async function recordConflicts(map: TableMap, dvId: string | null, key: Record<string, string> | null, conflicts: FieldConflict[]) {
    if (conflicts.length === 0) return;
    await conflictsRepo.record({
      map: map.name, dataverseId: dvId, fnoKey: key ? keyJson(key) : null, fields: conflicts.map((c) => c.field), winner: conflicts[0].winner,
      policy: map.conflictPolicy.kind === 'primary' ? `primary:${map.conflictPolicy.side}` : 'latest', detail: conflicts,
    });
  }

  /** Write-ahead: the link (created if need be) records what the record will look like once our writes land. */
  async function recordPending(map: TableMap, link: Link | null, dvId: string, key: Record<string, string>, pending: PendingWrite): Promise<void> {
    const base = baseOf(link?.snapshot);
    const snapshot: StoredSnapshot = { ...(base ?? {}), pending };
    await links.upsert({
      mapName: map.name, dataverseTable: map.dataverse.table, dataverseId: dvId, fnoEntity: map.fno.entitySet, fnoKey: key,
      snapshot: snapshot as unknown as Record<string, unknown>,
    });
  }

  interface Found { dvRow: DvRow | null; fnoRow: FnoRecord | null; link: Link | null }

  /** Reads the record on both sides, holding the lock of each side before reading it. */
  async function load(map: TableMap, job: Job, locks: LockScope): Promise<Found | ApplyOutcome> {
    if (job.side === 'dataverse') {
      await locks.hold(dvLockKey(map.name, job.recordKey));
      const dvRow = await dataverse.get(map.dataverse.entitySet, job.recordKey);
      if (!dvRow) return deletions.propagate(map, 'dataverse', job.recordKey, locks);
      if (!matchesFilter(map.filters?.dataverse, dvRow)) return { kind: 'skipped', reason: 'the row does not pass the map\'s Dataverse filter' };
      if (!inLegalEntityScope(map, await dvCompanyCode(map, dvRow))) return { kind: 'skipped', reason: 'the row\'s company is outside the map\'s legal entities' };
      let link = await links.findByDataverse(map.name, map.dataverse.table, job.recordKey);
      const fnoKey = link?.fnoKey ?? (await fnoKeyOfDv(map, dvRow));
      if (!fnoKey) return { dvRow, fnoRow: null, link };
      await locks.hold(fnoLockKey(map.name, fnoKey));
      if (link) link = await links.findByDataverse(map.name, map.dataverse.table, job.recordKey);
      return { dvRow, fnoRow: await readFno(map, fnoKey), link };
    }
    const fnoKey = JSON.parse(job.recordKey) as Record<string, string>;
    await locks.hold(fnoLockKey(map.name, fnoKey));
    const fnoRow = await readFno(map, fnoKey);
    if (!fnoRow) return deletions.propagate(map, 'fno', job.recordKey, locks);
    if (!matchesFilter(map.filters?.fno, fnoRow)) return { kind: 'skipped', reason: 'the record does not pass the map\'s F&O filter' };
    const company = map.fno.companyField ? fnoRow[map.fno.companyField] : null;
    if (!inLegalEntityScope(map, typeof company === 'string' ? company : null)) return { kind: 'skipped', reason: 'the record\'s legal entity is outside the map\'s scope' };
    let link = await links.findByFno(map.name, map.fno.entitySet, fnoKey);
    let dvId = link?.dataverseId ?? null;
    if (link) await locks.hold(dvLockKey(map.name, link.dataverseId));
    let dvRow = dvId ? await dataverse.get(map.dataverse.entitySet, dvId) : null;
    if (!dvRow) {
      const found = await findDvRow(map, fnoRow);
      if (found) {
        dvId = String(found[map.dataverse.primaryId]);
        await locks.hold(dvLockKey(map.name, dvId));
        dvRow = await dataverse.get(map.dataverse.entitySet, dvId);
      }
    }
    if (link) link = await links.findByFno(map.name, map.fno.entitySet, fnoKey);
    return { dvRow, fnoRow, link };
  }

  /**
   * An unlinked record whose counterpart exists on the other side. Merged (and linked) only when nothing speaks
   * against it: not when the counterpart is linked to another record, and not when this record is new (a user who
   * creates an account with an existing customer's number must not overwrite that customer). An admin's retry of
   * the parked record counts as the decision to link them (the queue then treats it as an update).
   */
  async function refuseSilentMatch(map: TableMap, job: Job, dvRow: DvRow, fnoRow: FnoRecord): Promise<void> {
    const dvId = String(dvRow[map.dataverse.primaryId]).toLowerCase();
    const key = fnoKeyOfRow(map, fnoRow);
    const fnoWords = `${map.fno.entitySet} ${Object.entries(key).map(([k, v]) => `${k} ${v}`).join(', ')}`;
    const dvWords = `${map.dataverse.table} ${dvId}`;
    const other = job.side === 'dataverse' ? await links.findByFno(map.name, map.fno.entitySet, key) : await links.findByDataverse(map.name, map.dataverse.table, dvId);
    const counterpart = job.side === 'dataverse' ? fnoWords : dvWords;
    if (other) {
      throw new MatchRefusedError('SYNC_KEY_TAKEN', counterpart,
        `${counterpart} is already linked to another record (${job.side === 'dataverse' ? `${map.dataverse.table} ${other.dataverseId}` : `${map.fno.entitySet} ${keyJson(other.fnoKey)}`}). Change this record's key, or unlink the other, then retry.`);
    }
    if (job.lastMessage === 'Create') {
      throw new MatchRefusedError('SYNC_MATCHES_UNLINKED', counterpart,
        `This new record has the same key as ${counterpart}, which already exists on the other side and is not linked. It was not merged into it: `
        + 'retry it to link the two and merge their fields by the map\'s policy, or change its key.');
    }
  }

  return async function apply(map: TableMap, job: Job, locks: LockScope): Promise<ApplyOutcome> {
    const found = await load(map, job, locks);
    if ('kind' in found) return found;
    let { dvRow, fnoRow } = found;
    const { link } = found;
    const stored = (link?.snapshot as StoredSnapshot | null | undefined) ?? null;
    const source: Side = job.side;
    let conflicts: FieldConflict[] = [];
    let wroteFno = false;
    let wroteDv = false;
    let dvAttribution: ChangeAttribution | null = null;

    // A record synced before whose counterpart is gone: the counterpart was deleted (its own event may still be on the way).
    const gone: Side | null = !baseOf(stored) || !link ? null : !fnoRow ? 'fno' : !dvRow ? 'dataverse' : null;
    if (link && gone && planDelete(map, gone).action !== 'none') {
      return deletions.propagate(map, gone, gone === 'dataverse' ? link.dataverseId : keyJson(link.fnoKey), locks);
    }
    if (!link && (!fnoRow || !dvRow)) {
      const kept = await deletions.keptAfterDelete(map, source, job.recordKey);
      if (kept) return { kind: 'skipped', reason: kept };
    }

    if (source === 'dataverse' && !fnoRow) {
      if (map.direction === 'fno_to_dataverse') return { kind: 'skipped', reason: 'the map only flows from F&O to Dataverse' };
      const r = await toFnoPayload(map, dvRow!);
      const key = map.fno.keys.every((k) => r.key[k] !== undefined && r.key[k] !== null) ? fnoKeyOfRow(map, r.key) : null;
      if (key) {
        await locks.hold(fnoLockKey(map.name, key));
        const dvSnap = projectSnapshot(map, 'dataverse', dvRow!);
        await recordPending(map, link, String(dvRow![map.dataverse.primaryId]), key,
          pendingWrite({ fno: {}, dataverse: dvSnap }, { fno: projectSnapshot(map, 'fno', { ...r.key, ...r.payload }), dataverse: {} }));
      }
      fnoRow = await createFno(map, r);
      wroteFno = true;
    } else if (source === 'fno' && !dvRow) {
      if (map.direction === 'dataverse_to_fno') return { kind: 'skipped', reason: 'the map only flows from Dataverse to F&O' };
      const r = await toDvPayload(map, fnoRow!);
      // Reuse the id of a create that may have failed half-way: its link already names it.
      const id = link?.dataverseId ?? randomUUID();
      await locks.hold(dvLockKey(map.name, id));
      await recordPending(map, link, id, fnoKeyOfRow(map, fnoRow!),
        pendingWrite({ fno: projectSnapshot(map, 'fno', fnoRow!), dataverse: {} }, { fno: {}, dataverse: projectSnapshot(map, 'dataverse', payloadAsRow(map, r.payload)) }));
      ({ row: dvRow, attribution: dvAttribution } = await writeDv(map, r.payload, id, false, job));
      wroteDv = true;
    } else {
      if (!link) await refuseSilentMatch(map, job, dvRow!, fnoRow!);
      const fnoSnap = projectSnapshot(map, 'fno', fnoRow!);
      const dvSnap = projectSnapshot(map, 'dataverse', dvRow!);
      const merge = mergeChanges({
        map, base: effectiveBase(stored, fnoSnap, dvSnap), fno: fnoSnap, dataverse: dvSnap,
        ...(await changeTimes(map, fnoRow!, fnoKeyOfRow(map, fnoRow!), dvRow!)),
        initialWinner: source,
      });
      conflicts = merge.conflicts;
      const toFno = merge.toFno.length > 0 ? await toFnoPayload(map, dvRow!, merge.toFno) : null;
      const toDv = merge.toDataverse.length > 0 ? await toDvPayload(map, fnoRow!, merge.toDataverse) : null;
      if (toFno || toDv) {
        const only = (snap: Record<string, unknown>, ids: string[]) => Object.fromEntries(Object.entries(snap).filter(([id]) => ids.includes(id)));
        await recordPending(map, link, String(dvRow![map.dataverse.primaryId]), fnoKeyOfRow(map, fnoRow!), pendingWrite({ fno: fnoSnap, dataverse: dvSnap }, {
          fno: toFno ? only(projectSnapshot(map, 'fno', toFno.payload), merge.toFno) as SideSnapshot : {},
          dataverse: toDv ? only(projectSnapshot(map, 'dataverse', payloadAsRow(map, toDv.payload)), merge.toDataverse) as SideSnapshot : {},
        }));
      }
      if (toFno) {
        fnoRow = await updateFno(map, toFno.payload, fnoRow!, fnoKeyOfRow(map, fnoRow!));
        wroteFno = true;
      }
      if (toDv) {
        ({ row: dvRow, attribution: dvAttribution } = await writeDv(map, toDv.payload, String(dvRow![map.dataverse.primaryId]), true, job));
        wroteDv = true;
      }
    }

    const snapshot: SyncSnapshot = { fno: projectSnapshot(map, 'fno', fnoRow!), dataverse: projectSnapshot(map, 'dataverse', dvRow!) };
    const dvId = String(dvRow![map.dataverse.primaryId]).toLowerCase();
    const key = fnoKeyOfRow(map, fnoRow!);
    await recordConflicts(map, dvId, key, conflicts);
    const same = link && link.dataverseId === dvId && keyJson(link.fnoKey) === keyJson(key) && JSON.stringify(link.snapshot) === JSON.stringify(snapshot);
    if (!wroteFno && !wroteDv && same) return { kind: 'unchanged' };
    const wrote = wroteFno || wroteDv;
    // The attribution of the write away from where the change was made (a merge may write both ways).
    const lastChange = !wrote ? undefined : source === 'fno' ? (dvAttribution ?? await fnoAttribution(job)) : wroteFno ? await fnoAttribution(job) : dvAttribution!;
    const saved = await links.upsert({
      mapName: map.name, dataverseTable: map.dataverse.table, dataverseId: dvId, fnoEntity: map.fno.entitySet, fnoKey: key,
      fnoEtag: fnoRow!['@odata.etag'] ?? null, dataverseVersion: dvRow!['@odata.etag'] ?? null, snapshot: snapshot as unknown as Record<string, unknown>,
      ...(lastChange ? { lastChange } : {}),
      ...(wrote || !link?.lastSyncedAt ? { lastSyncedAt: new Date().toISOString(), lastDirection: wroteFno && !wroteDv ? 'dataverse_to_fno' : wroteDv && !wroteFno ? 'fno_to_dataverse' : source === 'fno' ? 'fno_to_dataverse' : 'dataverse_to_fno' } : {}),
    });
    if (!wrote) return { kind: 'unchanged' };
    return { kind: 'written', toFno: wroteFno, toDataverse: wroteDv, conflicts, link: saved };
  };
}

export type Applier = ReturnType<typeof createApplier>;
