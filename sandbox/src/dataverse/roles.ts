// The sandbox's security roles and what each grants on user- and team-owned tables (a real role lists its privileges
// per table; the sandbox gives each role one set for every owned table). Depths are Dataverse's access levels.
export type Depth = 'user' | 'businessunit' | 'organization';
export interface Privileges { read?: Depth; write?: Depth }

export const ROLE_NAMES = {
  systemAdministrator: 'System Administrator',
  systemCustomizer: 'System Customizer',
  salesperson: 'Salesperson',
  /** Reads every owned row (an administrator's read; the demo admin holds it). */
  organisationReader: 'Organisation reader (sandbox)',
  /** Given to a company's readers team: its members read the rows owned in the company's business unit. */
  companyReader: 'Company reader (sandbox)',
  /** Given to a company's editors team: its members read and write them. */
  companyEditor: 'Company editor (sandbox)',
} as const;

export const ROLE_PRIVILEGES: Readonly<Record<string, Privileges>> = {
  [ROLE_NAMES.systemAdministrator]: { read: 'organization', write: 'organization' },
  [ROLE_NAMES.systemCustomizer]: { read: 'organization', write: 'organization' },
  // The user's own rows (and their teams'), wherever they are.
  [ROLE_NAMES.salesperson]: { read: 'user', write: 'user' },
  [ROLE_NAMES.organisationReader]: { read: 'organization' },
  [ROLE_NAMES.companyReader]: { read: 'businessunit' },
  [ROLE_NAMES.companyEditor]: { read: 'businessunit', write: 'businessunit' },
};
