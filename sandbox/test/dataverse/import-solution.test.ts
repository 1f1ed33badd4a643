/* eslint-disable @typescript-eslint/no-unsafe-call -- response bodies are parsed JSON; the assertions check them */
// ImportSolution against the sandbox with zips built by solution/src from its test fixtures: what the
// package declares becomes rows the controls and the admin can query; only the bridge's application user
// (System Customizer) may import.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { buildSolutionZips } from '../../../solution/src/build-packages';
import { writeZip } from '../../../solution/src/zip';
import { compareVersions, importConflict, parseImportParameters } from '../../src/dataverse/import-solution';
import { DEMO_USERS } from '../../src/identity/principals';
import { startDv, type DvHarness } from './helpers';

const BRIDGE = 'https://bridge.contoso.example';
const controlsDir = fileURLToPath(new URL('../../../solution/test/fixtures/controls-out', import.meta.url));
const v010 = buildSolutionZips({ controlsDir, outDir: '/unused', packageVersion: '0.1.0', bridgeUrl: BRIDGE });
const v020 = buildSolutionZips({ controlsDir, outDir: '/unused', packageVersion: '0.2.0', bridgeUrl: BRIDGE });
const b64 = (zip: Uint8Array): string => Buffer.from(zip).toString('base64');
const body = (zip: Uint8Array, jobId = randomUUID()) => ({ CustomizationFile: b64(zip), OverwriteUnmanagedCustomizations: true, PublishWorkflows: true, ImportJobId: jobId });
const ENV_VAR_QUERY = (name: string) =>
  `environmentvariabledefinitions?$filter=schemaname eq '${name}'&$select=defaultvalue,type&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)`;
const admin = DEMO_USERS.find((u) => u.name === 'admin')!;

let h: DvHarness;
beforeAll(async () => { h = await startDv(); });
afterAll(async () => { await h.close(); });
beforeEach(() => { h.dv.reset(); });

