import { describe, expect, it } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DELIVERY_STATES, NOTIFICATION_KINDS } from '../../bridge-service/src/contracts/admin';
import { FAILING_JOB_STATES, MAP_STATES } from '../../bridge-service/src/contracts/states';
import { initialLcid, parseResx, translator, LANGUAGES, type ResxSet } from './console-strings';

const own = (lcid: number) => parseResx(fs.readFileSync(path.join(__dirname, 'strings', `AdminConsole.${lcid}.resx`), 'utf8'));
const [en, nl, sv] = LANGUAGES.map((l) => own(l.lcid));
const syncEn = parseResx(fs.readFileSync(path.join(__dirname, '..', 'SyncStatus', 'strings', 'SyncStatus.1033.resx'), 'utf8'));

function sources(dir: string): string {
  return fs.readdirSync(dir, { withFileTypes: true }).map((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return /\.tsx?$/.test(e.name) && !e.name.includes('.test.') ? fs.readFileSync(full, 'utf8') : '';
  }).join('\n');
}

describe('admin console strings', () => {
  it('has the same keys and placeholders in English, Dutch and Swedish, none empty, most translated', () => {
    for (const table of [nl, sv]) {
      expect(Object.keys(table).sort()).toEqual(Object.keys(en).sort());
      for (const k of Object.keys(en)) expect([k, (table[k].match(/\{\d\}/g) ?? []).sort()]).toEqual([k, (en[k].match(/\{\d\}/g) ?? []).sort()]);
      expect(Object.keys(en).filter((k) => table[k] !== en[k]).length / Object.keys(en).length).toBeGreaterThan(0.7);
    }
    for (const table of [en, nl, sv]) for (const v of Object.values(table)) expect(v.trim()).not.toBe('');
  });

  it('defines every key the console code asks for, and one per state, kind and result the API can send', () => {
    const code = sources(__dirname);
    const used = new Set([...code.matchAll(/\bt\('([A-Za-z_]+)'\)/g)].map((m) => m[1]));
    expect(used.size).toBeGreaterThan(40);
    const dynamic = [
      ...MAP_STATES.map((s) => `MapState_${s}`), ...FAILING_JOB_STATES.map((s) => `JobState_${s}`),
      ...['never', 'running', 'done', 'failed', 'stopped'].map((s) => `InitialSync_State_${s}`),
      ...['applied', 'conflict', 'rejected', 'failed'].map((s) => `Audit_Result_${s}`),
      ...NOTIFICATION_KINDS.map((k) => `Notification_${k}`), ...DELIVERY_STATES.map((s) => `Delivery_${s}`),
      'SyncError_System_fno', 'SyncError_System_dataverse',
    ];
    for (const key of [...used, ...dynamic]) expect([key, key in en || key in syncEn]).toEqual([key, true]);
  });

  it('falls back to English, then to the key, and lets the console override the control words', () => {
    const resx: Partial<Record<1033 | 1043, ResxSet>> = {
      1033: { console: '<data name="A"><value>en A</value></data><data name="Common_Close"><value>Close console</value></data>', syncStatus: '<data name="Common_Close"><value>Close</value></data><data name="B"><value>en B</value></data>' },
      1043: { console: '<data name="A"><value>nl A &amp; meer</value></data>', syncStatus: '' },
    };
    const t = translator(resx, 1043);
    expect([t('A'), t('B'), t('Missing')]).toEqual(['nl A & meer', 'en B', 'Missing']);
    expect(translator(resx, 1033)('Common_Close')).toBe('Close console');
  });

  it('starts in the language asked for, else the browser language, else English', () => {
    expect(initialLcid('?lcid=1053', ['nl-NL'])).toBe(1053);
    expect(initialLcid('?lcid=9999', ['nl-BE', 'en'])).toBe(1043);
    expect(initialLcid('', ['de-DE', 'sv'])).toBe(1053);
    expect(initialLcid('', ['fr-FR'])).toBe(1033);
  });
});
