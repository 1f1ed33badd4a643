// OData v4 multipart $batch: writer and reader. The service answers 200 for the batch even when a part
// (or a whole changeset) failed, so the reader returns EVERY part with its own status.
import { randomUUID } from 'node:crypto';

export interface BatchOperation {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Absolute URL of the operation (services accept absolute or base-relative URLs). */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A top-level request, or a changeset whose operations succeed or fail together. */
export type BatchItem = BatchOperation | { changeset: BatchOperation[] };

export interface BatchPart {
  /** Content-ID when the service echoed one (changeset operations are numbered from 1). */
  contentId?: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** Index of the changeset this part belongs to among the batch items, or undefined for a top-level request. */
  changeset?: number;
}

const CRLF = '\r\n';

function writeOperation(op: BatchOperation, contentId?: number): string {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (contentId !== undefined) lines.push(`Content-ID: ${contentId}`);
  lines.push('', `${op.method} ${op.url} HTTP/1.1`);
  const headers: Record<string, string> = { 'OData-Version': '4.0', 'OData-MaxVersion': '4.0', Accept: 'application/json', ...op.headers };
  if (op.body !== undefined) headers['Content-Type'] = 'application/json';
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  lines.push('', op.body === undefined ? '' : JSON.stringify(op.body));
  return lines.join(CRLF);
}

/** Returns the body and its Content-Type header value. */
export function writeBatch(items: BatchItem[], boundary = `batch_${randomUUID()}`): { body: string; contentType: string } {
  const out: string[] = [];
  for (const item of items) {
    out.push(`--${boundary}`);
    if ('changeset' in item) {
      const cs = `changeset_${randomUUID()}`;
      out.push(`Content-Type: multipart/mixed; boundary=${cs}`, '');
      item.changeset.forEach((op, i) => out.push(`--${cs}`, writeOperation(op, i + 1)));
      out.push(`--${cs}--`);
    } else {
      out.push(writeOperation(item));
    }
  }
  out.push(`--${boundary}--`, '');
  return { body: out.join(CRLF), contentType: `multipart/mixed; boundary=${boundary}` };
}

export function boundaryOf(contentType: string): string | undefined {
  const m = /boundary=("?)([^";]+)\1/i.exec(contentType);
  return m?.[2];
}

function splitParts(text: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const chunks = text.split(delimiter);
  // chunks[0] is the preamble; a chunk starting with "--" is the close delimiter's epilogue.
  return chunks.slice(1).filter((c) => !c.startsWith('--')).map((c) => c.replace(/^\r?\n/, '').replace(/\r?\n$/, ''));
}

function splitHead(block: string): { head: Record<string, string>; rest: string; firstLine?: string } {
  const m = /\r?\n\r?\n/.exec(block);
  const headText = m ? block.slice(0, m.index) : block;
  const rest = m ? block.slice(m.index + m[0].length) : '';
  const head: Record<string, string> = {};
  let firstLine: string | undefined;
  for (const line of headText.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (/^HTTP\/\d/.test(line)) firstLine = line;
    else if (i > 0) head[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { head, rest, firstLine };
}

function parseHttpPart(block: string, changeset?: number): BatchPart {
  const mime = splitHead(block);
  const http = splitHead(mime.rest);
  const statusLine = http.firstLine ?? '';
  const status = Number(/^HTTP\/\d\.\d\s+(\d{3})/.exec(statusLine)?.[1] ?? NaN);
  if (!Number.isFinite(status)) throw new Error(`unreadable $batch part status line: ${JSON.stringify(statusLine.slice(0, 80))}`);
  const raw = http.rest.trim();
  let body: unknown = raw === '' ? undefined : raw;
  if (raw !== '') {
    try {
      body = JSON.parse(raw);
    } catch {
      /* keep text */
    }
  }
  return { contentId: mime.head['content-id'] ?? http.head['content-id'], status, headers: http.head, body, changeset };
}

/** Reads a $batch response into its parts, descending into changesets. */
export function parseBatchResponse(text: string, contentType: string): BatchPart[] {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new Error(`$batch response without a multipart boundary (Content-Type: ${contentType})`);
  const parts: BatchPart[] = [];
  splitParts(text, boundary).forEach((block, index) => {
    const { head, rest } = splitHead(block);
    const inner = boundaryOf(head['content-type'] ?? '');
    if (inner && /multipart\/mixed/i.test(head['content-type'] ?? '')) {
      for (const sub of splitParts(rest, inner)) parts.push(parseHttpPart(sub, index));
    } else {
      parts.push(parseHttpPart(block));
    }
  });
  return parts;
}
