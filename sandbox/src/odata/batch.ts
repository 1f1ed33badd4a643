// OData $batch in the multipart/mixed format (what F&O and Dataverse both speak): a batch holds single
// requests and changesets; a changeset is itself multipart/mixed and is applied all-or-nothing.
import { randomUUID } from 'node:crypto';
import { ODataSyntaxError } from './filter';

export interface BatchRequest {
  method: string;
  /** As written in the part: absolute URL or a path relative to the service root. */
  url: string;
  headers: Record<string, string>;
  body: string;
  contentId?: string;
}
export type BatchPart = { kind: 'request'; request: BatchRequest } | { kind: 'changeset'; requests: BatchRequest[] };

export interface BatchResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  contentId?: string;
}
export type BatchResponsePart = { kind: 'response'; response: BatchResponse } | { kind: 'changeset'; responses: BatchResponse[] };

const CRLF = '\r\n';

export function boundaryOf(contentType: string | undefined): string {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  if (!contentType || !/^multipart\/mixed/i.test(contentType.trim()) || !m) {
    throw new ODataSyntaxError('A $batch request needs Content-Type: multipart/mixed; boundary=<boundary>.');
  }
  return m[1] ?? m[2];
}

/** Splits a multipart body into its raw parts (headers + body), accepting CRLF or bare LF. */
// A changeset without its closing delimiter is accepted (the real F&O sample request omits it).
function splitMultipart(body: string, boundary: string, requireClose = true): string[] {
  const text = body.replace(/\r\n/g, '\n');
  const delim = `--${boundary}`;
  const lines = text.split('\n');
  const parts: string[] = [];
  let current: string[] | null = null;
  let closed = false;
  for (const line of lines) {
    const trimmed = line.trimEnd();
    if (trimmed === `${delim}--`) {
      if (current) parts.push(current.join('\n'));
      current = null;
      closed = true;
      break;
    }
    if (trimmed === delim) {
      if (current) parts.push(current.join('\n'));
      current = [];
      continue;
    }
    if (current) current.push(line);
  }
  if (!closed && current) parts.push(current.join('\n'));
  if (!closed && requireClose) throw new ODataSyntaxError(`The multipart body does not end with the closing delimiter '--${boundary}--'.`);
  return parts;
}

function splitHead(raw: string): { headers: Record<string, string>; rest: string } {
  const idx = raw.indexOf('\n\n');
  const head = idx === -1 ? raw : raw.slice(0, idx);
  const rest = idx === -1 ? '' : raw.slice(idx + 2);
  const headers: Record<string, string> = {};
  for (const line of head.split('\n')) {
    if (line.trim() === '') continue;
    const c = line.indexOf(':');
    if (c === -1) throw new ODataSyntaxError(`Malformed header line in a $batch part: '${line}'.`);
    headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
  }
  return { headers, rest };
}

function parseHttpPart(raw: string): BatchRequest {
  const { headers: partHeaders, rest } = splitHead(raw);
  if (!/^application\/http/i.test(partHeaders['content-type'] ?? '')) {
    throw new ODataSyntaxError('Each $batch request part needs Content-Type: application/http.');
  }
  const lines = rest.replace(/^\n+/, '').split('\n');
  const m = /^(GET|POST|PATCH|PUT|DELETE|MERGE)\s+(\S+)(?:\s+HTTP\/1\.[01])?$/i.exec(lines[0]?.trim() ?? '');
  if (!m) throw new ODataSyntaxError(`Malformed request line in a $batch part: '${lines[0] ?? ''}'.`);
  const { headers, rest: body } = splitHead(lines.slice(1).join('\n'));
  const req: BatchRequest = { method: m[1].toUpperCase(), url: m[2], headers, body: body.trim() };
  const cid = partHeaders['content-id'] ?? headers['content-id'];
  if (cid !== undefined) req.contentId = cid;
  return req;
}

export function parseBatch(body: string, contentType: string | undefined): BatchPart[] {
  const boundary = boundaryOf(contentType);
  return splitMultipart(body, boundary).map((raw): BatchPart => {
    const { headers, rest } = splitHead(raw);
    const ct = headers['content-type'] ?? '';
    if (/^multipart\/mixed/i.test(ct)) {
      const inner = boundaryOf(ct);
      const requests = splitMultipart(rest, inner, false).map(parseHttpPart);
      for (const r of requests) {
        if (r.method === 'GET') throw new ODataSyntaxError('A changeset may hold only POST, PATCH, PUT and DELETE requests.');
      }
      return { kind: 'changeset', requests };
    }
    return { kind: 'request', request: parseHttpPart(raw) };
  });
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden',
  404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 412: 'Precondition Failed', 429: 'Too Many Requests',
  500: 'Internal Server Error', 503: 'Service Unavailable',
};

function serializeResponse(r: BatchResponse): string {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (r.contentId !== undefined) lines.push(`Content-ID: ${r.contentId}`);
  lines.push('', `HTTP/1.1 ${r.status} ${STATUS_TEXT[r.status] ?? ''}`.trimEnd());
  for (const [k, v] of Object.entries(r.headers ?? {})) lines.push(`${k}: ${v}`);
  lines.push('', r.body ?? '');
  return lines.join(CRLF);
}

/** Serializes a batch response like F&O: batchresponse_<uuid>, nested changesetresponse_<uuid>. */
export function serializeBatchResponse(parts: BatchResponsePart[]): { contentType: string; body: string } {
  const boundary = `batchresponse_${randomUUID()}`;
  const out: string[] = [];
  for (const p of parts) {
    out.push(`--${boundary}`);
    if (p.kind === 'response') {
      out.push(serializeResponse(p.response));
    } else {
      const cs = `changesetresponse_${randomUUID()}`;
      out.push(`Content-Type: multipart/mixed; boundary=${cs}`, '');
      for (const r of p.responses) out.push(`--${cs}`, serializeResponse(r));
      out.push(`--${cs}--`);
    }
  }
  out.push(`--${boundary}--`, '');
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: out.join(CRLF) };
}
