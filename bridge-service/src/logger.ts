// pino with redaction: tokens, secrets and webhook keys never reach the log.
import pino, { type DestinationStream, type Logger } from 'pino';

export const REDACT_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-bridge-webhook-key"]', 'req.headers["idempotency-key"]',
  'headers.authorization', '*.headers.authorization', 'authorization', '*.authorization',
  'token', '*.token', 'access_token', '*.access_token', 'clientSecret', '*.clientSecret', '*.*.clientSecret', 'client_secret', '*.client_secret',
  'webhookSecret', '*.webhookSecret', 'password', '*.password',
];

/** Drops values of query parameters that carry secrets (Dataverse WebhookKey sends ?code=). */
export function scrubUrl(url: string): string {
  return url.replace(/([?&](?:code|access_token|token|key|sig)=)[^&]*/gi, '$1[Redacted]');
}

/** Request headers logged as sent; any other header is logged as [Redacted] (a secret sent under a wrong name included). */
const LOGGED_HEADERS = new Set([
  'host', 'user-agent', 'content-type', 'content-length', 'accept', 'origin', 'if-match', 'if-none-match', 'x-request-id',
  'x-ms-correlation-request-id', 'x-ms-dynamics-organization', 'x-ms-dynamics-entity-name', 'x-ms-dynamics-request-name', 'x-ms-dynamics-msg-size-exceeded',
]);

export function createLogger(level: string, stream?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
      serializers: {
        req: (req: { method: string; url: string; headers: Record<string, unknown>; id: string }) => ({
          id: req.id, method: req.method, url: scrubUrl(req.url),
          headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, LOGGED_HEADERS.has(k) ? v : '[Redacted]'])),
        }),
      },
    },
    stream,
  );
}
