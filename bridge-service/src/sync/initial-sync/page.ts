// One page of an initial sync, F&O to Dataverse: plan each record's write (create, update of what
// differs, or the self-reference pass), then send the writes in $batch requests, each retried on its
// own when it fails as a whole. Why a retried batch never creates a row twice: every new row gets its
// id when the page is planned, and a retry sends the same ids; the first try creates with
// If-None-Match: * (create only), a retry upserts (PATCH by id: creates the row if the lost try did not,
// updates it with the same values if it did), and the alternate key (company, account number) stays
// unique in Dataverse whatever happens. Updates of existing rows use If-Match: * and are repeatable.
import { randomUUID } from 'node:crypto';
import type { BatchOperation } from '../../clients/odata/batch';
import type { DataverseClient } from '../../clients/dataverse-client';
import type { FnoRecord } from '../../clients/fno-client';
import type { InitialSyncOptions } from '../../contracts/admin';
import { keyJson, type LinkInput } from '../../db/repos/links';
import { mergeChanges } from '../core/conflict';
import { mapRow, type LookupRequest, type MapContext } from '../core/mapping';
import { fieldId, mapFlows, type TableMap } from '../core/maps/types';
import { fnoKeyOf } from '../core/routing';
import { normaliseValue, payloadAsRow, projectSnapshot, type SideSnapshot } from '../core/snapshot';
import { withCompanyOwner } from '../core/ownership';
import { pendingWrite } from '../core/pending';
import type { PageFailure } from '../../db/repos/initial-runs';
import { chunks } from '../../db/repos/initial-runs';
import { dvKeyText, expectedDvRow, pool } from './helpers';
import type { DvIndex } from './dataverse-index';
import { nowIso } from '../../db/schema';
import { NOT_TRIED, writeFailureReason } from '../core/write-failure';

export const BATCH_SIZE = 1000;
export const PARALLEL_BATCHES = 4;

interface PlannedWrite { op: BatchOperation; key: Record<string, string>; link?: LinkInput }

export interface PageDeps {
  dataverse: DataverseClient;
  resolveLookup: MapContext['resolveLookup'];
  /** A company's default owning team (the owner of the rows created for it: core/ownership.ts). */
  owningTeamOf(companyId: string): Promise<string | null>;
  /** Sends one $batch, retrying it when it fails as a whole; `attempt` starts at 1. */
  sendBatch(ops: (attempt: number) => BatchOperation[], what: string): Promise<Awaited<ReturnType<DataverseClient['batch']>>>;
  /**
   * Stores links of rows about to be created, holding the values being written as a pending write
   * (sync/core/pending.ts), before their batch is sent: Dataverse notifies the bridge of each created row while
   * the batch is still in flight, and these links let the webhook acknowledge those notifications as echoes
   * instead of queueing a job per row.
   */
  announce?(links: LinkInput[]): Promise<void>;
  /** Why an F&O record must not get a Dataverse row (its row was deleted in Dataverse and the record kept), or null. */
  keptAfterDelete?(map: TableMap, recordKey: string): Promise<string | null>;
  /**
   * The Dataverse ids already linked to these F&O records (by keyJson), such as the id announced for a create that
   * Dataverse then refused: a rerun creates the row under that id, so the record keeps one link.
   */
  linkedIds?(keys: Record<string, string>[]): Promise<Map<string, string>>;
}

/** The link of a row about to be created: both sides as they will be, as a write not yet landed. */
function announced(link: LinkInput): LinkInput {
  const s = link.snapshot as { fno: SideSnapshot; dataverse: SideSnapshot };
  return { ...link, lastSyncedAt: null, lastDirection: null, fnoEtag: null, snapshot: { pending: pendingWrite({ fno: s.fno, dataverse: {} }, { fno: {}, dataverse: s.dataverse }) } };
}

export const selfRefFields = (map: TableMap) => map.fields.filter((f) => f.transform?.kind === 'lookup' && f.transform.selfReference);

/** A create (If-None-Match: *) becomes a plain upsert by the same id on a retry: see the header comment. */
export function forAttempt(op: BatchOperation, attempt: number): BatchOperation {
  if (attempt === 1 || !op.headers || op.headers['If-None-Match'] !== '*') return op;
  const headers = Object.fromEntries(Object.entries(op.headers).filter(([k]) => k !== 'If-None-Match'));
  return { ...op, headers };
}

function contextWith(index: DvIndex, map: TableMap, deps: PageDeps): MapContext {
  return {
    resolveLookup(req: LookupRequest) {
      if (req.want === 'id' && req.lookup.selfReference) return index.id(req.value.toLowerCase()) ?? null;
      return deps.resolveLookup(req);
    },
  };
}

