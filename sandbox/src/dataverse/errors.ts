// Dataverse Web API errors: `{"error":{"code":"0x...","message":"..."}}` with the platform's codes.
import type { LimitKind, Limits } from '../http/service-protection';
export class DataverseError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
  toBody(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export const dvErrors = {
  notFoundById: (table: string, id: string) => new DataverseError(404, '0x80040217', `Entity '${table}' With Id = ${id} Does Not Exist`),
  notFoundByKey: (table: string) => new DataverseError(404, '0x80040217', `A record with the specified key values does not exist in ${table} entity`),
  duplicateKey: () => new DataverseError(412, '0x80040237', 'A record with matching key values already exists.'),
  etagMismatch: () => new DataverseError(412, '0x80060882', "The version of the existing record doesn't match the RowVersion property provided."),
  unknownSet: (segment: string) => new DataverseError(404, '0x80060888', `Resource not found for the segment '${segment}'.`),
  unknownProperty: (table: string, prop: string) =>
    new DataverseError(400, '0x80060888', `Could not find a property named '${prop}' on type 'Microsoft.Dynamics.CRM.${table}'.`),
  badQuery: (message: string) => new DataverseError(400, '0x80060888', message),
  skipNotSupported: () => new DataverseError(400, '0x80060888', "The query parameter $skip is not supported. Page with Prefer: odata.maxpagesize and follow @odata.nextLink."),
  badRequest: (message: string) => new DataverseError(400, '0x80048d19', message),
  /** Never ignored silently: a client that sends FetchXML learns the sandbox does not run it. */
  fetchXmlNotServed: () => new DataverseError(400, '0x80040203',
    'The sandbox Dataverse does not run FetchXML queries (?fetchXml=): express the query with $filter, $select, $orderby and $expand.'),
  unauthorized: (why: string) => new DataverseError(401, '0x80072560', `The user is not authenticated: ${why}`, { 'WWW-Authenticate': 'Bearer authorization_uri=sandbox' }),
  noUser: (oid: string) =>
    new DataverseError(403, '0x80072560', `The user with Microsoft Entra object id ${oid} is not a member of the organization. Add a systemuser with azureactivedirectoryobjectid = ${oid}.`),
  impersonationDenied: (userId: string) =>
    new DataverseError(403, '0x80040220', `Principal user (Id=${userId}, type=8) is missing prvActOnBehalfOfAnotherUser privilege: only a user with the Delegate role (an application user given it) may send CallerObjectId.`),
  accessDenied: (userId: string, table: string, id: string, right: 'ReadAccess' | 'WriteAccess' | 'CreateAccess' | 'DeleteAccess') =>
    new DataverseError(403, '0x80040220',
      `SecLib::AccessCheckEx failed. Returned hr = -2147187962, ObjectID: ${id}, OwnerId: ${id}, OwnerIdType: 9 and CallingUser: ${userId}. ObjectTypeCode: ${table}, AccessRights: ${right}. The user is not in the owner team of this record's company.`),
  missingPrivilege: (userId: string, privilege: string) =>
    new DataverseError(403, '0x80040220', `Principal user (Id=${userId}, type=8) is missing ${privilege} privilege. Ask an administrator for a role that grants it.`),
  /** The three service protection errors, in the platform's codes and words (Dataverse "Service protection API limits"). */
  throttled: (limit: LimitKind, l: Limits, retryAfter: number) => {
    const [code, message] = limit === 'requests'
      ? ['0x80072322', `Number of requests exceeded the limit of ${l.maxRequests} over time window of ${l.windowSeconds} seconds.`]
      : limit === 'execution'
        ? ['0x80072321', `Combined execution time of incoming requests exceeded limit of ${(l.maxExecutionSeconds * 1000).toLocaleString('en-US')} milliseconds over time window of ${l.windowSeconds} seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.`]
        : ['0x80072326', `Number of concurrent requests exceeded the limit of ${l.maxConcurrent}.`];
    return new DataverseError(429, code, message, { 'Retry-After': String(retryAfter) });
  },
  pluginFailed: (message: string) => new DataverseError(400, '0x80040265', message),
};
