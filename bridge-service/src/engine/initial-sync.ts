// Initial sync of a map, F&O as the source: per legal entity, keyset-paged reads (up to 10,000 rows a
// page), Dataverse writes in $batch requests of up to 1,000 upserts (a few in parallel), and a
// checkpoint per (map, company, pass) committed with the page's links, so a crash resumes at the page
// it stopped in. Writes address rows by id found through the alternate key, so a replayed page
// updates instead of duplicating. Self references (InvoiceAccount) are written in a second pass.
import { randomUUID } from 'node:crypto';
import { encodeQuery, eq } from '../clients/odata/literals';
import type { BatchOperation } from '../clients/odata/batch';
import type { DvRow } from '../clients/dataverse-client';
import type { FnoRecord } from '../clients/fno-client';
import { fnoErrorMessage, parseJson, UpstreamError } from '../clients/upstream-error';
import type { InitialSyncOptions, InitialSyncProgress } from '../contracts/admin';
import { keyJson } from '../store/links-repo';
import type { Executor } from '../store/schema';
import { mergeChanges } from '../sync/conflict';
import { mapRow, type LookupRequest, type MapContext } from '../sync/mapping';
import { toODataFilter } from '../sync/maps/filters';
import { fieldId, inLegalEntityScope, lookupValueAttribute, type TableMap } from '../sync/maps/types';
import { fnoKeyOf } from '../sync/routing';
import { projectSnapshot } from '../sync/snapshot';
import type { SyncEngine } from './engine';
import { MapTransitionError } from './maps-repo';
import { nowIso } from './schema';
import { dvKeyText, expectedDvRow, pool } from './initial-sync-helpers';

export interface InitialSync {
  start(mapName: string, options: InitialSyncOptions): Promise<void>;
  progress(mapName: string): Promise<InitialSyncProgress>;
  /** Resumes runs a crash or restart interrupted (state still 'running'). */
  resumeInterrupted(): Promise<void>;
  /** Resolves when the run of a map ends (tests, CLI). */
  wait(mapName: string): Promise<void>;
  stop(): Promise<void>;
}

const BATCH_SIZE = 1000;
const PARALLEL_BATCHES = 4;

