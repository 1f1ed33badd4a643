import { loadConfig, type BridgeConfig } from '../../src/config';
import { API_APP_ID_URI, API_CLIENT_ID, ISSUER_V1, ISSUER_V2, TENANT } from './tokens';

export const FNO = 'http://fno.test';
export const DV = 'http://dv.test';
export const IDP = 'http://idp.test';

export function testConfig(extra: Record<string, string> = {}): BridgeConfig {
  return loadConfig({
    FNO_URL: FNO, DATAVERSE_URL: DV, AUTH_ISSUERS: `${ISSUER_V2},${ISSUER_V1}`, AUTH_TENANT_IDS: TENANT,
    AUTH_AUDIENCES: `${API_CLIENT_ID},${API_APP_ID_URI}`, CLIENT_ID: 'bridge-client', CLIENT_SECRET: 'very-secret-value-123',
    TOKEN_URL: `${IDP}/token`, LOG_LEVEL: 'info', HTTP_RETRIES: '1', DATA_DIR: '/tmp/unused', ...extra,
  });
}