describe('POST ImportSolution', () => {
  it('imports the unmanaged package: solution, publisher, environment variables, controls and the import job', async () => {
    const jobId = randomUUID();
    const r = await h.call('bridge', 'POST', 'ImportSolution', { body: body(v010.unmanaged, jobId) });
    expect(r.status).toBe(204);
    const solutions = await h.call('bridge', 'GET', "solutions?$filter=uniquename eq 'FinOpsBridge'&$select=uniquename,version,ismanaged,friendlyname,_publisherid_value");
    expect(solutions.body.value).toHaveLength(1);
    expect(solutions.body.value[0]).toMatchObject({ uniquename: 'FinOpsBridge', version: '0.1.0.0', ismanaged: false, friendlyname: 'FinOps Bridge' });
    const publisher = await h.call('bridge', 'GET', `publishers(${solutions.body.value[0]._publisherid_value as string})?$select=uniquename,customizationprefix`);
    expect(publisher.body).toMatchObject({ uniquename: 'FinOpsBridge', customizationprefix: 'fob' });
    const controls = await h.call('bridge', 'GET', 'customcontrols?$select=name,version&$orderby=name');
    expect(controls.body.value.map((c: { name: string }) => c.name)).toEqual(['fob_FinOpsBridge.FinancePanel', 'fob_FinOpsBridge.SyncStatus']);
    const job = await h.call('bridge', 'GET', `importjobs(${jobId})?$select=solutionname,progress,data`);
    expect(job.body).toMatchObject({ solutionname: 'FinOpsBridge', progress: 100 });
    expect(job.body.data).toContain('result="success"');
  });

  it('answers the environment variable query the controls make, with what the package declares', async () => {
    await h.call('bridge', 'POST', 'ImportSolution', { body: body(v010.unmanaged) });
    // A signed-in user (not the app) reads it, as a control does through context.webAPI.
    const url = await h.call('sales', 'GET', ENV_VAR_QUERY('fob_BridgeUrl'));
    expect(url.status).toBe(200);
    // The package ships no default address; the value the admin set (seeded here) survives the import.
    expect(url.body.value).toEqual([expect.objectContaining({ defaultvalue: null, type: 100000000, environmentvariabledefinition_environmentvariablevalue: [expect.objectContaining({ value: expect.stringMatching(/^http/) })] })]);
    // The package has no default for the app id: the import replaces the seeded one, an admin sets a value afterwards.
    const appId = await h.call('sales', 'GET', ENV_VAR_QUERY('fob_BridgeAppId'));
    expect(appId.body.value[0].defaultvalue).toBeNull();
    const defs = await h.call('bridge', 'GET', "environmentvariabledefinitions?$filter=startswith(schemaname,'fob_')&$select=schemaname");
    expect(defs.body.value).toHaveLength(3);
  });

  it('upgrades in place: a newer version updates the same rows', async () => {
    expect((await h.call('bridge', 'POST', 'ImportSolution', { body: body(v010.managed) })).status).toBe(204);
    expect((await h.call('bridge', 'POST', 'ImportSolution', { body: body(v020.managed) })).status).toBe(204);
    const solutions = await h.call('bridge', 'GET', "solutions?$filter=uniquename eq 'FinOpsBridge'&$select=version,ismanaged");
    expect(solutions.body.value).toEqual([expect.objectContaining({ version: '0.2.0.0', ismanaged: true })]);
    expect((await h.call('bridge', 'GET', 'customcontrols?$select=name')).body.value).toHaveLength(2);
    expect((await h.call('bridge', 'GET', 'publishers?$select=uniquename')).body.value).toHaveLength(1);
  });

  it('refuses a downgrade of a managed solution and a managed package over an unmanaged install', async () => {
    await h.call('bridge', 'POST', 'ImportSolution', { body: body(v020.managed) });
    const older = await h.call('bridge', 'POST', 'ImportSolution', { body: body(v010.managed) });
    expect(older.status).toBe(400);
    expect(older.body.error.message).toMatch(/older than the installed 0\.2\.0\.0/);
    h.dv.reset();
    await h.call('bridge', 'POST', 'ImportSolution', { body: body(v010.unmanaged) });
    const managed = await h.call('bridge', 'POST', 'ImportSolution', { body: body(v020.managed) });
    expect(managed.status).toBe(400);
    expect(managed.body.error.message).toMatch(/installed as an unmanaged solution/);
  });

  it('lets only the application user with System Customizer import (403 otherwise, nothing written)', async () => {
    const asUser = await h.call('admin', 'POST', 'ImportSolution', { body: body(v010.unmanaged) });
    expect(asUser.status).toBe(403);
    expect(asUser.body.error.message).toMatch(/prvImportCustomization/);
    const impersonated = await h.call('bridge', 'POST', 'ImportSolution', { body: body(v010.unmanaged), headers: { callerobjectid: admin.oid } });
    expect(impersonated.status).toBe(403);
    for (const role of h.dv.store.all('systemuserroles')) h.dv.store.remove('systemuserroles', String(role.systemuserroleid));
    const noRole = await h.call('bridge', 'POST', 'ImportSolution', { body: body(v010.unmanaged) });
    expect(noRole.status).toBe(403);
    expect((await h.call('bridge', 'GET', "solutions?$filter=uniquename eq 'FinOpsBridge'")).body.value).toEqual([]);
    expect((await h.call('bridge', 'GET', 'customcontrols')).body.value).toEqual([]);
  });

  it('rejects a file that is not a solution and a call without its parameters, saying what to fix', async () => {
    const notZip = await h.call('bridge', 'POST', 'ImportSolution', { body: { ...body(v010.unmanaged), CustomizationFile: Buffer.from('hello').toString('base64') } });
    expect(notZip.status).toBe(400);
    expect(notZip.body.error.message).toMatch(/The import file is invalid: The file is not a readable zip/);
    const noJob = await h.call('bridge', 'POST', 'ImportSolution', { body: { CustomizationFile: b64(v010.unmanaged), OverwriteUnmanagedCustomizations: true, PublishWorkflows: false } });
    expect(noJob.status).toBe(400);
    expect(noJob.body.error.message).toMatch(/ImportJobId/);
    const get = await h.call('bridge', 'GET', 'ImportSolution');
    expect(get.status).toBe(405);
    const jobId = randomUUID();
    await h.call('bridge', 'POST', 'ImportSolution', { body: body(v010.unmanaged, jobId) });
    const again = await h.call('bridge', 'POST', 'ImportSolution', { body: body(v010.unmanaged, jobId) });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toMatch(/already exists/);
  });
});

/** The unmanaged package with one file changed (or removed, when `edit` returns null). */
function altered(path: string, edit: (text: string) => string | null): Uint8Array {
  const entries = unzipSync(v010.unmanaged);
  if (!(path in entries)) throw new Error(`no ${path} in the package`);
  const out = Object.entries(entries).flatMap(([p, data]) => {
    if (p !== path) return [{ path: p, data }];
    const changed = edit(new TextDecoder().decode(data));
    return changed === null ? [] : [{ path: p, data: new TextEncoder().encode(changed) }];
  });
  return writeZip(out);
}

const FINANCE = 'Controls/fob_FinOpsBridge.FinancePanel';

