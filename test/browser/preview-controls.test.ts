// The PCF controls in headless Chromium, hosted by the bridge's preview page against the in-process sandbox:
// what users see (data, permissions, languages) and that edits made in the UI reach F&O.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { DATAVERSE_ANCHORS } from '@finops-bridge/sandbox';
import { eventually, sandboxApi } from '../e2e/support/harness';
import { ensureControlsBuilt, launchBrowser, newPage, previewUrl } from './support/browser';
import { LANGUAGES, money, normalizeSpaces, strings } from './support/strings';
import { startPreviewWorld, type PreviewWorld } from './support/world';
import { editCreditLimit } from './support/panel';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/browser/', import.meta.url));
const EN_FIN = strings('FinancePanel', 1033);
// Per test: the root jest config does not pass the project's testTimeout on to jest.
const TEST_TIMEOUT = 120_000;

let world: PreviewWorld;
let browser: Browser;
let api: ReturnType<typeof sandboxApi>;
/** Script errors of every page a test opened: a control that throws fails the test even if its text looks right. */
const pageErrors: string[] = [];

beforeAll(async () => {
  await ensureControlsBuilt();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  world = await startPreviewWorld();
  api = sandboxApi(world.sandbox);
  browser = await launchBrowser();
}, 300_000);

afterEach(() => {
  const seen = pageErrors.splice(0);
  expect(seen).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

async function open(user: string, lcid: number, account: string): Promise<{ page: Page; errors: string[] }> {
  const p = await newPage(browser);
  p.page.on('pageerror', (e) => pageErrors.push(`${user}/${lcid}: ${e.message}`));
  await p.page.goto(previewUrl(world.bridgeUrl, { user, lcid, account }));
  return p;
}

async function panelText(page: Page): Promise<string> {
  return normalizeSpaces((await page.textContent('#finance-panel')) ?? '');
}

function customerKey(company: string, account: string): string {
  return `dataAreaId='${company}',CustomerAccount='${account}'`;
}

interface SyncStatusBody { state: string; lastSyncedAt: string | null; lastDirection: string | null }

/** The bridge's own view of a row's sync state (what the badge shows), asked as the controller. */
async function syncStatus(accountId: string): Promise<SyncStatusBody> {
  const token = await world.sandbox.getToken('controller', 'bridge');
  const res = await fetch(`${world.bridgeUrl}/api/v1/sync/records/account/${accountId}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`sync status HTTP ${res.status}: ${await res.text()}`);
  return (await res.json()) as SyncStatusBody;
}

describe('finance panel and sync badge in the preview', () => {
  it('shows the linked customer credit limit from F&O, formatted for each language', async () => {
    const fno = await api.fnoGet('CustomersV3', customerKey('nlmf', 'NL-001'));
    const credit = fno.CreditLimit as number;
    const currency = fno.SalesCurrencyCode as string;
    expect(credit).toBeGreaterThan(0);
    for (const lang of LANGUAGES) {
      const { page, errors } = await open('controller', lang.lcid, DATAVERSE_ANCHORS.nlApostrophe);
      const s = strings('FinancePanel', lang.lcid);
      await page.locator('#finance-panel').getByText(s.Finance_CreditLimit, { exact: true }).waitFor({ timeout: 20_000 });
      const text = await panelText(page);
      expect(text).toContain(money(lang.locale, currency, credit));
      expect(text).toContain('NL-001');
      expect(errors).toEqual([]);
      await page.close();
    }
  }, TEST_TIMEOUT);

  it('without the page\'s tokens, as on a Dynamics org, the controls load the MsalLibrary control on demand (context.utils.loadDependency), once for both', async () => {
    const { page, errors } = await newPage(browser);
    // Hide the preview's token source (window.finOpsBridgeHost): the controls then take their MSAL path.
    await page.addInitScript(() => {
      Object.defineProperty(globalThis, 'finOpsBridgeHost', { get: () => undefined, set: () => undefined });
    });
    const bundles: string[] = [];
    page.on('request', (r) => {
      const p = new URL(r.url()).pathname;
      if (p.startsWith('/preview/controls/')) bundles.push(p);
    });
    await page.goto(previewUrl(world.bridgeUrl, { user: 'controller', lcid: 1033, account: DATAVERSE_ANCHORS.nlApostrophe }));
    // Only loopback requests leave this browser, so MSAL's silent sign-in cannot succeed: the panel offers Sign in.
    await page.locator('#finance-panel').getByRole('button', { name: EN_FIN.Common_SignIn }).waitFor({ timeout: 60_000 });
    expect(bundles.filter((p) => p.includes('MsalLibrary'))).toEqual(['/preview/controls/MsalLibrary/bundle.js']);
    expect(await page.evaluate(() => (globalThis as unknown as { FinOpsBridgeMsalV1?: { apiVersion: number } }).FinOpsBridgeMsalV1?.apiVersion)).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  }, TEST_TIMEOUT);

  it('guest sees the no-permission message, a prospect shows not linked, sales has no edit button', async () => {
    const guest = await open('guest', 1033, DATAVERSE_ANCHORS.nlApostrophe);
    await guest.page.locator('#finance-panel').getByText(EN_FIN.Common_Forbidden).waitFor({ timeout: 20_000 });
    expect(await panelText(guest.page)).not.toContain(EN_FIN.Finance_CreditLimit);
    expect(await guest.page.getByRole('button', { name: EN_FIN.Edit_Button }).count()).toBe(0);
    await guest.page.close();

    const prospect = await open('controller', 1033, DATAVERSE_ANCHORS.prospectSe);
    await prospect.page.locator('#finance-panel').getByText(EN_FIN.Finance_NotLinked).waitFor({ timeout: 20_000 });
    await prospect.page.locator('#sync-status').getByText(strings('SyncStatus', 1033).Sync_State_not_linked).waitFor({ timeout: 20_000 });
    await prospect.page.close();

    // Sales reads nlmf but may not write it: same account the controller edits below.
    const sales = await open('sales', 1033, DATAVERSE_ANCHORS.nlApostrophe);
    await sales.page.locator('#finance-panel').getByText(EN_FIN.Finance_CreditLimit, { exact: true }).waitFor({ timeout: 20_000 });
    expect(await sales.page.getByRole('button', { name: EN_FIN.Edit_Button }).count()).toBe(0);
    await sales.page.close();
    // The same page as controller does have the button, so the count above is not vacuous.
    const ctl = await open('controller', 1033, DATAVERSE_ANCHORS.nlApostrophe);
    await ctl.page.getByRole('button', { name: EN_FIN.Edit_Button }).waitFor({ timeout: 20_000 });
    await ctl.page.close();
  }, TEST_TIMEOUT);

  it('an edit by the controller reaches F&O and the badge turns in sync (each language, with screenshots)', async () => {
    const key = customerKey('nlmf', 'NL-001');
    const before = (await api.fnoGet('CustomersV3', key)).CreditLimit as number;
    const target = before + 12_345;
    const { page } = await open('controller', 1033, DATAVERSE_ANCHORS.nlApostrophe);
    // The engine may already have linked this record (initial events): "in sync" must be a sync after the edit.
    await page.getByRole('button', { name: EN_FIN.Edit_Button }).waitFor({ timeout: 20_000 });
    const editedAt = new Date().toISOString();
    await editCreditLimit(page, String(target));
    await page.getByText(EN_FIN.Result_Saved).waitFor({ timeout: 20_000 });
    await eventually(async () => (await api.fnoGet('CustomersV3', key)).CreditLimit === target, 10_000);
    await page.close();
    const status = await eventually(async () => {
      const st = await syncStatus(DATAVERSE_ANCHORS.nlApostrophe);
      return st.state === 'in_sync' && st.lastSyncedAt && st.lastSyncedAt >= editedAt ? st : undefined;
    }, 30_000, 100);
    expect(status.lastDirection).toBe('fno_to_dataverse');

    for (const lang of LANGUAGES) {
      const sync = strings('SyncStatus', lang.lcid);
      const fin = strings('FinancePanel', lang.lcid);
      // The badge refreshes on load; reload until the sync engine has carried the change over.
      const p = await eventually(async () => {
        const o = await open('controller', lang.lcid, DATAVERSE_ANCHORS.nlApostrophe);
        try {
          await o.page.locator('#sync-status').getByText(sync.Sync_State_in_sync, { exact: true }).waitFor({ timeout: 8_000 });
          return o.page;
        } catch {
          await o.page.close();
          return undefined;
        }
      }, 40_000, 250);
      await p.locator('#finance-panel').getByText(fin.Finance_CreditLimit, { exact: true }).waitFor({ timeout: 20_000 });
      expect(await panelText(p)).toContain(money(lang.locale, 'EUR', target));
      await p.locator('#finance-panel').screenshot({ path: path.join(ARTIFACTS, `FinancePanel-${lang.code}.png`) });
      await p.locator('#sync-status').screenshot({ path: path.join(ARTIFACTS, `SyncStatus-${lang.code}.png`) });
      await p.screenshot({ path: path.join(ARTIFACTS, `form-${lang.code}.png`), fullPage: true });
      await p.close();
    }
    for (const lang of LANGUAGES) {
      for (const control of ['FinancePanel', 'SyncStatus']) {
        expect(fs.statSync(path.join(ARTIFACTS, `${control}-${lang.code}.png`)).size).toBeGreaterThan(800);
      }
    }
  }, TEST_TIMEOUT);

  it('figures, a badge that follows a save on the same page, stale figures while the bridge is down, the keyboard path', async () => {
    const sync = strings('SyncStatus', 1033);
    const { page } = await open('controller', 1033, DATAVERSE_ANCHORS.seDiacritics);
    const warnings: string[] = [];
    page.on('console', (m) => { if (m.type() === 'warning' || m.type() === 'error') warnings.push(`${m.text()} ${m.location().url}`); });
    const panel = page.locator('#finance-panel');
    await panel.getByText(EN_FIN.Finance_AvailableCredit, { exact: true }).waitFor({ timeout: 20_000 });
    // Icons are inline SVG: nothing from the icon font.
    expect(await page.locator('#finance-panel [data-icon-name], #sync-status [data-icon-name]').count()).toBe(0);
    // The demo invoices are dated before the demo's "today" (January 2026), so any listed invoice is past due.
    const invoiceRows = await panel.locator('tr[data-overdue]').count();
    const listed = await panel.getByRole('table', { name: EN_FIN.Invoices_Title }).count();
    if (listed > 0) expect(invoiceRows).toBeGreaterThan(0);

    // Keyboard: Enter in the amount reviews, Escape closes and gives focus back to the edit button.
    await page.getByRole('button', { name: EN_FIN.Edit_Button }).click();
    await page.getByLabel(new RegExp(EN_FIN.Finance_CreditLimit)).fill('1');
    await page.keyboard.press('Enter');
    await page.getByRole('list', { name: EN_FIN.Confirm_Title }).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Escape');
    await eventually(async () => ((await page.locator(':focus').textContent()) ?? '').includes(EN_FIN.Edit_Button) || undefined, 5_000);

    // A save far over the balance: the badge on the same page turns to in sync again after the sync ran.
    const editedAt = new Date().toISOString();
    const before = await page.locator('#sync-status button[data-state]').getAttribute('data-state');
    await editCreditLimit(page, '1');
    await panel.getByText(EN_FIN.Result_Saved).waitFor({ timeout: 20_000 });
    await eventually(async () => {
      const st = await syncStatus(DATAVERSE_ANCHORS.seDiacritics);
      return st.state === 'in_sync' && st.lastSyncedAt && st.lastSyncedAt >= editedAt ? st : undefined;
    }, 30_000, 100);
    await page.locator('#sync-status').getByText(sync.Sync_State_in_sync, { exact: true }).waitFor({ timeout: 30_000 });
    expect(before).toBeTruthy();
    // Over the limit now (limit 1): the warning and a negative available credit.
    await panel.getByText(/is over the credit limit/).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'form-over-limit-en.png'), fullPage: true });

    // The bridge goes away: Refresh keeps the last known figures, marked with their time.
    await page.route('**/api/v1/accounts/**', (r) => r.abort('connectionrefused'));
    await panel.getByRole('button', { name: EN_FIN.Common_Refresh }).click();
    await panel.getByText(EN_FIN.Common_Unreachable).waitFor({ timeout: 20_000 });
    expect(await panelText(page)).toContain(normalizeSpaces(EN_FIN.Finance_LastKnown.split('{0}')[0]));
    expect(await panelText(page)).toContain(EN_FIN.Finance_CreditLimit);
    await page.screenshot({ path: path.join(ARTIFACTS, 'form-bridge-down-en.png'), fullPage: true });
    await page.close();
    // No icon-font download and no "icon was used but not registered" warning.
    expect(warnings.filter((w) => /icon/i.test(w))).toEqual([]);
  }, TEST_TIMEOUT);

  it('a change made in F&O behind the page shows the conflict with the new values, and retry saves', async () => {
    const key = customerKey('semf', 'SE-001');
    const row = await api.fnoGet('CustomersV3', key);
    const currency = row.SalesCurrencyCode as string;
    const { page } = await open('controller', 1033, DATAVERSE_ANCHORS.seDiacritics);
    await page.locator('#finance-panel').getByText(EN_FIN.Finance_CreditLimit, { exact: true }).waitFor({ timeout: 20_000 });

    const behind = (row.CreditLimit as number) + 1_111;
    const fields = Object.fromEntries(Object.entries(row).filter(([k]) => !k.startsWith('@odata')));
    await api.fnoChange('CustomersV3', { ...fields, CreditLimit: behind });

    const mine = behind + 5_000;
    await editCreditLimit(page, String(mine));
    await page.getByText(EN_FIN.Conflict_Text).waitFor({ timeout: 20_000 });
    expect(await panelText(page)).toContain(money('en-US', currency, behind));
    expect((await api.fnoGet('CustomersV3', key)).CreditLimit).toBe(behind);
    await page.locator('#finance-panel').screenshot({ path: path.join(ARTIFACTS, 'FinancePanel-conflict-en.png') });

    await page.getByRole('button', { name: EN_FIN.Conflict_Retry }).click();
    // Retry reopens the edit dialog with the user's draft kept: review and confirm it again.
    await expect(page.getByLabel(new RegExp(EN_FIN.Finance_CreditLimit)).inputValue()).resolves.toMatch(/\d/);
    await page.getByRole('button', { name: EN_FIN.Edit_Next }).click();
    await page.getByRole('button', { name: EN_FIN.Confirm_Save }).click();
    const saved = page.getByText(EN_FIN.Result_Saved);
    await saved.waitFor({ timeout: 20_000 });
    await eventually(async () => (await api.fnoGet('CustomersV3', key)).CreditLimit === mine, 10_000);
    await page.close();
  }, TEST_TIMEOUT);
});
