// Entra's token endpoint error body: OAuth error code plus an AADSTS number in the description.
import { randomUUID } from 'node:crypto';

export interface EntraError {
  status: number;
  body: Record<string, unknown>;
}

export function entraError(status: number, error: string, aadsts: number, text: string): EntraError {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${aadsts}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
    },
  };
}

export const errors = {
  missingParam: (name: string) =>
    entraError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  unknownTenant: (tenant: string) =>
    entraError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found. Use the sandbox tenant id from sandbox/src/identity/principals.ts.`),
  unknownClient: (clientId: string) =>
    entraError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory 'sandbox'. Use BRIDGE_CLIENT.clientId or CONTROLS_CLIENT_ID.`),
  badSecret: (clientId: string) =>
    entraError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`),
  badGrant: (grant: string) =>
    entraError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'. The sandbox supports client_credentials and password.`),
  badScope: (scope: string) =>
    entraError(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`),
  unknownUser: (username: string) =>
    entraError(400, 'invalid_grant', 50034, `The user account ${username} does not exist in the sandbox directory. Demo users: sales, controller, admin, guest.`),
  badAssertion: () =>
    entraError(400, 'invalid_grant', 50013, 'Assertion failed signature validation, has expired or is not a user token for the bridge API.'),
  badPassword: () =>
    entraError(400, 'invalid_grant', 50126, 'Error validating credentials due to invalid username or password. The demo password is "demo".'),
};