/** Plans the writes of a page; the index learns the id of every row planned for creation. */
async function plan(map: TableMap, pass: number, rows: readonly FnoRecord[], index: DvIndex, opts: InitialSyncOptions, deps: PageDeps) {
  const ctx = contextWith(index, map, deps);
  const writes: PlannedWrite[] = [];
  const unchanged: LinkInput[] = [];
  const failures: PageFailure[] = [];
  /** Rows where Dataverse won fields that differ: their values go to F&O through the sync queue (see below). */
  const toFno: string[] = [];
  const winner = opts.winner ?? (map.conflictPolicy.kind === 'primary' ? map.conflictPolicy.side : 'fno');
  const only = pass === 2 ? selfRefFields(map).map(fieldId) : undefined;
  const { entitySet, primaryId, alternateKey } = map.dataverse;
  const linked = pass === 1 && deps.linkedIds ? await deps.linkedIds(rows.map((r) => fnoKeyOf(map, r)).filter((k): k is Record<string, string> => k !== null)) : new Map<string, string>();
  for (const row of rows) {
    const key = fnoKeyOf(map, row);
    if (!key) { failures.push({ key: JSON.stringify(row), reason: 'the record has an empty key field' }); continue; }
    try {
      const r = await mapRow(map, 'fno_to_dataverse', row, ctx, { only });
      if (r.problems.length) { failures.push({ key: keyJson(key), reason: r.problems.map((p) => p.message).join('; ') }); continue; }
      const dvKey = dvKeyText(map, r.key);
      const id = index.id(dvKey);
      // A customer kept in F&O when its account was deleted in Dataverse: the initial sync does not bring the account back.
      if (!id && deps.keptAfterDelete && (await deps.keptAfterDelete(map, keyJson(key)))) continue;
      if (pass === 2) {
        if (id && Object.keys(r.payload).some((k) => k.endsWith('@odata.bind') && !map.fields.some((f) => f.key && k.startsWith(`${f.dataverse}@`)))) {
          writes.push({ op: { method: 'PATCH', url: deps.dataverse.url(entitySet, id), headers: { 'If-Match': '*' }, body: r.payload }, key });
        }
        continue;
      }
      const existing = id ? index.existing(dvKey) : undefined;
      let body = r.payload;
      let base: Record<string, unknown> | undefined;
      let headers: Record<string, string>;
      let rowId: string;
      if (id && existing) {
        rowId = id;
        const merge = mergeChanges({ map, base: null, fno: projectSnapshot(map, 'fno', row), dataverse: projectSnapshot(map, 'dataverse', existing), initialWinner: winner });
        const m2 = await mapRow(map, 'fno_to_dataverse', row, ctx, { only: merge.toDataverse });
        // Only what differs: the merge cannot compare lookups (F&O codes against Dataverse ids), so a resolved
        // lookup equal to the row's current id is dropped here (a resumed run then rewrites nothing).
        body = Object.fromEntries(Object.entries(m2.payload).filter(([k, v]) => !alternateKey.some((a) => k === a || k === `${a}@odata.bind`)
          && Object.entries(payloadAsRow(map, { [k]: v })).some(([col, val]) => normaliseValue(val) !== normaliseValue(existing[col]))));
        headers = { 'If-Match': '*' };
        if (merge.toFno.length > 0 && mapFlows(map, 'dataverse_to_fno')) {
          // Dataverse won these fields: the link records F&O's values for them as the last synced state, so the
          // queued job of this row sees them changed in Dataverse and writes them to F&O (through the applier,
          // with its checks), after the initial sync.
          const fnoValues = await mapRow(map, 'fno_to_dataverse', row, ctx, { only: merge.toFno });
          base = expectedDvRow(map, existing, { ...fnoValues.payload, ...body });
          toFno.push(rowId);
        }
      } else {
        rowId = id ?? linked.get(keyJson(key)) ?? randomUUID();
        headers = id ? { 'If-Match': '*' } : { 'If-None-Match': '*' };
        if (!id) body = await withCompanyOwner(map, body, (c) => deps.owningTeamOf(c));
      }
      const after = expectedDvRow(map, existing ?? { [primaryId]: rowId }, body);
      index.addWritten(dvKey, rowId);
      const link: LinkInput = {
        mapName: map.name, dataverseTable: map.dataverse.table, dataverseId: rowId, fnoEntity: map.fno.entitySet, fnoKey: key,
        fnoEtag: row['@odata.etag'] ?? null, lastSyncedAt: nowIso(), lastDirection: 'fno_to_dataverse',
        snapshot: { fno: projectSnapshot(map, 'fno', row), dataverse: projectSnapshot(map, 'dataverse', base ?? after) },
      };
      if (Object.keys(body).length === 0) unchanged.push(link);
      else writes.push({ op: { method: 'PATCH', url: deps.dataverse.url(entitySet, rowId), headers, body }, key, link });
    } catch (err) {
      failures.push({ key: keyJson(key), reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return { writes, unchanged, failures, toFno };
}

/**
 * Plans and writes one page. Returns the links of the rows now in sync and the records that failed
 * (a part Dataverse refused). Throws when a whole batch still fails after its retries.
 */
export async function writePage(map: TableMap, pass: number, rows: readonly FnoRecord[], index: DvIndex, opts: InitialSyncOptions, deps: PageDeps) {
  const { writes, unchanged, failures, toFno } = await plan(map, pass, rows, index, opts, deps);
  const links = [...unchanged];
  const batches = chunks(writes, BATCH_SIZE);
  const creates = writes.filter((w) => w.link && w.op.headers?.['If-None-Match'] === '*');
  if (deps.announce && creates.length) await deps.announce(creates.map((w) => announced(w.link!)));
  await pool(batches, PARALLEL_BATCHES, async (batch) => {
    const first = keyJson(batch[0].key);
    const res = await deps.sendBatch((attempt) => batch.map((w) => forAttempt(w.op, attempt)), `Dataverse $batch of ${batch.length} writes from ${first}`);
    batch.forEach((w, i) => {
      const part = res.parts[i];
      if (part && part.status < 400) { if (w.link) links.push(w.link); return; }
      const reason = !part ? NOT_TRIED : writeFailureReason(map, w.op, res.failures.find((f) => f.part === part)?.message ?? `HTTP ${part.status}`);
      failures.push({ key: keyJson(w.key), reason });
    });
  });
  return { links, failures, toFno };
}
