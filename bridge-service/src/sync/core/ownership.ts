// Who owns a row the bridge creates in Dataverse. Dual-write sets the owner of every row it creates to the owner team
// of the row's company (Microsoft's "Company concept in Dataverse"), which is what makes Dataverse security split
// access by company: a row's msdyn_company alone decides nobody's access. The bridge does the same: a new row of a
// company-scoped map is bound to its company's default owning team (cdm_company.cdm_defaultowningteam, which an admin
// may change per company). A company without one leaves the row to Dataverse's default, the writing application user.
import type { TableMap } from './maps/types';

/** The cdm_company id a Dataverse payload of the map binds its company lookup to, if any. */
export function boundCompanyId(map: TableMap, payload: Readonly<Record<string, unknown>>): string | null {
  const column = map.dataverse.companyLookup;
  if (!column) return null;
  const bind = payload[`${column}@odata.bind`];
  const m = typeof bind === 'string' ? /\(([0-9a-fA-F-]{36})\)$/.exec(bind) : null;
  return m ? m[1].toLowerCase() : null;
}

/** The payload of a row to create, owned by `teamId` when there is one. Pure. */
export function ownedBy(payload: Readonly<Record<string, unknown>>, teamId: string | null): Record<string, unknown> {
  return teamId ? { ...payload, 'ownerid@odata.bind': `/teams(${teamId})` } : { ...payload };
}

/** The payload of a new row of `map`, owned by its company's default owning team (looked up by `owningTeamOf`). */
export async function withCompanyOwner(
  map: TableMap, payload: Readonly<Record<string, unknown>>, owningTeamOf: (companyId: string) => Promise<string | null>,
): Promise<Record<string, unknown>> {
  const company = boundCompanyId(map, payload);
  return ownedBy(payload, company ? await owningTeamOf(company) : null);
}
