import { describe, it, expect } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LANGUAGES, readResx } from './helpers';

const CONTROLS = ['FinancePanel', 'SyncStatus'];

function sources(dir: string): string {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'generated') out.push(sources(full));
    else if (e.isFile() && /\.tsx?$/.test(e.name) && !e.name.includes('.test.')) out.push(fs.readFileSync(full, 'utf8'));
  }
  return out.join('\n');
}

describe.each(CONTROLS)('%s resx', (control) => {
  const [en, nl, sv] = LANGUAGES.map((l) => readResx(control, l));

  it('has the same keys in English, Dutch and Swedish, none empty', () => {
    expect(Object.keys(nl).sort()).toEqual(Object.keys(en).sort());
    expect(Object.keys(sv).sort()).toEqual(Object.keys(en).sort());
    for (const table of [en, nl, sv]) for (const v of Object.values(table)) expect(v.trim()).not.toBe('');
  });

  it('is really translated (Dutch and Swedish differ from English in most texts)', () => {
    const keys = Object.keys(en);
    expect(keys.filter((k) => nl[k] !== en[k]).length / keys.length).toBeGreaterThan(0.8);
    expect(keys.filter((k) => sv[k] !== en[k]).length / keys.length).toBeGreaterThan(0.8);
  });

  it('keeps the same placeholders in every language', () => {
    for (const k of Object.keys(en)) {
      const ph = (s: string) => (s.match(/\{\d\}/g) ?? []).sort();
      expect([k, ph(nl[k])]).toEqual([k, ph(en[k])]);
      expect([k, ph(sv[k])]).toEqual([k, ph(en[k])]);
    }
  });

  it('defines every key the manifest names, and no description has an apostrophe (import rejects it)', () => {
    const manifest = fs.readFileSync(path.join(__dirname, '..', control, 'ControlManifest.Input.xml'), 'utf8');
    for (const m of manifest.matchAll(/(?:display-name-key|description-key)="([^"]+)"/g)) expect(Object.keys(en)).toContain(m[1]);
    for (const m of manifest.matchAll(/description-key="([^"]+)"/g)) for (const table of [en, nl, sv]) expect(table[m[1]]).not.toMatch(/['’]/);
  });

  it('defines every literal key the code asks for', () => {
    const code = sources(path.join(__dirname, '..', control)) + sources(path.join(__dirname, '..', 'common'));
    const used = new Set([...code.matchAll(/\bt\('([A-Za-z_]+)'\)/g)].map((m) => m[1]));
    expect(used.size).toBeGreaterThan(10);
    for (const key of used) {
      // Shared components use keys of both controls: only the ones this control's own code needs must exist.
      if (key.startsWith('Finance_') || key.startsWith('Edit_') || key.startsWith('Confirm_') || key.startsWith('Result_') || key.startsWith('Conflict_') || key.startsWith('Orders_') || key.startsWith('Invoices_') || key.startsWith('ReadOnly_')) {
        if (control === 'FinancePanel') expect([key, key in en]).toEqual([key, true]);
      } else if (key.startsWith('Sync_')) {
        if (control === 'SyncStatus') expect([key, key in en]).toEqual([key, true]);
      } else {
        expect([key, key in en]).toEqual([key, true]);
      }
    }
  });
});
