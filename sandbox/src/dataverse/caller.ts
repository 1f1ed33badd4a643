// Who a request runs as, and what that systemuser may do. A user reads a company's accounts and contacts when
// the user is in the company's owner team (principals.readCompanies) and writes them per writeCompanies.
import { BRIDGE_SYSTEM_USER_ID, DEMO_USERS, EXTRA_BRIDGE_CLIENTS } from '../identity/principals';
import type { SandboxPrincipal } from '../identity/verify';
import { dvErrors } from './errors';
import { text, type DataverseStore, type Row } from './store';

export interface Caller {
  systemUserId: string;
  /** The application user (the bridge): full access to every table. */
  isApp: boolean;
  readCompanies: string[];
  writeCompanies: string[];
  businessUnitId?: string;
  name: string;
}

function findSystemUser(store: DataverseStore, oid: string): Row | undefined {
  return store.all('systemuser').find((u) => text(u.azureactivedirectoryobjectid).toLowerCase() === oid.toLowerCase());
}

function callerFromSystemUser(u: Row, isApp: boolean): Caller {
  const id = String(u.systemuserid);
  const demo = DEMO_USERS.find((d) => d.systemUserId === id);
  return {
    systemUserId: id, isApp,
    readCompanies: demo?.readCompanies ?? [], writeCompanies: demo?.writeCompanies ?? [],
    businessUnitId: u._businessunitid_value as string | undefined, name: (text(u.fullname) || id),
  };
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
    self = callerFromSystemUser(u, true);
  } else {
    const u = findSystemUser(store, principal.oid);
    if (!u) throw dvErrors.noUser(principal.oid);
    self = callerFromSystemUser(u, false);
  }
  if (!callerObjectId) return self;
  if (!self.isApp || !o.delegate) throw dvErrors.impersonationDenied(self.systemUserId);
  const target = findSystemUser(store, callerObjectId);
  if (!target) throw dvErrors.noUser(callerObjectId);
  return callerFromSystemUser(target, false);
}

export function callerForSystemUser(store: DataverseStore, systemUserId: string): Caller | undefined {
  const u = store.get('systemuser', systemUserId);
  if (!u) return undefined;
  const id = systemUserId.toLowerCase();
  return callerFromSystemUser(u, id === BRIDGE_SYSTEM_USER_ID || EXTRA_BRIDGE_CLIENTS.some((c) => c.systemUserId === id));
}

/** The company code of a company-scoped row, through its msdyn_company lookup. */
export function companyCodeOf(store: DataverseStore, row: Row): string | undefined {
  const id = row._msdyn_company_value;
  if (typeof id !== 'string') return undefined;
  const c = store.get('cdm_company', id);
  return typeof c?.cdm_companycode === 'string' ? c.cdm_companycode.toLowerCase() : undefined;
}

export interface Access { read: boolean; write: boolean }

export function accessTo(store: DataverseStore, caller: Caller, companyScoped: boolean, row: Row): Access {
  if (caller.isApp) return { read: true, write: true };
  if (!companyScoped) return { read: true, write: false };
  const code = companyCodeOf(store, row);
  if (!code) return { read: false, write: false };
  return { read: caller.readCompanies.includes(code), write: caller.writeCompanies.includes(code) };
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
