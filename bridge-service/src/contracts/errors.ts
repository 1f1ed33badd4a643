// The bridge's error answers: the body every error has, and the ONE catalogue of codes. Codes are stable:
// never rename or reuse a retired code. Every code is documented in bridge-service/README.md (a test checks it).
import { z } from 'zod';

/** Every error the bridge answers with has this body. `code` is stable (see the error catalogue). */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** Field-level details for validation errors, or the current values for a conflict. */
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export interface CatalogueEntry {
  status: number;
  /** What happened and what to do, shown to the caller. `%s` is replaced by the detail argument. */
  message: string;
}

export const ERROR_CATALOGUE = {
  FB_AUTH_MISSING_TOKEN: { status: 401, message: 'No bearer token was sent. Sign in and send an Authorization: Bearer <token> header.' },
  FB_AUTH_INVALID_TOKEN: { status: 401, message: 'The bearer token was rejected: %s. Get a new token for the bridge API and retry.' },
  FB_AUTH_FORBIDDEN: { status: 403, message: 'You are signed in but not allowed to do this: %s. Ask your administrator for access.' },
  FB_RECORD_FORBIDDEN: { status: 403, message: 'You may not change finance data of this record: %s. Ask your administrator for write access to the company.' },
  FB_VALIDATION: { status: 400, message: 'The request is not valid: %s. Correct the listed fields and send it again.' },
  FB_NOT_FOUND: { status: 404, message: 'Nothing was found at this address: %s. Check the URL.' },
  FB_ACCOUNT_NOT_FOUND: { status: 404, message: 'The account was not found or you may not read it: %s. Check that the record exists and that you have access to it.' },
  FB_ACCOUNT_NOT_LINKED: { status: 404, message: 'This account is not linked to an F&O customer: %s. Set its account number and company, or ask an admin to run the customer sync.' },
  FB_CONTACT_NOT_FOUND: { status: 404, message: 'The contact was not found or you may not read it: %s. Check that the record exists and that you have access to it.' },
  FB_CONTACT_NOT_LINKED: { status: 404, message: 'This contact is not linked to an F&O customer: %s. Set its contact person id (the customer account) and company, or ask an admin to run the customer sync for contacts (customers-contacts).' },
  FB_PRECONDITION_REQUIRED: { status: 428, message: 'This change needs an If-Match header: %s. Reload the finance data and send its etag as If-Match.' },
  FB_CONFLICT_ETAG: { status: 412, message: 'The customer was changed by someone else since you loaded it. Review the current values and apply your change again.' },
  FB_IDEMPOTENCY_MISMATCH: { status: 422, message: 'This Idempotency-Key was already used with a different request. Use a new key for a new change.' },
  FB_IDEMPOTENCY_IN_PROGRESS: { status: 409, message: 'A request with this Idempotency-Key is still being processed. Wait a moment and retry with the same key.' },
  FB_PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large: %s. Send a smaller body.' },
  FB_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request body must be JSON: %s. Send Content-Type: application/json.' },
  FB_RATE_LIMITED: { status: 429, message: 'Too many requests: %s. Wait and retry after the time in the Retry-After header.' },
  FB_UPSTREAM_FNO: { status: 502, message: 'Finance and Operations answered with an error: %s. Retry later; if it persists, give the request id to your administrator.' },
  FB_UPSTREAM_DATAVERSE: { status: 502, message: 'Dataverse answered with an error: %s. Retry later; if it persists, give the request id to your administrator.' },
  FB_UPSTREAM_AUTH: { status: 502, message: 'The bridge could not get a token for %s. An administrator should run finops-bridge doctor, which checks the bridge\'s credential (CLIENT_CREDENTIAL, CLIENT_ID and its secret, certificate or managed identity).' },
  FB_UPSTREAM_TIMEOUT: { status: 504, message: '%s did not answer in time. Retry later.' },
  FB_WEBHOOK_KEY_INVALID: { status: 401, message: 'The webhook was refused: %s. The service endpoint must send the bridge\'s webhook secret (DATAVERSE_WEBHOOK_SECRET) in x-bridge-webhook-key; run finops-bridge setup again to re-register it.' },
  FB_METRICS_TOKEN_INVALID: { status: 401, message: 'The metrics were refused: %s. Send the token set in METRICS_TOKEN as Authorization: Bearer <token>.' },
  FB_STORE_UNAVAILABLE: { status: 503, message: 'The bridge cannot reach its database, so the change was not stored: %s. Retry in a moment (Retry-After).' },
  FB_NOT_READY: { status: 503, message: 'The bridge is not ready: %s. Retry in a moment.' },
  FB_INTERNAL: { status: 500, message: 'Something went wrong inside the bridge. Retry; if it persists, give the request id to your administrator.' },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
