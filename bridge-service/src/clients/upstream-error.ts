// The errors the service clients throw: an error answer from F&O or Dataverse (with the readable message
// taken from the real error body), or a request that got no answer (HttpTransportError).
export type ServiceName = 'fno' | 'dataverse';

export class UpstreamError extends Error {
  constructor(
    readonly service: ServiceName,
    readonly status: number,
    message: string,
    readonly body?: unknown,
    /** The wait the service named in Retry-After (429, 503), for whoever retries later. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

export class HttpTransportError extends Error {
  constructor(
    readonly service: string,
    message: string,
    readonly timedOut: boolean,
    cause?: unknown,
    /** The connection was a reused keep-alive one and broke before any answer (see isStaleConnectionError). */
    readonly staleConnection = false,
    /** Never sent: the bridge refused it (a link to another origin). Retrying cannot help. */
    readonly refused = false,
  ) {
    super(message, { cause });
    this.name = 'HttpTransportError';
  }
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

interface ODataErrorBody { error?: { code?: unknown; message?: unknown; innererror?: { message?: unknown } } }

/** F&O puts the Infolog in error.innererror.message; error.message is usually "An error has occurred." */
export function fnoErrorMessage(body: unknown, status: number): string {
  const e = (body as ODataErrorBody | undefined)?.error;
  if (typeof e?.innererror?.message === 'string' && e.innererror.message.trim()) return e.innererror.message.trim();
  if (typeof e?.message === 'string' && e.message.trim()) return e.message.trim();
  return typeof body === 'string' && body.trim() ? body.trim().slice(0, 300) : `HTTP ${status}`;
}

/** Dataverse: {"error":{"code":"0x80040217","message":"..."}} */
export function dataverseErrorMessage(body: unknown, status: number): string {
  const e = (body as ODataErrorBody | undefined)?.error;
  if (typeof e?.message === 'string' && e.message.trim()) return e.message.trim();
  return typeof body === 'string' && body.trim() ? body.trim().slice(0, 300) : `HTTP ${status}`;
}
