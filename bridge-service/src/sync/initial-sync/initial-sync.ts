// Initial sync of a map, F&O as the source: per legal entity, keyset-paged reads (up to 10,000 rows a
// page, mapped columns only), Dataverse writes in $batch requests of up to 1,000 (a few in parallel),
// and a checkpoint per (map, company, pass) committed with the page's links, so a crash resumes at the
// page it stopped in. Writes address rows by id found through the alternate key, so a replayed page
// updates instead of duplicating. Self references (InvoiceAccount) are written in a second pass.
// A read or batch that fails transiently (timeout, reset, 429/5xx) is retried with backoff a bounded
// number of times before the run fails; progress shows the retries.
import { eq, stringLiteral } from '../../clients/odata/literals';
import type { BatchOperation } from '../../clients/odata/batch';
import { DataverseClient } from '../../clients/dataverse-client';
import { FnoClient, type FnoRecord } from '../../clients/fno-client';
import type { InitialSyncFailureItem, InitialSyncOptions, InitialSyncProgress } from '../../contracts/admin';
import { matchesFilter, toODataFilter } from '../core/maps/filters';
import { inLegalEntityScope, lookupValueAttribute, mapFlows, type TableMap } from '../core/maps/types';
import { selectColumns } from '../core/routing';
import type { SyncEngine } from '../runtime/engine';
import { MapTransitionError } from '../../db/repos/maps';
import { nowIso } from '../../db/schema';
import { createInitialRunsRepo } from '../../db/repos/initial-runs';
import { loadIndex, type DvIndex } from './dataverse-index';
import { selfRefFields, writePage, type PageDeps } from './page';
import { DEFAULT_RETRY, errorText, InitialSyncStopped, withRetries, type RetryPolicy } from './retry';
import { forMap } from '../../clients/http';

export interface InitialSync {
  start(mapName: string, options: InitialSyncOptions): Promise<void>;
  progress(mapName: string): Promise<InitialSyncProgress>;
  /** Records the last initial syncs could not write, newest first, of every map or one. */
  failures(o: { map?: string; limit: number }): Promise<InitialSyncFailureItem[]>;
  /** Resumes runs a crash or restart interrupted (state still 'running'). */
  resumeInterrupted(): Promise<void>;
  /** Resolves when the run of a map ends (tests, CLI). */
  wait(mapName: string): Promise<void>;
  stop(): Promise<void>;
}

/** Retries of this process's runs, by map (kept in memory: a restarted run counts again). */
interface RetryStats { retries: number; lastTransientError: string | null }

/** The retry policy: the engine's backoff settings when given (tests shorten them), else DEFAULT_RETRY. */
export function retryPolicyOf(settings: SyncEngine['settings']): RetryPolicy {
  return {
    ...DEFAULT_RETRY,
    baseMs: settings.backoffBaseMs ?? DEFAULT_RETRY.baseMs,
    capMs: Math.min(settings.backoffCapMs ?? DEFAULT_RETRY.capMs, DEFAULT_RETRY.capMs),
  };
}

