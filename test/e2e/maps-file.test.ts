// Issue 16: admins change the maps without changing code. A field mapping added in the maps file (SYNC_MAPS_FILE)
// syncs both ways through the real engine; a file with a mistake stops the bridge at start, naming the line.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Sandbox } from '@finops-bridge/sandbox';
import { eventually, json, sandboxApi, startBridge, startWorld, type Bridge } from './support/harness';

let sandbox: Sandbox;
let bridge: Bridge;
let api: ReturnType<typeof sandboxApi>;
let nl: string;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-maps-file-'));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

beforeAll(async () => {
  sandbox = await startWorld();
  api = sandboxApi(sandbox);
  const good = file('maps.yaml', [
    '# An admin\'s addition: the sales memo of an F&O customer is the account\'s description.',
    'customers-accounts:',
    '  fields:',
    '    - { fno: SalesMemo, dataverse: description, dir: "=" }',
  ].join('\n'));
  bridge = await startBridge(sandbox, { settings: { concurrency: 1, mapsFile: good } });
  nl = (await api.dvGet('accounts', "$select=accountnumber&$filter=startswith(accountnumber,'NL-')")).map((r) => String(r.accountnumber)).sort()[0];
  await eventually(async () => (await json<{ value: unknown[] }>(await fetch(`${sandbox.urls.fno}/_sandbox/events/subscriptions`))).value.length > 0);
}, 60_000);

afterAll(async () => {
  await bridge?.close();
  await sandbox?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the maps file', () => {
  it('syncs a field mapping it adds, both ways', async () => {
    const [row] = await api.dvGet('accounts', `$select=accountid&$filter=accountnumber eq '${nl}'`);
    const id = String(row.accountid);
    await api.fnoChange('CustomersV3', { dataAreaId: 'nlmf', CustomerAccount: nl, SalesMemo: 'Levering via dock 3' });
    await eventually(async () => (await api.dvRow('accounts', id)).description === 'Levering via dock 3', 5000);
    await bridge.sync.engine().worker.idle(10_000);
    await api.dvPatch('accounts', id, { description: 'Eerst bellen' });
    await eventually(async () => (await api.fnoGet('CustomersV3', `dataAreaId='nlmf',CustomerAccount='${nl}'`)).SalesMemo === 'Eerst bellen', 5000);
  }, 30_000);

  it('stops the bridge at start when the file has a mistake, naming the line and what is wrong', async () => {
    const bad = file('bad.yaml', 'customers-accounts:\n  fields:\n    - { fno: SalesMemo, dataverse: description, dir: "<>" }\n');
    await expect(startBridge(sandbox, { settings: { mapsFile: bad } })).rejects.toThrow(/bad\.yaml:\n- line 3: customers-accounts\.fields\.0\.dir: dir is one of/);
    await expect(startBridge(sandbox, { settings: { mapsFile: path.join(dir, 'missing.yaml') } })).rejects.toThrow(/missing\.yaml:\n- cannot be read \(ENOENT\)/);
  });
});
