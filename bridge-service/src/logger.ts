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

export function createLogger(level: string, stream?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
      serializers: {
        req: (req: { method: string; url: string; headers: Record<string, unknown>; id: string }) => ({
          id: req.id, method: req.method, url: scrubUrl(req.url), headers: { ...req.headers },
        }),
      },
    },
    stream,
  );
}
