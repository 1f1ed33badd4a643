import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ERROR_CATALOGUE } from '../src/contracts/errors';
import { BridgeError } from '../src/http/bridge-error';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('error catalogue', () => {
  const codes = Object.keys(ERROR_CATALOGUE);
  it('documents every code with its status in the README table, and nothing else', () => {
    const rows = [...readme.matchAll(/^\| `(FB_[A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(rows.map(([c]) => c).sort()).toEqual([...codes].sort());
    for (const [code, status] of rows) expect(ERROR_CATALOGUE[code as keyof typeof ERROR_CATALOGUE].status).toBe(status);
  });
  it('has unique codes and messages that say what to do', () => {
    expect(new Set(codes).size).toBe(codes.length);
    for (const [code, e] of Object.entries(ERROR_CATALOGUE)) {
      expect(code).toMatch(/^FB_[A-Z_]+$/);
      expect(e.message.split('. ').length).toBeGreaterThanOrEqual(2);
    }
  });
  it('fills the detail into the message', () => {
    const e = new BridgeError('FB_AUTH_FORBIDDEN', 'needs Finance.Write');
    expect(e.statusCode).toBe(403);
    expect(e.message).toContain('needs Finance.Write');
  });
});
