// An answer given before the request body was read (413 for a body over the limit, 401 or 429 before parsing, a
// parse error midway) must reach the client. Fastify answers such a request at once with `Connection: close`, and
// Node closes the socket as soon as the answer is written. The client is still uploading the body it announced;
// closing a socket with unread data makes the kernel send a reset, the client's next write fails (EPIPE,
// ECONNRESET) and browsers and undici then report a network error instead of the answer (issue 15, point 11).
// So, before such an answer is written, the rest of the body is read and dropped, up to a cap in bytes and time;
// then the answer goes out with `Connection: close` and the connection ends with a normal FIN.
import fp from 'fastify-plugin';
import type { IncomingMessage } from 'node:http';

export interface UnreadBodyOptions {
  /** Most bytes read and dropped after an early answer; a client sending more gets the answer and a closed socket. */
  maxBytes: number;
  /** Longest wait for the rest of the body. */
  maxMs: number;
}

export const UNREAD_BODY_DEFAULTS: UnreadBodyOptions = { maxBytes: 64 * 1024 * 1024, maxMs: 10_000 };

/**
 * Whether part of the request body is still on its way: Node's parser has not reached the end of the message
 * (`complete`). What it has parsed is off the socket already, so closing then sends no reset.
 */
function bodyStillComing(raw: IncomingMessage): boolean {
  return !raw.complete && !raw.readableEnded && !raw.destroyed;
}

/** Reads and drops the rest of the request body; resolves when it ended, or failed, or a cap was reached. */
function drain(raw: IncomingMessage, opts: UnreadBodyOptions): Promise<'drained' | 'capped'> {
  return new Promise((resolve) => {
    let seen = 0;
    const done = (how: 'drained' | 'capped') => {
      clearTimeout(timer);
      raw.off('data', onData).off('end', onEnd).off('error', onEnd).off('close', onEnd);
      resolve(how);
    };
    const onData = (chunk: Buffer | string) => {
      seen += chunk.length;
      if (seen > opts.maxBytes) done('capped');
    };
    const onEnd = () => done('drained');
    const timer = setTimeout(() => done('capped'), opts.maxMs);
    raw.on('data', onData).on('end', onEnd).on('error', onEnd).on('close', onEnd);
    raw.resume();
  });
}

export default fp(
  async (app, given: Partial<UnreadBodyOptions>) => {
    const opts = { ...UNREAD_BODY_DEFAULTS, ...given };
    app.addHook('onSend', async (req, reply, payload) => {
      if (!bodyStillComing(req.raw)) return payload;
      void reply.header('connection', 'close');
      const how = await drain(req.raw, opts);
      if (how === 'capped') req.log.info({ maxBytes: opts.maxBytes, maxMs: opts.maxMs }, 'request body still coming after an early answer: answering and closing');
      return payload;
    });
  },
  { fastify: '5.x', name: 'bridge-unread-body' },
);
