// The preview form as a whole in headless Chromium: axe-core finds no critical, serious or moderate
// violation in any language (with the sync flyout and the edit dialog open too), the page does not scroll
// sideways at 800 px, and the preview's own frame (tabs, headings, labels) follows the language switch.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DATAVERSE_ANCHORS } from '@finops-bridge/sandbox';
import { axeViolations } from './support/axe';
import { ensureControlsBuilt, launchBrowser, newPage, previewUrl } from './support/browser';
import { LANGUAGES, normalizeSpaces, strings } from './support/strings';
import { CONTROLS_DIR } from './support/world';
import { startPreviewWorld, type PreviewWorld } from './support/world';

const TEST_TIMEOUT = 120_000;
const ARTIFACTS = path.join(CONTROLS_DIR, '..', 'test', 'artifacts', 'browser');
/** The preview frame's own words per language (the file preview.js reads). */
const FRAME = JSON.parse(fs.readFileSync(path.join(CONTROLS_DIR, 'preview-host', 'frame-strings.json'), 'utf8')) as Record<string, Record<string, string>>;

let world: PreviewWorld;
let browser: Browser;

beforeAll(async () => {
  await ensureControlsBuilt();
  world = await startPreviewWorld();
  browser = await launchBrowser();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

async function openForm(lcid: number, width?: number): Promise<{ page: Page; errors: string[] }> {
  const p = await newPage(browser);
  if (width) await p.page.setViewportSize({ width, height: 900 });
  await p.page.goto(previewUrl(world.bridgeUrl, { user: 'controller', lcid, account: DATAVERSE_ANCHORS.seDiacritics }));
  await p.page.locator('#finance-panel').getByText(strings('FinancePanel', lcid).Finance_CreditLimit, { exact: true }).waitFor({ timeout: 20_000 });
  await p.page.locator('#sync-status button[data-state]').waitFor({ timeout: 20_000 });
  return p;
}

describe('the preview form for people who use assistive technology, small windows and other languages', () => {
  it.each(LANGUAGES.map((l) => [l.code, l.lcid] as const))('axe-core finds no critical, serious or moderate violation (%s)', async (_code, lcid) => {
    const { page, errors } = await openForm(lcid);
    expect(await axeViolations(page)).toEqual([]);

    // The sync details flyout, open.
    const sync = strings('SyncStatus', lcid);
    await page.locator('#sync-status button[data-state]').click();
    await page.getByRole('region', { name: sync.Sync_ShowDetails }).waitFor({ timeout: 10_000 });
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');

    // The edit dialog, open.
    const fin = strings('FinancePanel', lcid);
    await page.getByRole('button', { name: fin.Edit_Button }).click();
    await page.getByLabel(new RegExp(fin.Finance_CreditLimit)).waitFor({ timeout: 10_000 });
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
    await page.close();
  }, TEST_TIMEOUT);

  it('axe-core finds no critical, serious or moderate violation for a guest, an unlinked prospect and a read-only seller', async () => {
    for (const lang of LANGUAGES) {
      const fin = strings('FinancePanel', lang.lcid);
      for (const [user, account, text] of [
        ['guest', DATAVERSE_ANCHORS.nlApostrophe, fin.Common_Forbidden],
        ['controller', DATAVERSE_ANCHORS.prospectSe, fin.Finance_NotLinked],
        ['sales', DATAVERSE_ANCHORS.nlApostrophe, fin.Finance_CreditLimit],
      ] as const) {
        const { page, errors } = await newPage(browser);
        await page.goto(previewUrl(world.bridgeUrl, { user, lcid: lang.lcid, account }));
        await page.locator('#finance-panel').getByText(text, { exact: text === fin.Finance_CreditLimit }).first().waitFor({ timeout: 20_000 });
        expect([lang.code, user, await axeViolations(page)]).toEqual([lang.code, user, []]);
        expect(errors).toEqual([]);
        await page.close();
      }
    }
  }, TEST_TIMEOUT);

  it.each(LANGUAGES.map((l) => [l.code, l.lcid] as const))('does not scroll sideways at 800 px wide (%s)', async (code, lcid) => {
    const { page, errors } = await openForm(lcid, 800);
    await page.screenshot({ path: path.join(ARTIFACTS, `form-800px-${code}.png`), fullPage: true });
    // (Page code as strings: this workspace is typed for Node, without the DOM library.)
    const widths = await page.evaluate<{ scroll: number; inner: number }>('({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })');
    // The elements that stick out on the right (the innermost ones name the culprit when this fails).
    const sticking = await page.evaluate<string[]>(`[...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 && ![...el.children].some((c) => c.getBoundingClientRect().right > window.innerWidth + 0.5))
      .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' + String(el.className).split(' ')[0] + ' right=' + Math.round(el.getBoundingClientRect().right))`);
    expect(sticking).toEqual([]);
    expect(widths.scroll).toBeLessThanOrEqual(widths.inner);
    expect(errors).toEqual([]);
    await page.close();
  }, TEST_TIMEOUT);

  it('numbers and dates follow the personal format the host hands over (context.formatting), not the language', async () => {
    // An English-speaking user whose CE personal format is Dutch: English words, Dutch numbers and dates.
    const p = await newPage(browser);
    await p.page.goto(`${previewUrl(world.bridgeUrl, { user: 'controller', lcid: 1033, account: DATAVERSE_ANCHORS.seDiacritics })}&format=nl-NL`);
    const fin = strings('FinancePanel', 1033);
    const credit = p.page.locator('#finance-panel [data-fact="creditLimit"]');
    await p.page.locator('#finance-panel').getByText(fin.Finance_CreditLimit, { exact: true }).waitFor({ timeout: 20_000 });
    // SEK in Dutch format: "SEK 25.000,00" (thousands with a dot, decimals with a comma).
    expect(normalizeSpaces((await credit.textContent()) ?? '')).toMatch(/^SEK \d{1,3}(\.\d{3})*,\d{2}$/);
    // The retrieved time in the Dutch short date pattern (d-M-yyyy H:mm).
    expect(await p.page.getByTestId('retrieved-at').textContent()).toMatch(/\d{1,2}-\d{1,2}-\d{4} \d{1,2}:\d{2}/);
    expect(p.errors).toEqual([]);
    await p.page.close();
  }, TEST_TIMEOUT);

  it('the frame (tabs, headings, labels) follows the language switch, without a reload', async () => {
    const { page, errors } = await openForm(1033);
    const expectFrame = async (lcid: number) => {
      const f = FRAME[String(lcid)];
      expect(await page.getAttribute('html', 'lang')).toBe(LANGUAGES.find((l) => l.lcid === lcid)!.locale);
      await page.getByRole('tab', { name: f.tabSummary, exact: true }).waitFor({ timeout: 10_000 });
      await page.getByRole('tab', { name: f.tabDetails, exact: true }).waitFor({ timeout: 10_000 });
      await page.getByRole('heading', { name: f.cardAccount, exact: true }).waitFor({ timeout: 10_000 });
      await page.getByRole('heading', { name: f.cardFinance, exact: true }).waitFor({ timeout: 10_000 });
      await page.getByRole('heading', { name: f.navAccounts, exact: true }).waitFor({ timeout: 10_000 });
      await page.getByRole('region', { name: f.cardFinance, exact: true }).waitFor({ timeout: 10_000 });
      await page.getByRole('navigation', { name: f.navAccounts, exact: true }).waitFor({ timeout: 10_000 });
      await page.getByRole('combobox', { name: f.languageLabel }).waitFor({ timeout: 10_000 });
      expect(await page.locator('.form-header .entity').textContent()).toBe(f.entity);
      expect(await page.locator('.header-field .label').textContent()).toBe(f.syncStatus);
      expect(await page.locator('dl.fields dt').allTextContents()).toEqual([f.fieldName, f.fieldNumber, f.fieldId]);
    };
    await expectFrame(1033);
    for (const lcid of [1043, 1053, 1033]) {
      await page.selectOption('#language', String(lcid));
      await expectFrame(lcid);
      // The controls switch with it.
      await page.locator('#finance-panel').getByText(strings('FinancePanel', lcid).Finance_CreditLimit, { exact: true }).waitFor({ timeout: 10_000 });
    }
    // Every language has every key the English frame has, and no two languages share a tab text by accident.
    for (const lang of LANGUAGES) expect(Object.keys(FRAME[String(lang.lcid)]).sort()).toEqual(Object.keys(FRAME['1033']).sort());
    expect(FRAME['1043'].tabSummary).not.toBe(FRAME['1033'].tabSummary);
    expect(errors).toEqual([]);
    await page.close();
  }, TEST_TIMEOUT);
});
