// The request body as text, for the sandbox's three servers. A body over `maxBytes` rejects with the
// error `tooLarge` makes (each service answers it in its own error shape) and stops reading.
import type { IncomingMessage } from 'node:http';

export function readBody(req: IncomingMessage, maxBytes = Infinity, tooLarge: () => Error = () => new Error('The request body is too large.')): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) { reject(tooLarge()); req.destroy(); } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
