// A fake lookup resolver for mapping unit tests: answers from a small table of related rows (companies, groups, terms)
// and records what it was asked.
import type { LookupRequest, MapContext } from '../../src/sync/core/mapping';

export interface FakeRow { entitySet: string; id: string; key: string; company?: string }

export function fakeLookups(rows: readonly FakeRow[]): MapContext & { asked: LookupRequest[] } {
  const asked: LookupRequest[] = [];
  return {
    asked,
    resolveLookup(req) {
      asked.push(req);
      const row = req.want === 'id'
        ? rows.find((r) => r.entitySet === req.lookup.entitySet && r.key === req.value && (!req.company || r.company === req.company))
        : rows.find((r) => r.entitySet === req.lookup.entitySet && r.id === req.id);
      if (!row) return null;
      return req.want === 'id' ? row.id : row.key;
    },
  };
}
