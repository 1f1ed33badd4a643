// Every manifest property name, in one place: ControlManifest.Input.xml and the code must agree.
export const FINANCE_PANEL_PROPS = {
  recordField: 'recordField',
  tableName: 'tableName',
  bridgeUrl: 'bridgeUrl',
  bridgeAppId: 'bridgeAppId',
  bridgeScope: 'bridgeScope',
  clientAppId: 'clientAppId',
  tenantId: 'tenantId',
  staleAfterMinutes: 'staleAfterMinutes',
} as const;

export const SYNC_STATUS_PROPS = {
  recordField: 'recordField',
  tableName: 'tableName',
  bridgeUrl: 'bridgeUrl',
  bridgeAppId: 'bridgeAppId',
  bridgeScope: 'bridgeScope',
  clientAppId: 'clientAppId',
  tenantId: 'tenantId',
  pollSeconds: 'pollSeconds',
} as const;

/** Dataverse environment variables (schema names) read when the manifest properties are empty. */
export const ENVIRONMENT_VARIABLES = {
  bridgeUrl: 'fob_BridgeUrl',
  bridgeAppId: 'fob_BridgeAppId',
  bridgeScope: 'fob_BridgeScope',
} as const;