export function createInitialSync(engine: SyncEngine, policy: RetryPolicy = retryPolicyOf(engine.settings)): InitialSync {
  const { fno, dataverse } = engine.ctx.clients;
  // The $batch writes, the bulk of the run, go over every configured application user (clients/user-pool.ts).
  const bulkDataverse = engine.ctx.clients.bulk?.dataverse ?? dataverse;
  const store = createInitialRunsRepo(engine.db);
  const runs = new Map<string, Promise<void>>();
  const stats = new Map<string, RetryStats>();
  const stopper = new AbortController();
  let stopping = false;

  /** Runs one step with bounded retries, counting them in the map's progress. */
  function retried<T>(mapName: string, what: string, step: (attempt: number) => Promise<T>): Promise<T> {
    return withRetries(what, step, {
      policy, signal: stopper.signal,
      onRetry: (e) => {
        const s = stats.get(mapName) ?? { retries: 0, lastTransientError: null };
        s.retries++;
        s.lastTransientError = `${nowIso()} ${e.what}, try ${e.attempt} of ${policy.attempts}: ${e.error} (next try in ${Math.round(e.waitMs / 100) / 10} s)`;
        stats.set(mapName, s);
        engine.log.warn({ map: mapName, step: e.what, attempt: e.attempt, waitMs: e.waitMs, err: e.error }, 'initial sync step failed; retrying');
      },
    });
  }

  // Per map, clients whose requests carry the map (429s counted by map). The clients' errors carry the answer's
  // Retry-After themselves (UpstreamError.retryAfterMs).
  const perMap = new Map<string, { fno: FnoClient; dataverse: DataverseClient; bulk: DataverseClient }>();
  const clientsOf = (mapName: string) => {
    let c = perMap.get(mapName);
    if (!c) {
      c = { fno: new FnoClient(forMap(fno.http, mapName)), dataverse: new DataverseClient(forMap(dataverse.http, mapName)), bulk: new DataverseClient(forMap(bulkDataverse.http, mapName)) };
      perMap.set(mapName, c);
    }
    return c;
  };
  const withFno = <T>(mapName: string, use: (client: FnoClient) => Promise<T>): Promise<T> => use(clientsOf(mapName).fno);
  const withDataverse = <T>(mapName: string, use: (client: DataverseClient) => Promise<T>): Promise<T> => use(clientsOf(mapName).dataverse);

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

  function countOf(map: TableMap, company: string, pass: number): Promise<number> {
    return retried(map.name, `counting the F&O ${map.fno.entitySet} of ${company}`, () => withFno(map.name, (client) =>
      client.count(map.fno.entitySet, { filter: baseFilter(map, company, pass).join(' and ') || undefined, crossCompany: true })));
  }

  /** The single non-company key field pages by keyset; maps with compound keys read a company in one go. */
  const pageKey = (map: TableMap) => {
    const rest = map.fno.keys.filter((k) => k !== map.fno.companyField);
    return rest.length === 1 ? rest[0] : null;
  };

  function readPage(map: TableMap, company: string, pass: number, after: string | null, size: number): Promise<FnoRecord[]> {
    const k = pageKey(map);
    const filter = baseFilter(map, company, pass);
    // Only the columns the map reads: a whole F&O record is several times larger.
    const select = selectColumns(map, 'fno');
    if (!k && after !== null) return Promise.resolve([]);
    if (k && after !== null) filter.push(`${k} gt ${stringLiteral(after)}`);
    const what = `reading F&O ${map.fno.entitySet} of ${company}${after === null ? '' : ` after ${after}`}`;
    return retried(map.name, what, () => withFno(map.name, (client) => (k
      ? client.query(map.fno.entitySet, { filter: filter.join(' and ') || undefined, select, orderby: k, top: size, crossCompany: true, pageSize: size, limit: size })
      : client.query(map.fno.entitySet, { filter: filter.join(' and ') || undefined, select, crossCompany: true, pageSize: size }))));
  }

  /** The map's Dataverse rows of one company, by alternate key text (see DvIndex for what is kept). */
  async function dvIndex(map: TableMap, company: string, pass: number): Promise<DvIndex> {
    let filter: string | undefined;
    if (map.dataverse.companyLookup && company !== '*') {
      const id = await engine.lookups.companyId(company);
      if (!id) throw new Error(`Dataverse has no cdm_company for legal entity ${company}: run the legal-entities map first`);
      filter = `${lookupValueAttribute(map.dataverse.companyLookup)} eq ${id}`;
    }
    return retried(map.name, `reading the Dataverse ${map.dataverse.entitySet} of ${company}`, () =>
      withDataverse(map.name, (client) => loadIndex(client, map, { filter, keepColumns: pass === 1 })));
  }

  function pageDeps(mapName: string): PageDeps {
    return {
      dataverse,
      resolveLookup: (req) => engine.lookups.resolveLookup(req),
      owningTeamOf: (companyId) => engine.lookups.owningTeamOf(companyId),
      sendBatch: (ops: (attempt: number) => BatchOperation[], what: string) =>
        retried(mapName, what, (attempt) => clientsOf(mapName).bulk.batch(ops(attempt))),
      announce: (links) => store.announceLinks(links),
      keptAfterDelete: (map, recordKey) => engine.deletions.keptAfterDelete(map, 'fno', recordKey),
      linkedIds: async (keys) => {
        const map = engine.mapsByName.get(mapName)!;
        const links = await engine.ctx.repos.links.findManyByFno(map.name, map.fno.entitySet, keys);
        return new Map([...links].map(([key, link]) => [key, link.dataverseId]));
      },
    };
  }

  /**
   * Dataverse rows whose values go to F&O (rows Dataverse won, rows only Dataverse has) are queued as changes made in
   * Dataverse: the worker writes them to F&O once the initial sync is done, record by record through the applier (its
   * checks, conflicts and failure handling), and they show in the map's pending count meanwhile.
   */
  async function queueToFno(map: TableMap, ids: readonly string[], why: string): Promise<void> {
    if (ids.length === 0) return;
    const stamp = Date.now();
    await engine.queue.enqueue(ids.map((id) => ({ mapName: map.name, side: 'dataverse' as const, recordKey: id.toLowerCase(), message: 'Update' as const, dedupeKey: `initial|${why}|${stamp}|${id}` })));
    engine.log.info({ map: map.name, rows: ids.length, why }, 'initial sync queued Dataverse rows for F&O');
  }

  /** After a company's first pass: the company's Dataverse rows no F&O record matched (none has a link), for F&O. */
  async function queueDataverseOnly(map: TableMap, index: DvIndex): Promise<void> {
    if (!mapFlows(map, 'dataverse_to_fno')) return;
    const read = [...index.readRows()].filter((r) => matchesFilter(map.filters?.dataverse, r.row));
    const linked = await engine.ctx.repos.links.findManyByDataverse(map.name, map.dataverse.table, read.map((r) => r.id));
    await queueToFno(map, read.filter((r) => !linked.has(r.id)).map((r) => r.id), 'dataverse-only');
  }

  async function runPass(map: TableMap, company: string, pass: number, opts: InitialSyncOptions): Promise<void> {
    let cp = await store.checkpoint(map.name, company, pass);
    if (cp?.completed) return;
    if (!cp) {
      cp = { map_name: map.name, company, pass, after_key: null, done: 0, total: await countOf(map, company, pass), completed: 0, updated_at: nowIso() };
      await store.createCheckpoint(cp);
    }
    const index = await dvIndex(map, company, pass);
    const size = Math.min(opts.pageSize ?? 5000, 10_000);
    const k = pageKey(map);
    const deps = pageDeps(map.name);
    let after = cp.after_key;
    // The next page is read while this one is written (keyset: its start is this page's last key).
    let reading = readPage(map, company, pass, after, size);
    for (;;) {
      if (stopping) { await reading.catch(() => undefined); return; }
      const t0 = Date.now();
      const rows = await reading;
      const t1 = Date.now();
      const last: string | null = rows.length ? (k ? String(rows[rows.length - 1][k]) : '*') : after;
      const completed = rows.length === 0 || !k || rows.length < size;
      if (!completed) {
        reading = readPage(map, company, pass, last, size);
        reading.catch(() => undefined); // awaited on the next turn; not an unhandled rejection meanwhile
      }
      const { links, failures, toFno } = rows.length ? await writePage(map, pass, rows, index, opts, deps) : { links: [], failures: [], toFno: [] };
      const t2 = Date.now();
      await store.commitPage({ mapName: map.name, company, pass, afterKey: last, completed, rows: rows.length, links, failures });
      await queueToFno(map, toFno, 'dataverse-won');
      if (completed && pass === 1) await queueDataverseOnly(map, index);
      engine.log.debug({ map: map.name, company, pass, rows: rows.length, waitReadMs: t1 - t0, writeMs: t2 - t1, commitMs: Date.now() - t2 }, 'initial sync page');
      after = last;
      if (completed) return;
    }
  }

  async function run(name: string, opts: InitialSyncOptions): Promise<void> {
    const map = engine.mapsByName.get(name)!;
    if (map.direction === 'dataverse_to_fno') throw new Error(`map ${name} flows from Dataverse to F&O only; its initial sync is not supported yet`);
    const companies = await companiesOf(map, opts);
    if (opts.failedOnly) {
      const failed = await store.takeFailures(name);
      let stillFailing = 0;
      for (const company of new Set(failed.map((f) => f.company))) {
        const rows: FnoRecord[] = [];
        for (const f of failed.filter((x) => x.company === company)) {
          const r = await fno.getByKey(map.fno.entitySet, JSON.parse(f.record_key) as Record<string, string>, { crossCompany: true }).catch(() => null);
          if (r) rows.push(r);
        }
        const index = await dvIndex(map, company, 1);
        const { links, failures, toFno } = await writePage(map, 1, rows, index, opts, pageDeps(name));
        await store.saveLinksAndFailures({ mapName: name, company, links, failures });
        await queueToFno(map, toFno, 'dataverse-won');
        stillFailing += failures.length;
        await store.setFailed(name, stillFailing);
      }
    } else {
      let total = 0;
      for (const c of companies) {
        const cp = await store.checkpoint(name, c, 1);
        total += cp ? cp.total : await countOf(map, c, 1);
      }
      await store.setTotal(name, total);
      for (const c of companies) await runPass(map, c, 1, opts);
      if (selfRefFields(map).length) for (const c of companies) await runPass(map, c, 2, opts);
    }
    if (stopping) return;
    await store.finish(name);
    await engine.mapsRepo.transition(name, 'initial_sync_done');
    engine.worker.wake();
    engine.log.info({ map: name }, 'initial sync done; catching up with the changes kept meanwhile');
  }

  function launch(name: string, opts: InitialSyncOptions) {
    const p = run(name, opts).catch(async (err: unknown) => {
      // Stopped while waiting to retry: the run stays 'running' and resumes from its checkpoints.
      if (err instanceof InitialSyncStopped) return;
      const message = errorText(err);
      engine.log.error({ map: name, err: message }, 'initial sync failed');
      await store.fail(name, message).catch(() => undefined);
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
        const prev = await store.get(name);
        // A finished run (or an explicit restart) starts over; an interrupted one resumes from its checkpoints.
        if (opts.restart || prev?.state !== 'running') {
          await store.clearProgress(name);
        }
      }
      stats.delete(name);
      await store.begin(name, opts);
      launch(name, opts);
    },

    async progress(name) {
      const r = await store.get(name);
      const cps = await store.checkpoints(name);
      const failures = await store.failures(name, 1000);
      const elapsed = r ? ((r.finished_at ? Date.parse(r.finished_at) : Date.now()) - Date.parse(r.started_at)) / 1000 : 0;
      const rate = r && elapsed > 0 ? r.done / elapsed : 0;
      return {
        map: name, state: r?.state ?? 'never', total: r?.total ?? 0, done: r?.done ?? 0, failed: r?.failed ?? 0, ratePerSecond: Math.round(rate * 10) / 10,
        etaSeconds: r?.state === 'running' && rate > 0 ? Math.max(0, Math.round((r.total - r.done) / rate)) : null,
        startedAt: r?.started_at ?? null, finishedAt: r?.finished_at ?? null, lastError: r?.last_error ?? null,
        retries: stats.get(name)?.retries ?? 0, lastTransientError: stats.get(name)?.lastTransientError ?? null,
        companies: cps.map((c) => ({ company: c.company, pass: c.pass, done: c.done, total: c.total, completed: c.completed === 1 })),
        failures: failures.map((f) => ({ company: f.company, recordKey: f.record_key, reason: f.reason, at: f.at })),
      };
    },

    async failures(o) {
      const rows = await store.recentFailures(o);
      return rows.map((f) => ({ map: f.map_name, company: f.company, recordKey: f.record_key, reason: f.reason, at: f.at }));
    },

    async resumeInterrupted() {
      const rows = await store.running();
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
      stopper.abort();
      await Promise.allSettled([...runs.values()]);
    },
  };
}
