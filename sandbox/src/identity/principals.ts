// The demo tenant, applications and people of the sandbox. Fixed values so that tokens, Dataverse
// systemuser rows and the bridge's configuration agree without set-up. Documented in the README.

export const TENANT_ID = '8d3c1f2e-5b7a-4c19-9e3f-1a2b3c4d5e6f';

/** The bridge's own API registration (what the controls ask a token for). */
export const BRIDGE_API = {
  clientId: '3f6b2a1e-9c4d-4e8f-a7b2-5d1c0e9f8a71',
  appIdUri: 'api://finops-bridge',
  scope: 'api://finops-bridge/user_impersonation',
} as const;

/** The bridge's service principal toward F&O and Dataverse (client credentials). */
export const BRIDGE_CLIENT = {
  clientId: 'c5a9e3d2-7b1f-4a6c-9e8d-2f4b6a8c0e13',
  clientSecret: 'sandbox-bridge-secret',
} as const;

/**
 * Further app registrations of the bridge, each an application user in Dataverse with the same security role:
 * service protection limits count per user, so the bridge can spread its bulk writes over them
 * (EXTRA_CLIENT_IDS, EXTRA_CLIENT_SECRETS). Client credentials with the secret only.
 */
export interface ExtraBridgeClient { clientId: string; clientSecret: string; oid: string; systemUserId: string; name: string }
export const EXTRA_BRIDGE_CLIENTS: readonly ExtraBridgeClient[] = [
  { clientId: 'c5a9e3d2-7b1f-4a6c-9e8d-2f4b6a8c0e14', clientSecret: 'sandbox-bridge-secret-2', oid: 'b71d9e0c-4c1a-4f0e-9d55-0a7c3e2b1f91', systemUserId: '5a1e0001-0000-4000-8000-0000000000b2', name: '# FinOps Bridge 2' },
  { clientId: 'c5a9e3d2-7b1f-4a6c-9e8d-2f4b6a8c0e15', clientSecret: 'sandbox-bridge-secret-3', oid: 'b71d9e0c-4c1a-4f0e-9d55-0a7c3e2b1f92', systemUserId: '5a1e0001-0000-4000-8000-0000000000b3', name: '# FinOps Bridge 3' },
];

/** The client id of the PCF controls' public client (MSAL in the browser). */
export const CONTROLS_CLIENT_ID = 'e1d2c3b4-a596-4877-8899-aabbccddeeff';

export type AppRole = 'Finance.Read' | 'Finance.Write' | 'Sync.Admin';

export interface DemoUser {
  name: 'sales' | 'controller' | 'admin' | 'guest';
  oid: string;
  displayName: string;
  upn: string;
  roles: AppRole[];
  /**
   * Legal entities (dataAreaId) whose rows the user reads in Dataverse: they are a member of the company's readers team,
   * whose role reads what is owned in the company's business unit (dataverse/seed.ts, caller.ts).
   */
  readCompanies: string[];
  /** Legal entities whose rows the user may also change (member of the company's editors team). */
  writeCompanies: string[];
  /** Holds an organisation-wide read role in Dataverse, as an administrator does: also reads rows other users own. */
  readsEveryRow?: boolean;
  /** Dataverse systemuser id. */
  systemUserId: string;
  uiLanguage: number;
}

export const DEMO_USERS: readonly DemoUser[] = [
  {
    name: 'sales', oid: '11111111-aaaa-4aaa-8aaa-000000000001', displayName: 'Sanne de Vries',
    upn: 'sanne.devries@contoso.example', roles: ['Finance.Read'],
    readCompanies: ['usmf', 'nlmf'], writeCompanies: [],
    systemUserId: '5a1e0001-0000-4000-8000-000000000001', uiLanguage: 1043,
  },
  {
    name: 'controller', oid: '11111111-aaaa-4aaa-8aaa-000000000002', displayName: 'Lars Öberg',
    upn: 'lars.oberg@contoso.example', roles: ['Finance.Read', 'Finance.Write'],
    readCompanies: ['usmf', 'nlmf', 'semf'], writeCompanies: ['nlmf', 'semf'],
    systemUserId: '5a1e0001-0000-4000-8000-000000000002', uiLanguage: 1053,
  },
  {
    name: 'admin', oid: '11111111-aaaa-4aaa-8aaa-000000000003', displayName: 'Alex Morgan',
    upn: 'alex.morgan@contoso.example', roles: ['Sync.Admin'],
    readCompanies: ['usmf', 'nlmf', 'semf'], writeCompanies: [], readsEveryRow: true,
    systemUserId: '5a1e0001-0000-4000-8000-000000000003', uiLanguage: 1033,
  },
  {
    name: 'guest', oid: '11111111-aaaa-4aaa-8aaa-000000000004', displayName: 'Guest User',
    upn: 'guest@contoso.example', roles: [],
    readCompanies: [], writeCompanies: [],
    systemUserId: '5a1e0001-0000-4000-8000-000000000004', uiLanguage: 1033,
  },
];

/** The systemuser row the bridge's application user maps to in Dataverse. */
export const BRIDGE_SYSTEM_USER_ID = '5a1e0001-0000-4000-8000-0000000000b1';
