// The internal organisation of a legal entity and the organisation hierarchy types: Microsoft's dual-write maps
// "Legal entities to msdyn_internalorganizations" and "Organization hierarchy type to
// msdyn_internalorganizationhierarchytypes" (LegalEntities-msdyn-internalorganizations.md and
// OrganizationHierarchyType-msdyn-internalorganizationhierarchytypes.md in MicrosoftDocs/
// dynamics-365-unified-operations-public, articles/fin-ops-core/dev-itpro/data-entities/dual-write/includes/).
import type { LookupTransform, TableMap } from '../types';

/** msdyn_internalorganization.msdyn_type of a legal entity: the default value Microsoft's legal-entity map writes. */
export const LEGAL_ENTITY_ORGANISATION_TYPE = 806380000;

const internalOrganisations = {
  entitySet: 'msdyn_internalorganizations', table: 'msdyn_internalorganization', primaryId: 'msdyn_internalorganizationid',
  alternateKey: ['msdyn_partynumber'], modifiedField: 'modifiedon',
} as const;

export const legalEntityOrganisations: TableMap = {
  name: 'legal-entity-organisations',
  description: 'F&O legal entities -> Dataverse internal organisations (one way), so hierarchy relations find them',
  direction: 'fno_to_dataverse',
  // LegalEntities has PartyNumber, NameAlias and LanguageId in the real metadata (test/fixtures/real/reference/
  // fo-metadata/LegalEntity.properties.tsv).
  fno: { entitySet: 'LegalEntities', keys: ['LegalEntityId'] },
  dataverse: internalOrganisations,
  fields: [
    // Dual-write keys internal organisations by party number, as the operating units' map does.
    { fno: 'PartyNumber', dataverse: 'msdyn_partynumber', dir: '>', key: true, required: true },
    { fno: 'LegalEntityId', dataverse: 'msdyn_companycode', dir: '>', required: true },
    { fno: 'Name', dataverse: 'msdyn_name', dir: '>' },
    { fno: 'NameAlias', dataverse: 'msdyn_namealias', dir: '>' },
    { fno: 'LanguageId', dataverse: 'msdyn_languageid', dir: '>' },
    { fno: null, dataverse: 'msdyn_type', dir: '>', default: LEGAL_ENTITY_ORGANISATION_TYPE },
  ],
  legalEntities: 'all',
  dependsOn: [],
  conflictPolicy: { kind: 'primary', side: 'fno' },
  // A legal entity deleted in F&O keeps its internal organisation (hierarchy relations refer to it), unlinked, as its
  // company row is kept (deactivated) by legal-entities.
  deletes: { fnoDeleted: 'unlink' },
};

/** msdyn_internalorganizationhierarchy.msdyn_hierarchytypeid: the hierarchy type row whose msdyn_name is the F&O name. */
export const HIERARCHY_TYPE_LOOKUP: LookupTransform = {
  kind: 'lookup', entitySet: 'msdyn_internalorganizationhierarchytypes', table: 'msdyn_internalorganizationhierarchytype',
  keyColumn: 'msdyn_name', companyScoped: false,
};

export const organisationHierarchyTypes: TableMap = {
  name: 'organisation-hierarchy-types',
  description: 'F&O organisation hierarchy types -> Dataverse internal organisation hierarchy types (one way)',
  direction: 'fno_to_dataverse',
  // Entity set and key (Name) from code generated off a real $metadata (SAP Cloud SDK client, ntrtd/d365-agent
  // packages/client/src/OrganizationHierarchyTypes.ts). The Dataverse table's alternate key is not documented: the
  // name, the only column Microsoft's map writes, is used (the sandbox keys the table so).
  fno: { entitySet: 'OrganizationHierarchyTypes', keys: ['Name'] },
  dataverse: {
    entitySet: 'msdyn_internalorganizationhierarchytypes', table: 'msdyn_internalorganizationhierarchytype',
    primaryId: 'msdyn_internalorganizationhierarchytypeid', alternateKey: ['msdyn_name'], modifiedField: 'modifiedon',
  },
  fields: [{ fno: 'Name', dataverse: 'msdyn_name', dir: '>', key: true, required: true }],
  legalEntities: 'all',
  dependsOn: [],
  conflictPolicy: { kind: 'primary', side: 'fno' },
  // A type still named by relations cannot go; kept and unlinked.
  deletes: { fnoDeleted: 'unlink' },
};