describe('POST ImportSolution refuses what a real import refuses (issue 17)', () => {
  const refused = async (zip: Uint8Array, message: RegExp) => {
    const r = await h.call('bridge', 'POST', 'ImportSolution', { body: body(zip) });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(message);
    // Nothing of a refused package is installed.
    expect((await h.call('bridge', 'GET', "solutions?$filter=uniquename eq 'FinOpsBridge'")).body.value).toEqual([]);
    expect((await h.call('bridge', 'GET', 'customcontrols')).body.value).toEqual([]);
  };

  it('a control manifest the manifest schema rejects (unknown property type, missing display name, bad control version)', async () => {
    await refused(altered(`${FINANCE}/ControlManifest.xml`, (x) => x.replace('of-type="SingleLine.Text"', 'of-type="Text.Whatever"')),
      /ControlManifest\.xml is not valid against the control manifest schema: .*of-type/);
    await refused(altered(`${FINANCE}/ControlManifest.xml`, (x) => x.replace(/ display-name-key="FinancePanel_Display_Key"/, '')),
      /not valid against the control manifest schema: .*display-name-key/);
    await refused(altered(`${FINANCE}/ControlManifest.xml`, (x) => x.replace(/(<control\b[^>]*?) version="[^"]*"/, '$1 version="0.1.0-beta"')),
      /not valid against the control manifest schema: .*version/);
    await refused(altered(`${FINANCE}/ControlManifest.xml`, (x) => x.replace('</control>', '')), /not well-formed XML/);
  });

  it('a file the manifest names but the zip lacks, and a package without its root files', async () => {
    await refused(altered(`${FINANCE}/bundle.js`, () => null), /names bundle\.js, which the zip does not contain/);
    await refused(altered('[Content_Types].xml', () => null), /The zip has no \[Content_Types\]\.xml at its root/);
  });

  it('a solution version that is not two to four numbers', async () => {
    await refused(altered('solution.xml', (x) => x.replace('<Version>0.1.0.0</Version>', '<Version>0.1.0-beta</Version>')),
      /<Version>0\.1\.0-beta<\/Version>; a solution version is two to four numbers/);
  });

  it('a control whose name does not carry the publisher prefix', async () => {
    await refused(altered('solution.xml', (x) => x.replace('<CustomizationPrefix>fob</CustomizationPrefix>', '<CustomizationPrefix>ctso</CustomizationPrefix>')),
      /Publisher prefix of control fob_FinOpsBridge\.FinancePanel does not match the prefix ctso/);
  });

  it('a description with an apostrophe (accepted by pcf-scripts, refused by the import)', async () => {
    const resx = `${FINANCE}/strings/FinancePanel.1033.resx`;
    const key = /description-key="([^"]+)"/.exec(new TextDecoder().decode(unzipSync(v010.unmanaged)[`${FINANCE}/ControlManifest.xml`]))![1];
    await refused(altered(resx, (x) => x.replace(new RegExp(`(<data name="${key}"[^>]*>\\s*<value>)`), "$1The account's ")),
      new RegExp(`description with an apostrophe, which the import refuses: ${key}`));
  });
});

// The real controls build (controls/out/controls, from `npm run build` in controls) when it exists.
const realControls = fileURLToPath(new URL('../../../controls/out/controls', import.meta.url));
(existsSync(realControls) ? describe : describe.skip)('POST ImportSolution with the real controls build', () => {
  it('imports the managed package and serves its controls and variables', async () => {
    const real = buildSolutionZips({ controlsDir: realControls, outDir: '/unused', packageVersion: '0.1.0', bridgeUrl: BRIDGE });
    expect((await h.call('bridge', 'POST', 'ImportSolution', { body: body(real.managed) })).status).toBe(204);
    const controls = await h.call('bridge', 'GET', 'customcontrols?$select=name,ismanaged');
    expect(controls.body.value).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'fob_FinOpsBridge.FinancePanel', ismanaged: true })]));
    const solution = await h.call('sales', 'GET', "solutions?$filter=uniquename eq 'FinOpsBridge'&$select=ismanaged");
    expect(solution.body.value).toEqual([expect.objectContaining({ ismanaged: true })]);
  });
});

describe('import-solution helpers', () => {
  it('checks every parameter of the action', () => {
    const ok = { CustomizationFile: 'UEsFBg==', OverwriteUnmanagedCustomizations: false, PublishWorkflows: true, ImportJobId: '6F9619FF-8B86-D011-B42D-00C04FC964FF' };
    expect(parseImportParameters(ok).ImportJobId).toBe('6f9619ff-8b86-d011-b42d-00c04fc964ff');
    expect(() => parseImportParameters({ ...ok, CustomizationFile: 'not base64!' })).toThrow(/not base64/);
    expect(() => parseImportParameters({ ...ok, PublishWorkflows: 'yes' })).toThrow(/PublishWorkflows/);
    expect(() => parseImportParameters({ ...ok, ImportJobId: '42' })).toThrow(/ImportJobId/);
    expect(() => parseImportParameters([])).toThrow(/JSON object/);
  });

  it('compares dotted versions numerically', () => {
    expect(compareVersions('1.10.0.0', '1.9.0.0')).toBe(1);
    expect(compareVersions('1.0', '1.0.0.0')).toBe(0);
    expect(compareVersions('0.1.0.0', '0.2.0.0')).toBe(-1);
  });

  it('allows a same-version re-import of a managed solution', () => {
    const declared = { uniqueName: 'X', managed: true, version: '1.0.0.0' } as Parameters<typeof importConflict>[1];
    expect(importConflict({ ismanaged: true, version: '1.0.0.0' }, declared)).toBeUndefined();
    expect(importConflict(undefined, declared)).toBeUndefined();
  });
});
