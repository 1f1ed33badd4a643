/**
 * @jest-environment node
 */
// The production bundles as `npm run build -w controls` leaves them (controls/out/controls): each control keeps
// only its UI (at most 40 KB, no MSAL), MSAL travels once in the MsalLibrary control, and both controls declare
// that library as an on-demand dependency in their built manifests. Skipped with a notice before the first
// build; fails under CI=true when there is no build.
import { describe, it, expect } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MSAL_LIBRARY_CONTROL, MSAL_LIBRARY_GLOBAL } from '../common/token/msal-token-provider';

const outDir = path.join(__dirname, '..', 'out', 'controls');
const built = fs.existsSync(path.join(outDir, 'FinancePanel', 'bundle.js'));
if (!built && process.env.CI !== 'true') console.warn(`controls/test/bundles.test.ts: ${outDir} not built yet, skipped (npm run build -w controls).`);

const MAX_CONTROL_BUNDLE = 40 * 1024;
/** Strings only @azure/msal-browser puts in a bundle: its library SKU and the names of its error classes. */
const MSAL_MARKERS = ['msal.js.browser', 'BrowserAuthError', 'InteractionRequiredAuthError'];
const UI_CONTROLS = ['FinancePanel', 'SyncStatus'];
const read = (control: string, file: string) => fs.readFileSync(path.join(outDir, control, file), 'utf8');

(built || process.env.CI === 'true' ? describe : describe.skip)('the production bundles', () => {
  it.each(UI_CONTROLS)('%s/bundle.js is at most 40 KB and carries no MSAL', (control) => {
    const bundle = read(control, 'bundle.js');
    expect(Buffer.byteLength(bundle)).toBeLessThanOrEqual(MAX_CONTROL_BUNDLE);
    for (const marker of MSAL_MARKERS) expect(bundle).not.toContain(marker);
  });

  it('MSAL is in the MsalLibrary bundle, which publishes it on window', () => {
    const library = read('MsalLibrary', 'bundle.js');
    for (const marker of MSAL_MARKERS) expect(library).toContain(marker);
    expect(library).toContain(MSAL_LIBRARY_GLOBAL);
  });

  it.each(UI_CONTROLS)('%s declares the library as an on-demand dependency (built manifest)', (control) => {
    const manifest = read(control, 'ControlManifest.xml');
    const dependency = /<dependency\b[^>]*\/?>/.exec(manifest)?.[0] ?? '';
    expect(dependency).toContain('type="control"');
    expect(dependency).toContain(`name="${MSAL_LIBRARY_CONTROL}"`);
    expect(dependency).toContain('load-type="onDemand"');
    // What Microsoft's dependent-libraries page asks of a control that loads a dependency on demand.
    expect(manifest).toMatch(/<platform-action action-type="afterPageLoad"\s*\/>/);
    expect(manifest).toMatch(/<uses-feature name="Utility" required="true"\s*\/>/);
  });
});