export function createInitialSync(engine: SyncEngine): InitialSync {
  const { fno, dataverse } = engine.ctx.clients;
  const db = engine.db;
  const runs = new Map<string, Promise<void>>();
  let stopping = false;

  const selfRefFields = (map: TableMap) => map.fields.filter((f) => f.transform?.kind === 'lookup' && f.transform.selfReference);

  async function companiesOf(map: TableMap, opts: InitialSyncOptions): Promise<string[]> {
    if (!map.fno.companyField) return ['*'];
    const rows = await fno.query('LegalEntities', { select: ['LegalEntityId'] });
    const all = rows.map((r) => String(r.LegalEntityId).toLowerCase()).filter((c) => inLegalEntityScope(map, c));
    const wanted = opts.legalEntities?.map((c) => c.toLowerCase());
    return (wanted ? all.filter((c) => wanted.includes(c)) : all).sort();
  }

  function baseFilter(map: TableMap, company: string, pass: number): string[] {
    const parts = [toODataFilter(map.filters?.fno)];
    if (map.fno.companyField && company !== '*') parts.push(eq(map.fno.companyField, company));
    if (pass === 2) parts.push(selfRefFields(map).map((f) => `${f.fno} ne ''`).join(' or '));
    return parts.filter(Boolean).map((p) => (p.includes(' or ') ? `(${p})` : p));
  }

  async function countOf(map: TableMap, company: string, pass: number): Promise<number> {
    const q = encodeQuery({ $filter: baseFilter(map, company, pass).join(' and ') || undefined, $count: 'true', $top: 0, 'cross-company': 'true' });
    const res = await fno.raw({ method: 'GET', path: `/${map.fno.entitySet}${q}` });
    const body = parseJson(res.text) as { '@odata.count'?: number } | undefined;
    if (res.status !== 200) throw new UpstreamError('fno', res.status, fnoErrorMessage(body, res.status), body);
    return Number(body?.['@odata.count'] ?? 0);
  }

  /** The single non-company key field pages by keyset; maps with compound keys read a company in one go. */
  const pageKey = (map: TableMap) => {
    const rest = map.fno.keys.filter((k) => k !== map.fno.companyField);
    return rest.length === 1 ? rest[0] : null;
  };

  async function readPage(map: TableMap, company: string, pass: number, after: string | null, size: number): Promise<FnoRecord[]> {
    const k = pageKey(map);
    const filter = baseFilter(map, company, pass);
    if (!k) return after === null ? fno.query(map.fno.entitySet, { filter: filter.join(' and ') || undefined, crossCompany: true, pageSize: size }) : [];
    if (after !== null) filter.push(`${k} gt ${`'${after.replace(/'/g, "''")}'`}`);
    return fno.query(map.fno.entitySet, { filter: filter.join(' and ') || undefined, orderby: k, top: size, crossCompany: true, pageSize: size, limit: size });
  }

  /** Every Dataverse row of the map's table in one company, by alternate key text. */
  async function dvIndex(map: TableMap, company: string): Promise<Map<string, DvRow>> {
    let filter: string | undefined;
    if (map.dataverse.companyLookup && company !== '*') {
      const id = await engine.lookups.companyId(company);
      if (!id) throw new Error(`Dataverse has no cdm_company for legal entity ${company}: run the legal-entities map first`);
      filter = `${lookupValueAttribute(map.dataverse.companyLookup)} eq ${id}`;
    }
    const rows = await dataverse.list(map.dataverse.entitySet, { filter });
    return new Map(rows.map((r) => [dvKeyText(map, r), r]));
  }

  function contextWith(index: Map<string, DvRow>, map: TableMap): MapContext {
    return {
      resolveLookup(req: LookupRequest) {
        if (req.want === 'id' && req.lookup.selfReference) {
          const row = index.get(req.value.toLowerCase());
          return row ? String(row[map.dataverse.primaryId]) : null;
        }
        return engine.lookups.resolveLookup(req);
      },
    };
  }

  async function processPage(map: TableMap, company: string, pass: number, rows: FnoRecord[], index: Map<string, DvRow>, opts: InitialSyncOptions) {
    const ctx = contextWith(index, map);
    const ops: { op: BatchOperation; key: Record<string, string>; link?: Parameters<typeof engine.ctx.repos.links.upsert>[0] }[] = [];
    const failures: { key: string; reason: string }[] = [];
    const winner = opts.winner ?? (map.conflictPolicy.kind === 'primary' ? map.conflictPolicy.side : 'fno');
    const only = pass === 2 ? selfRefFields(map).map(fieldId) : undefined;
    for (const row of rows) {
      const key = fnoKeyOf(map, row);
      if (!key) { failures.push({ key: JSON.stringify(row), reason: 'the record has an empty key field' }); continue; }
      try {
        const r = await mapRow(map, 'fno_to_dataverse', row, ctx, { only });
        const problems = r.problems;
        if (problems.length) { failures.push({ key: keyJson(key), reason: problems.map((p) => p.message).join('; ') }); continue; }
        const dvKey = dvKeyText(map, r.key);
        const existing = index.get(dvKey);
        if (pass === 2) {
          if (existing && Object.keys(r.payload).some((k) => k.endsWith('@odata.bind') && !map.fields.some((f) => f.key && k.startsWith(`${f.dataverse}@`)))) {
            ops.push({ op: { method: 'PATCH', url: dataverse.url(map.dataverse.entitySet, String(existing[map.dataverse.primaryId])), headers: { 'If-Match': '*' }, body: r.payload }, key });
          }
          continue;
        }
        let body = r.payload;
        let id: string;
        let headers: Record<string, string>;
        if (existing) {
          id = String(existing[map.dataverse.primaryId]);
          const merge = mergeChanges({ map, base: null, fno: projectSnapshot(map, 'fno', row), dataverse: projectSnapshot(map, 'dataverse', existing), initialWinner: winner });
          const fields = new Set(merge.toDataverse);
          const m2 = await mapRow(map, 'fno_to_dataverse', row, ctx, { only: [...fields] });
          body = Object.fromEntries(Object.entries(m2.payload).filter(([k]) => !map.dataverse.alternateKey.some((a) => k === a || k === `${a}@odata.bind`)));
          headers = { 'If-Match': '*' };
        } else {
          id = randomUUID();
          headers = { 'If-None-Match': '*' };
        }
        const after = expectedDvRow(map, existing ?? { [map.dataverse.primaryId]: id }, body);
        index.set(dvKey, after);
        const link = {
          mapName: map.name, dataverseTable: map.dataverse.table, dataverseId: id, fnoEntity: map.fno.entitySet, fnoKey: key,
          fnoEtag: row['@odata.etag'] ?? null, lastSyncedAt: nowIso(), lastDirection: 'fno_to_dataverse' as const,
          snapshot: { fno: projectSnapshot(map, 'fno', row), dataverse: projectSnapshot(map, 'dataverse', after) },
        };
        if (Object.keys(body).length === 0) { ops.push({ op: null as never, key, link }); continue; }
        ops.push({ op: { method: 'PATCH', url: dataverse.url(map.dataverse.entitySet, id), headers, body }, key, link });
      } catch (err) {
        failures.push({ key: keyJson(key), reason: err instanceof Error ? err.message : String(err) });
      }
    }
    const writes = ops.filter((o) => o.op);
    const chunks: typeof writes[] = [];
    for (let i = 0; i < writes.length; i += BATCH_SIZE) chunks.push(writes.slice(i, i + BATCH_SIZE));
    const failed = new Set<(typeof ops)[number]>();
    await pool(chunks, PARALLEL_BATCHES, async (chunk) => {
      const res = await dataverse.batch(chunk.map((c) => c.op));
      res.parts.forEach((part, i) => {
        if (part.status >= 400 && chunk[i]) {
          failed.add(chunk[i]);
          failures.push({ key: keyJson(chunk[i].key), reason: res.failures.find((f) => f.part === part)?.message ?? `HTTP ${part.status}` });
        }
      });
    });
    return { links: ops.filter((o) => o.link && !failed.has(o)).map((o) => o.link!), failures };
  }

  async function runPass(map: TableMap, company: string, pass: number, opts: InitialSyncOptions): Promise<void> {
    let cp = await db.selectFrom('sync_initial_checkpoints').selectAll().where('map_name', '=', map.name).where('company', '=', company).where('pass', '=', pass).executeTakeFirst();
    if (cp?.completed) return;
    if (!cp) {
      cp = { map_name: map.name, company, pass, after_key: null, done: 0, total: await countOf(map, company, pass), completed: 0, updated_at: nowIso() };
      await db.insertInto('sync_initial_checkpoints').values(cp).execute();
    }
    const index = await dvIndex(map, company);
    const size = Math.min(opts.pageSize ?? 5000, 10_000);
    const k = pageKey(map);
    for (;;) {
      if (stopping) return;
      const t0 = Date.now();
      const rows = await readPage(map, company, pass, cp.after_key, size);
      const t1 = Date.now();
      const { links, failures } = rows.length ? await processPage(map, company, pass, rows, index, opts) : { links: [], failures: [] };
      const t2 = Date.now();
      const last: string | null = rows.length ? (k ? String(rows[rows.length - 1][k]) : '*') : cp.after_key;
      const completed = rows.length === 0 || !k || rows.length < size ? 1 : 0;
      const doneBefore = cp.done;
      await db.transaction().execute(async (trx) => {
        const linksRepo = engine.ctx.repos.links;
        for (const l of links) await linksRepo.upsert(l, trx as unknown as Executor);
        for (const f of failures) {
          await trx.insertInto('sync_initial_failures').values({ id: randomUUID(), map_name: map.name, company, record_key: f.key, reason: f.reason, at: nowIso() }).execute();
        }
        await trx.updateTable('sync_initial_checkpoints').set({ after_key: last, done: doneBefore + rows.length, completed, updated_at: nowIso() })
          .where('map_name', '=', map.name).where('company', '=', company).where('pass', '=', pass).execute();
        if (pass === 1) {
          await trx.updateTable('sync_initial_runs').set((eb) => ({ done: eb('done', '+', rows.length), failed: eb('failed', '+', failures.length), updated_at: nowIso() }))
            .where('map_name', '=', map.name).execute();
        }
      });
      engine.log.debug({ map: map.name, company, pass, rows: rows.length, readMs: t1 - t0, writeMs: t2 - t1, commitMs: Date.now() - t2 }, 'initial sync page');
      cp = { ...cp, after_key: last, done: cp.done + rows.length, completed };
      if (completed) return;
    }
  }

  async function run(name: string, opts: InitialSyncOptions): Promise<void> {
    const map = engine.mapsByName.get(name)!;
    if (map.direction === 'dataverse_to_fno') throw new Error(`map ${name} flows from Dataverse to F&O only; its initial sync is not supported yet`);
    const companies = await companiesOf(map, opts);
    if (opts.failedOnly) {
      const failed = await db.selectFrom('sync_initial_failures').selectAll().where('map_name', '=', name).execute();
      await db.deleteFrom('sync_initial_failures').where('map_name', '=', name).execute();
      for (const company of new Set(failed.map((f) => f.company))) {
        const rows: FnoRecord[] = [];
        for (const f of failed.filter((x) => x.company === company)) {
          const r = await fno.getByKey(map.fno.entitySet, JSON.parse(f.record_key) as Record<string, string>, { crossCompany: true }).catch(() => null);
          if (r) rows.push(r);
        }
        const index = await dvIndex(map, company);
        const { links, failures } = await processPage(map, company, 1, rows, index, opts);
        for (const l of links) await engine.ctx.repos.links.upsert(l);
        for (const f of failures) await db.insertInto('sync_initial_failures').values({ id: randomUUID(), map_name: name, company, record_key: f.key, reason: f.reason, at: nowIso() }).execute();
        await db.updateTable('sync_initial_runs').set({ failed: failures.length }).where('map_name', '=', name).execute();
      }
    } else {
      let total = 0;
      for (const c of companies) {
        const cp = await db.selectFrom('sync_initial_checkpoints').select('total').where('map_name', '=', name).where('company', '=', c).where('pass', '=', 1).executeTakeFirst();
        total += cp ? cp.total : await countOf(map, c, 1);
      }
      await db.updateTable('sync_initial_runs').set({ total }).where('map_name', '=', name).execute();
      for (const c of companies) await runPass(map, c, 1, opts);
      if (selfRefFields(map).length) for (const c of companies) await runPass(map, c, 2, opts);
    }
    if (stopping) return;
    await db.updateTable('sync_initial_runs').set({ state: 'done', finished_at: nowIso(), updated_at: nowIso() }).where('map_name', '=', name).execute();
    await engine.mapsRepo.transition(name, 'initial_sync_done');
    engine.worker.wake();
    engine.log.info({ map: name }, 'initial sync done; catching up with the changes kept meanwhile');
  }

  function launch(name: string, opts: InitialSyncOptions) {
    const p = run(name, opts).catch(async (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      engine.log.error({ map: name, err: message }, 'initial sync failed');
      await db.updateTable('sync_initial_runs').set({ state: 'failed', last_error: message, finished_at: nowIso(), updated_at: nowIso() }).where('map_name', '=', name).execute().catch(() => undefined);
      await engine.mapsRepo.transition(name, 'initial_sync_failed').catch(() => undefined);
    }).finally(() => runs.delete(name));
    runs.set(name, p);
  }

  return {
    async start(name, opts) {
      if (runs.has(name)) throw new MapTransitionError(`the initial sync of ${name} is already running`);
      const row = await engine.mapsRepo.get(name);
      if (row?.state !== 'initial_sync') await engine.mapsRepo.transition(name, 'start_initial_sync');
      if (opts.restart || !opts.failedOnly) {
        const prev = await db.selectFrom('sync_initial_runs').select('state').where('map_name', '=', name).executeTakeFirst();
        // A finished run (or an explicit restart) starts over; an interrupted one resumes from its checkpoints.
        if (opts.restart || prev?.state !== 'running') {
          await db.deleteFrom('sync_initial_checkpoints').where('map_name', '=', name).execute();
          await db.deleteFrom('sync_initial_failures').where('map_name', '=', name).execute();
        }
      }
      const now = nowIso();
      await db.deleteFrom('sync_initial_runs').where('map_name', '=', name).where('state', '!=', 'running').execute();
      await db.insertInto('sync_initial_runs').values({
        map_name: name, state: 'running', options: JSON.stringify(opts), total: 0, done: 0, failed: 0, started_at: now, finished_at: null, updated_at: now, last_error: null,
      }).onConflict((oc) => oc.column('map_name').doUpdateSet({ options: JSON.stringify(opts), updated_at: now })).execute();
      launch(name, opts);
    },

    async progress(name) {
      const r = await db.selectFrom('sync_initial_runs').selectAll().where('map_name', '=', name).executeTakeFirst();
      const cps = await db.selectFrom('sync_initial_checkpoints').selectAll().where('map_name', '=', name).orderBy('pass').orderBy('company').execute();
      const failures = await db.selectFrom('sync_initial_failures').selectAll().where('map_name', '=', name).orderBy('at').limit(1000).execute();
      const elapsed = r ? ((r.finished_at ? Date.parse(r.finished_at) : Date.now()) - Date.parse(r.started_at)) / 1000 : 0;
      const rate = r && elapsed > 0 ? r.done / elapsed : 0;
      return {
        map: name, state: r?.state ?? 'never', total: r?.total ?? 0, done: r?.done ?? 0, failed: r?.failed ?? 0, ratePerSecond: Math.round(rate * 10) / 10,
        etaSeconds: r?.state === 'running' && rate > 0 ? Math.max(0, Math.round((r.total - r.done) / rate)) : null,
        startedAt: r?.started_at ?? null, finishedAt: r?.finished_at ?? null, lastError: r?.last_error ?? null,
        companies: cps.map((c) => ({ company: c.company, pass: c.pass, done: c.done, total: c.total, completed: c.completed === 1 })),
        failures: failures.map((f) => ({ company: f.company, recordKey: f.record_key, reason: f.reason, at: f.at })),
      };
    },

    async resumeInterrupted() {
      const rows = await db.selectFrom('sync_initial_runs').selectAll().where('state', '=', 'running').execute();
      for (const r of rows) {
        if (!engine.mapsByName.has(r.map_name) || runs.has(r.map_name)) continue;
        engine.log.info({ map: r.map_name }, 'resuming an interrupted initial sync from its checkpoints');
        launch(r.map_name, JSON.parse(r.options) as InitialSyncOptions);
      }
    },

    async wait(name) {
      await runs.get(name);
    },

    async stop() {
      stopping = true;
      await Promise.allSettled([...runs.values()]);
    },
  };
}
