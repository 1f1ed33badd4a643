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
    entraError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'. The sandbox supports client_credentials, password, on-behalf-of, the device code and refresh_token.`),
  badScope: (scope: string) =>
    entraError(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`),
  unknownUser: (username: string) =>
    entraError(400, 'invalid_grant', 50034, `The user account ${username} does not exist in the sandbox directory. Demo users: sales, controller, admin, guest.`),
  badAssertion: () =>
    entraError(400, 'invalid_grant', 50013, 'Assertion failed signature validation, has expired or is not a user token for the bridge API.'),
  // The device authorization grant. 70016 and 70019 are the numbers Entra writes; the others are the sandbox's choice.
  authorizationPending: () =>
    entraError(400, 'authorization_pending', 70016, 'The provided request has not yet been authorized by the user. The user must input their code.'),
  slowDown: (interval: number) =>
    entraError(400, 'slow_down', 70016, `The client polled sooner than the interval: poll every ${interval} seconds.`),
  authorizationDeclined: () =>
    entraError(400, 'authorization_declined', 70000, 'The user declined the sign-in request.'),
  expiredToken: () =>
    entraError(400, 'expired_token', 70019, 'Verification code expired.'),
  badVerificationCode: () =>
    entraError(400, 'bad_verification_code', 70000, 'The provided device code is not known to the sandbox (never issued, already redeemed, or from an older sandbox run).'),
  notPublicClient: () =>
    entraError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'. (The application does not allow public client flows.)"),
  badRefreshToken: () =>
    entraError(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.'),
  badPassword: () =>
    entraError(400, 'invalid_grant', 50126, 'Error validating credentials due to invalid username or password. The demo password is "demo".'),
};
