// What the FinOps Bridge solution itself declares: publisher, names and environment variables.
// The controls come from the controls build; everything else is fixed here.
import type { ControlComponent, EnvironmentVariableDefinition, Publisher, SolutionDescription } from './description';

export const PUBLISHER: Publisher = {
  uniqueName: 'FinOpsBridge',
  displayNames: [{ languageCode: 1033, text: 'FinOps Bridge' }],
  descriptions: [{ languageCode: 1033, text: 'FinOps Bridge' }],
  prefix: 'fob',
  optionValuePrefix: 36217,
};

export const SOLUTION_UNIQUE_NAME = 'FinOpsBridge';

/**
 * What `npm run build` declares as the controls' external service when FOB_BRIDGE_URL is not set: a name
 * under the reserved .invalid domain (RFC 2606), so a package built without the real address says so.
 */
export const PLACEHOLDER_BRIDGE_URL = 'https://bridge.invalid';

const INTRODUCED = '0.1.0.0';

export const ENVIRONMENT_VARIABLES: EnvironmentVariableDefinition[] = [
  {
    schemaName: 'fob_BridgeUrl',
    displayNames: [
      { languageCode: 1033, text: 'FinOps Bridge URL' },
      { languageCode: 1043, text: 'URL van FinOps Bridge' },
      { languageCode: 1053, text: 'URL för FinOps Bridge' },
    ],
    descriptions: [
      { languageCode: 1033, text: 'Base address of the FinOps Bridge service that the finance controls call, for example https://bridge.contoso.com.' },
      { languageCode: 1043, text: 'Basisadres van de FinOps Bridge-service die de financiële besturingselementen aanroepen, bijvoorbeeld https://bridge.contoso.com.' },
      { languageCode: 1053, text: 'Basadressen till FinOps Bridge-tjänsten som ekonomikontrollerna anropar, till exempel https://bridge.contoso.com.' },
    ],
    // No default: until an admin sets a value, the controls say which variable to set.
    type: 'String',
    introducedVersion: INTRODUCED,
    isRequired: false,
  },
  {
    schemaName: 'fob_BridgeAppId',
    displayNames: [
      { languageCode: 1033, text: 'FinOps Bridge API application ID' },
      { languageCode: 1043, text: 'Toepassings-id van de FinOps Bridge-API' },
      { languageCode: 1053, text: 'Program-ID för FinOps Bridge-API:t' },
    ],
    descriptions: [
      { languageCode: 1033, text: 'Application (client) ID of the Microsoft Entra app registration that exposes the FinOps Bridge API.' },
      { languageCode: 1043, text: 'Toepassings-id (client-id) van de Microsoft Entra-appregistratie die de FinOps Bridge-API beschikbaar stelt.' },
      { languageCode: 1053, text: 'Program-ID (klient-ID) för den Microsoft Entra-appregistrering som exponerar FinOps Bridge-API:t.' },
    ],
    type: 'String',
    introducedVersion: INTRODUCED,
    isRequired: false,
  },
  {
    schemaName: 'fob_BridgeScope',
    displayNames: [
      { languageCode: 1033, text: 'FinOps Bridge API scope' },
      { languageCode: 1043, text: 'Bereik van de FinOps Bridge-API' },
      { languageCode: 1053, text: 'Omfång för FinOps Bridge-API:t' },
    ],
    descriptions: [
      { languageCode: 1033, text: 'Delegated scope the controls request for the FinOps Bridge API, for example api://finops-bridge/user_impersonation.' },
      { languageCode: 1043, text: 'Gedelegeerd bereik dat de besturingselementen aanvragen voor de FinOps Bridge-API, bijvoorbeeld api://finops-bridge/user_impersonation.' },
      { languageCode: 1053, text: 'Delegerat omfång som kontrollerna begär för FinOps Bridge-API:t, till exempel api://finops-bridge/user_impersonation.' },
    ],
    type: 'String',
    introducedVersion: INTRODUCED,
    isRequired: false,
  },
];

export function finOpsBridgeSolution(version: string, managed: boolean, controls: ControlComponent[]): SolutionDescription {
  return {
    uniqueName: SOLUTION_UNIQUE_NAME,
    displayNames: [{ languageCode: 1033, text: 'FinOps Bridge' }],
    descriptions: [{ languageCode: 1033, text: 'Finance and Operations data and sync status on Dataverse forms, through the FinOps Bridge service.' }],
    version,
    managed,
    publisher: PUBLISHER,
    controls,
    environmentVariables: ENVIRONMENT_VARIABLES,
    baseLanguage: 1033,
  };
}
