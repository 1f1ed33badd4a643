// Resolves lookup columns for mapRow: key value -> Dataverse id and back, cached per process. Only hits
// are cached (a missing row may be created a moment later); entries expire so renamed keys heal.
import type { DataverseClient } from '../../clients/dataverse-client';
import { eq } from '../../clients/odata/literals';
import type { LookupRequest, MapContext } from '../core/mapping';
import { COMPANY_LOOKUP, lookupValueAttribute, type TableMap } from '../core/maps/types';

export interface LookupCache extends MapContext {
  /** The Dataverse id of a company (cdm_company) by its code, e.g. 'usmf'. */
  companyId(code: string): Promise<string | null>;
  /** The company code of a cdm_company id. */
  companyCode(id: string): Promise<string | null>;
  /** The default owning team of a cdm_company id (the owner of the rows the bridge creates for it), if it has one. */
  owningTeamOf(companyId: string): Promise<string | null>;
  clear(): void;
}

export function createLookupCache(dataverse: DataverseClient, maps: readonly TableMap[], ttlMs = 5 * 60_000): LookupCache {
  const cache = new Map<string, { value: string; until: number }>();
  const inflight = new Map<string, Promise<string | null>>();

  /** The company column of a related table: taken from the map that syncs that table. */
  const companyColumnOf = (table: string): string =>
    maps.find((m) => m.dataverse.table === table)?.dataverse.companyLookup ?? 'msdyn_company';

  async function load(req: LookupRequest): Promise<string | null> {
    const t = req.lookup;
    if (req.want === 'key') {
      const row = await dataverse.get(t.entitySet, req.id, { select: [t.keyColumn] });
      const v = row?.[t.keyColumn];
      return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
    }
    const idColumn = `${t.table}id`;
    const filters = [eq(t.keyColumn, req.value)];
    if (t.companyScoped && req.company) {
      const companyId = await resolveLookup({ want: 'id', lookup: COMPANY_LOOKUP, value: req.company });
      if (!companyId) return null;
      filters.push(`${lookupValueAttribute(companyColumnOf(t.table))} eq ${companyId}`);
    }
    const rows = await dataverse.list(t.entitySet, { filter: filters.join(' and '), select: [idColumn], top: 1 });
    const id = rows[0]?.[idColumn];
    return typeof id === 'string' ? id.toLowerCase() : null;
  }

  function cacheKey(req: LookupRequest): string {
    return req.want === 'key' ? `k|${req.lookup.entitySet}|${req.id.toLowerCase()}`
      : `i|${req.lookup.entitySet}|${req.lookup.keyColumn}|${req.company?.toLowerCase() ?? ''}|${req.value.toLowerCase()}`;
  }

  async function resolveLookup(req: LookupRequest): Promise<string | null> {
    const key = cacheKey(req);
    const hit = cache.get(key);
    if (hit && hit.until > Date.now()) return hit.value;
    const running = inflight.get(key);
    if (running) return running;
    const p = load(req).then((v) => {
      if (v !== null) cache.set(key, { value: v, until: Date.now() + ttlMs });
      return v;
    }).finally(() => inflight.delete(key));
    inflight.set(key, p);
    return p;
  }

  /**
   * Cached for the TTL, a company without a team too (as ''): every row created for it would otherwise read the company
   * again. An admin who sets or changes a company's team is heard within the TTL.
   */
  async function owningTeamOf(companyId: string): Promise<string | null> {
    const key = `o|${companyId.toLowerCase()}`;
    const hit = cache.get(key);
    if (hit && hit.until > Date.now()) return hit.value || null;
    const row = await dataverse.get(COMPANY_LOOKUP.entitySet, companyId, { select: ['_cdm_defaultowningteam_value'] });
    const team = row?._cdm_defaultowningteam_value;
    const value = typeof team === 'string' ? team.toLowerCase() : '';
    cache.set(key, { value, until: Date.now() + ttlMs });
    return value || null;
  }

  return {
    resolveLookup,
    owningTeamOf,
    companyId: (code) => resolveLookup({ want: 'id', lookup: COMPANY_LOOKUP, value: code }),
    companyCode: (id) => resolveLookup({ want: 'key', lookup: COMPANY_LOOKUP, id }),
    clear: () => cache.clear(),
  };
}
