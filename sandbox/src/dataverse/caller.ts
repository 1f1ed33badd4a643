// Who a request runs as, and what that systemuser may do. As in Dataverse, access to a user- or team-owned row follows
// its owner: the privileges of the caller's security roles, and of the roles of the teams they are a member of, at a
// depth (user: rows the caller or one of their teams owns; business unit: rows owned in the role holder's business
// unit; organisation: all). The demo's companies each have a business unit and owner team (seed.ts), as dual-write
// sets them up, so a company's rows are visible to whom that company's teams grant it, and to nobody by their
// msdyn_company column alone. That decides the company-striped tables (account, contact, msdyn_vendor); the other
// tables are read by every user and written by the application users only (the sandbox does not model their roles).
import { BRIDGE_SYSTEM_USER_ID, EXTRA_BRIDGE_CLIENTS } from '../identity/principals';
import type { SandboxPrincipal } from '../identity/verify';
import { dvErrors } from './errors';
import { ROLE_PRIVILEGES, type Depth } from './roles';
import { text, type DataverseStore, type Row } from './store';

/** What the caller's roles grant for one access right (read or write) on owned tables. */
export interface Grant {
  /** At user depth: rows owned by the caller or by a team they are a member of. */
  user: boolean;
  /** At business-unit depth: rows owned in these business units. */
  businessUnits: ReadonlySet<string>;
  organization: boolean;
}

export interface Caller {
  systemUserId: string;
  /** The application user (the bridge): full access to every table. */
  isApp: boolean;
  businessUnitId?: string;
  name: string;
  /** The caller and the teams they are a member of: the owners whose rows user-depth privileges reach. */
  principals: ReadonlySet<string>;
  read: Grant;
  write: Grant;
}

const NO_GRANT: Grant = { user: false, businessUnits: new Set(), organization: false };

/** The privileges of the user's own roles (held in their business unit) and of their teams' roles (in each team's). */
export function grantsOf(store: DataverseStore, systemUserId: string, businessUnitId: string | undefined): { principals: Set<string>; read: Grant; write: Grant } {
  const id = systemUserId.toLowerCase();
  const teams = store.all('teammembership').filter((m) => text(m.systemuserid).toLowerCase() === id).map((m) => text(m.teamid).toLowerCase());
  const held: Array<{ roleId: string; businessUnit: string | undefined }> = [
    ...store.all('systemuserroles').filter((r) => text(r.systemuserid).toLowerCase() === id).map((r) => ({ roleId: text(r.roleid), businessUnit: businessUnitId })),
    ...store.all('teamroles').filter((r) => teams.includes(text(r.teamid).toLowerCase()))
      .map((r) => ({ roleId: text(r.roleid), businessUnit: store.get('team', text(r.teamid))?._businessunitid_value as string | undefined })),
  ];
  const grant = () => ({ user: false, businessUnits: new Set<string>(), organization: false });
  const read = grant();
  const write = grant();
  const add = (g: ReturnType<typeof grant>, depth: Depth | undefined, bu: string | undefined) => {
    if (depth === 'organization') g.organization = true;
    else if (depth === 'businessunit') { g.user = true; if (bu) g.businessUnits.add(bu.toLowerCase()); } else if (depth === 'user') g.user = true;
  };
  for (const h of held) {
    const name = text(store.get('role', h.roleId)?.name);
    const p = ROLE_PRIVILEGES[name];
    if (!p) continue;
    add(read, p.read, h.businessUnit);
    add(write, p.write, h.businessUnit);
  }
  return { principals: new Set([id, ...teams]), read, write };
}

function findSystemUser(store: DataverseStore, oid: string): Row | undefined {
  return store.all('systemuser').find((u) => text(u.azureactivedirectoryobjectid).toLowerCase() === oid.toLowerCase());
}

function callerFromSystemUser(store: DataverseStore, u: Row, isApp: boolean): Caller {
  const id = String(u.systemuserid);
  const businessUnitId = u._businessunitid_value as string | undefined;
  const grants = isApp ? { principals: new Set([id.toLowerCase()]), read: NO_GRANT, write: NO_GRANT } : grantsOf(store, id, businessUnitId);
  return { systemUserId: id, isApp, businessUnitId, name: (text(u.fullname) || id), ...grants };
}

/** `delegate`: whether the application user holds prvActOnBehalfOfAnotherUser (the Delegate role), which impersonation needs. */
export function resolveCaller(store: DataverseStore, principal: SandboxPrincipal, callerObjectId: string | undefined, o: { delegate: boolean } = { delegate: true }): Caller {
  let self: Caller;
  if (principal.isApp) {
    // An extra app registration of the bridge is its own application user (found by its object id, as Dataverse
    // maps an app token to the application user of its app id); without that row its token is refused.
    const extra = EXTRA_BRIDGE_CLIENTS.some((c) => c.oid === principal.oid);
    const u = extra ? findSystemUser(store, principal.oid) : store.get('systemuser', BRIDGE_SYSTEM_USER_ID) ?? findSystemUser(store, principal.oid);
    if (!u) throw dvErrors.noUser(principal.oid);
    self = callerFromSystemUser(store, u, true);
  } else {
    const u = findSystemUser(store, principal.oid);
    if (!u) throw dvErrors.noUser(principal.oid);
    self = callerFromSystemUser(store, u, false);
  }
  if (!callerObjectId) return self;
  if (!self.isApp || !o.delegate) throw dvErrors.impersonationDenied(self.systemUserId);
  const target = findSystemUser(store, callerObjectId);
  if (!target) throw dvErrors.noUser(callerObjectId);
  return callerFromSystemUser(store, target, false);
}

export function callerForSystemUser(store: DataverseStore, systemUserId: string): Caller | undefined {
  const u = store.get('systemuser', systemUserId);
  if (!u) return undefined;
  const id = systemUserId.toLowerCase();
  return callerFromSystemUser(store, u, id === BRIDGE_SYSTEM_USER_ID || EXTRA_BRIDGE_CLIENTS.some((c) => c.systemUserId === id));
}

export interface Access { read: boolean; write: boolean }

const reaches = (g: Grant, caller: Caller, owner: string, businessUnit: string): boolean =>
  g.organization || g.businessUnits.has(businessUnit) || (g.user && caller.principals.has(owner));

/** The caller's access to a row: by its owner for a company-striped table (`byOwner`), else read-only for users. */
export function accessTo(caller: Caller, byOwner: boolean, row: Row): Access {
  if (caller.isApp) return { read: true, write: true };
  if (!byOwner) return { read: true, write: false };
  const owner = text(row._ownerid_value).toLowerCase();
  const businessUnit = text(row._owningbusinessunit_value).toLowerCase();
  return { read: reaches(caller.read, caller, owner, businessUnit), write: reaches(caller.write, caller, owner, businessUnit) };
}

/** RetrievePrincipalAccess's AccessRights text: flags joined by ", " as the platform writes them. */
export function accessRightsText(a: Access, isApp: boolean): string {
  if (isApp) return 'ReadAccess, WriteAccess, AppendAccess, AppendToAccess, CreateAccess, DeleteAccess, ShareAccess, AssignAccess';
  const flags: string[] = [];
  if (a.read) flags.push('ReadAccess');
  if (a.write) flags.push('WriteAccess', 'AppendAccess');
  if (a.read) flags.push('AppendToAccess');
  return flags.length ? flags.join(', ') : 'None';
}
