import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createServer } from 'node:net';
import { startIssuer, type IssuerServer } from '../../src/identity/issuer';
import { createVerifier } from '../../src/identity/verify';
import { createFnoServer, type FnoServer } from '../../src/fno/server';
import { generateFnoData } from '../../src/demo-data/generate';

let issuer: IssuerServer;
let fno: FnoServer;

const freePort = (): Promise<number> => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address() as { port: number }; s.close(() => resolve(port)); });
});

beforeAll(async () => {
  issuer = await startIssuer({ port: 0, host: '127.0.0.1' });
  const port = await freePort();
  fno = await createFnoServer({ data: generateFnoData({}), verify: createVerifier(issuer.issuer), audience: `http://127.0.0.1:${port}`, port });
});
afterAll(async () => { await fno.close(); await issuer.close(); });

describe('F&O sandbox with the sandbox issuer', () => {
  it('accepts a client-credentials token for its URL and rejects one for another audience', async () => {
    const good = await issuer.issue('bridge', fno.url);
    const ok = await fetch(`${fno.url}/data/LegalEntities`, { headers: { authorization: `Bearer ${good}` } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { value: { LegalEntityId: string }[] }).value.map((r) => r.LegalEntityId).sort()).toEqual(['nlmf', 'semf', 'usmf']);
    const wrong = await issuer.issue('bridge', 'http://127.0.0.1:1');
    const res = await fetch(`${fno.url}/data/LegalEntities`, { headers: { authorization: `Bearer ${wrong}` } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  });
});
