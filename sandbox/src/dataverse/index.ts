export { startDataverse, API_PATH, ORGANIZATION_ID, type DataverseServer, type DataverseServerOptions, type DataverseFaults } from './server';
export { dataverseSeedFrom, dvId, accountId, contactId, companyId, DATAVERSE_ANCHORS, SDK_MESSAGE_IDS, ON_HOLD_STATUS, ROLE_IDS } from './seed';
export { TABLES, TABLE_BY_NAME, TABLE_BY_SET } from './tables';
export { buildContext, toEntity } from './webhook-context';
