// The admin console (/admin) in headless Chromium against the demo's stack (sandbox, bridge with the sync engine, the
// preview's demo sign-in): a non-admin is refused, the admin sees the maps, pauses and resumes one, retries a parked
// record, starts an initial sync and watches it reach done, and reads the audit row of a finance edit just made in the preview.
// Screenshots in English, Dutch and Swedish; axe; the page's strict Content-Security-Policy.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { DATAVERSE_ANCHORS } from '@finops-bridge/sandbox';
import { eventually, json, sandboxApi } from '../e2e/support/harness';
import { axeViolations } from './support/axe';
import { ensureControlsBuilt, launchBrowser, newPage, previewUrl } from './support/browser';
import { editCreditLimit } from './support/panel';
import { consoleStrings } from './support/console-strings';
import { LANGUAGES, normalizeSpaces, strings } from './support/strings';
import { startPreviewWorld, type PreviewWorld } from './support/world';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/browser/', import.meta.url));
const EN = consoleStrings(1033);
const EN_FIN = strings('FinancePanel', 1033);
const MAP = 'customers-accounts';
const TEST_TIMEOUT = 120_000;

let world: PreviewWorld;
let browser: Browser;
let api: ReturnType<typeof sandboxApi>;
const pageErrors: string[] = [];

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await ensureControlsBuilt(); // the preview's account form, where the audited edit is made
  world = await startPreviewWorld();
  api = sandboxApi(world.sandbox);
  browser = await launchBrowser();
}, 300_000);

afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

/** Opens the console in a language and signs in as one of the demo users (the preview's host sign-in). */
async function signIn(user: 'admin' | 'sales' | 'controller' | 'guest', lcid = 1033): Promise<Page> {
  const { page } = await newPage(browser);
  page.on('pageerror', (e) => pageErrors.push(`${user}/${lcid}: ${e.message}`));
  // A script or connection the page's policy refuses shows as a console error: none may occur.
  page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) pageErrors.push(`CSP: ${m.text()}`); });
  await page.goto(`${world.bridgeUrl}/admin/?lcid=${lcid}`);
  const s = consoleStrings(lcid);
  const select = page.getByLabel(s.SignIn_DemoUser);
  await select.waitFor({ timeout: 20_000 });
  const names = await select.locator('option').allTextContents();
  const index = names.findIndex((n) => n.startsWith(`${user} (`));
  if (index < 0) throw new Error(`no demo user ${user} among ${JSON.stringify(names)}`);
  await select.selectOption({ index });
  await page.getByRole('button', { name: s.SignIn_Button }).click();
  return page;
}

async function adminGet<T>(pathAndQuery: string, who: 'admin' | 'sales' = 'admin'): Promise<{ status: number; body: T }> {
  const res = await fetch(`${world.bridgeUrl}/api/v1/admin${pathAndQuery}`, { headers: { authorization: `Bearer ${await world.sandbox.getToken(who, 'bridge')}` } });
  return { status: res.status, body: (await res.json()) as T };
}

const mapRow = (page: Page) => page.locator(`tr[data-map="${MAP}"]`);
const mapState = async (page: Page) => mapRow(page).locator('[data-state]').getAttribute('data-state');

describe('admin console', () => {
  it('is served with a strict Content-Security-Policy: scripts only from the bridge, nothing inline', async () => {
    const res = await fetch(`${world.bridgeUrl}/admin/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await res.text();
    expect(html).not.toMatch(/<script>(?!<\/script>)|<script[^>]*>[^<]+<\/script>/);
    expect(html).toContain('<script src="/admin/console.js"></script>');
    // The policy is the console's own: the API keeps its answers as they were.
    expect((await fetch(`${world.bridgeUrl}/health`)).headers.get('content-security-policy')).toBeNull();
  });

  it('refuses a user without Sync.Admin: a plain message in the page, 403 from the API', async () => {
    const page = await signIn('sales');
    const alert = page.locator('[data-refused]');
    await alert.waitFor({ timeout: 20_000 });
    const text = normalizeSpaces((await alert.textContent()) ?? '');
    expect(text).toContain(EN.Refused_Title);
    expect(text).toContain('Sync.Admin');
    expect(await page.locator(`tr[data-map]`).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-console-refused-en.png') });
    await page.close();
    const res = await adminGet<{ error: { code: string } }>('/maps', 'sales');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FB_AUTH_FORBIDDEN');
  }, TEST_TIMEOUT);

  it('shows every map to the admin, and pauses and resumes one', async () => {
    const page = await signIn('admin');
    await mapRow(page).waitFor({ timeout: 20_000 });
    const table = page.getByRole('table', { name: EN.Maps_Title });
    for (const header of [EN.Maps_State, EN.Maps_Lag, EN.Maps_Pending, EN.Maps_Parked, EN.Maps_Throughput]) {
      await table.getByRole('columnheader', { name: header }).waitFor();
    }
    expect(await mapState(page)).toBe('running');

    await page.getByRole('button', { name: `Pause: ${MAP}` }).click();
    await eventually(async () => (await mapState(page)) === 'paused', 10_000, 100);
    const paused = await adminGet<{ maps: { name: string; state: string }[] }>('/maps');
    expect(paused.body.maps.find((m) => m.name === MAP)?.state).toBe('paused');
    await page.getByRole('status').getByText(`${MAP} is paused`).waitFor();

    // Keyboard: the resume button takes focus and Enter presses it.
    await page.getByRole('button', { name: `Resume: ${MAP}` }).focus();
    await page.keyboard.press('Enter');
    await eventually(async () => (await mapState(page)) === 'running', 10_000, 100);
    // The last hour's chart, drawn from the console's readings, says its figures in words too.
    const chart = page.locator(`[data-chart="${MAP}"]`).getByRole('img');
    expect(await chart.getAttribute('aria-label')).toMatch(new RegExp(`^${MAP}, last hour: \\d+ pending now`));
    expect(await page.locator(`[data-chart="${MAP}"] path`).first().getAttribute('d')).toMatch(/^M[\d.]+ [\d.]+ L/);
    const resumed = await adminGet<{ maps: { name: string; state: string }[] }>('/maps');
    expect(resumed.body.maps.find((m) => m.name === MAP)?.state).toBe('running');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  }, TEST_TIMEOUT);

  it('lists the records waiting while a map is paused, oldest first, and empties once it is resumed', async () => {
    const token = await world.sandbox.getToken('admin', 'bridge');
    const pause = (action: 'pause' | 'resume') => fetch(`${world.bridgeUrl}/api/v1/admin/maps/${MAP}/${action}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect((await pause('pause')).status).toBe(200);
    const [account] = await api.dvGet('accounts', "$select=accountid,accountnumber&$filter=startswith(accountnumber,'NL-')&$top=1");
    await api.dvPatch('accounts', String(account.accountid), { telephone1: '+31 20 555 0999' });
    const page = await signIn('admin');
    await mapRow(page).waitFor({ timeout: 20_000 });
    await page.getByRole('tab', { name: EN.Queue_Title }).click();
    const row = page.locator('tr[data-queued-id]').filter({ hasText: String(account.accountid) });
    await row.waitFor({ timeout: 20_000 });
    expect(normalizeSpaces((await row.textContent()) ?? '')).toContain(EN.JobState_queued);
    expect(await axeViolations(page)).toEqual([]);
    expect((await pause('resume')).status).toBe(200);
    await page.getByText(EN.Queue_None).waitFor({ timeout: 20_000 });
    await page.close();
  }, TEST_TIMEOUT);

  it('lists a parked record in plain words with what to do, and its retry syncs it once the cause is fixed', async () => {
    // A parked record: an F&O customer moved to a customer group that Dataverse does not have (no map syncs groups
    // here), so the account cannot point at it. After a few tries the bridge parks it and says so.
    const [linked] = await api.dvGet('accounts', "$filter=accountnumber eq 'NL-003'&$select=accountid,accountnumber,_msdyn_company_value");
    const accountId = String(linked.accountid);
    await api.fnoChange('CustomerGroups', { dataAreaId: 'nlmf', CustomerGroupId: 'ADMINUI', Description: 'Added in F&O only' });
    await api.fnoChange('CustomersV3', { dataAreaId: 'nlmf', CustomerAccount: 'NL-003', CustomerGroupId: 'ADMINUI' });
    type ErrorRow = { id: string; recordKey: string; state: string; code?: string | null };
    const parked = await eventually(async () => (await adminGet<{ errors: ErrorRow[] }>(`/errors?map=${MAP}`)).body.errors
      .find((e) => e.code === 'SYNC_LOOKUP_MISSING' && e.state === 'parked'), 60_000, 200);

    const page = await signIn('admin');
    await page.getByRole('tab', { name: EN.Errors_Title }).click();
    const row = page.locator(`tr[data-error-id="${parked.id}"]`);
    await row.waitFor({ timeout: 20_000 });
    // The SyncStatus control's words for SYNC_LOOKUP_MISSING: what happened and what to do.
    const rowText = normalizeSpaces((await row.textContent()) ?? '');
    expect(rowText).toContain('A related record is missing:');
    expect(rowText).toContain('sync that record first');
    expect(rowText).toContain(EN.JobState_parked);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-console-errors-en.png'), fullPage: true });

    // Filtered to another state, the row goes; back to all states, it returns.
    await page.getByLabel(EN.Filter_State).selectOption('retrying');
    await row.waitFor({ state: 'detached' });
    await page.getByLabel(EN.Filter_State).selectOption('');
    await row.waitFor();

    // The admin fixes the cause (the group now exists in Dataverse), then retries.
    const group = await fetch(`${world.sandbox.urls.dataverseApi}/msdyn_customergroups`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await world.sandbox.getToken('bridge', 'dataverse')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ msdyn_groupid: 'ADMINUI', msdyn_description: 'Added in F&O only', 'msdyn_company@odata.bind': `/cdm_companies(${String(linked._msdyn_company_value)})` }),
    });
    expect(group.status).toBe(204);
    await row.getByRole('button', { name: new RegExp(`^${EN.Errors_Retry}: `) }).click();
    await page.getByRole('status').getByText('1 record(s) queued to sync again.').waitFor({ timeout: 10_000 });
    await eventually(async () => {
      const res = await fetch(`${world.bridgeUrl}/api/v1/sync/records/account/${accountId}`, { headers: { authorization: `Bearer ${await world.sandbox.getToken('admin', 'bridge')}` } });
      return (await json<{ state: string }>(res)).state === 'in_sync';
    }, 20_000, 100);
    const account = await api.dvRow('accounts', accountId);
    expect(account._msdyn_customergroupid_value).toBeTruthy();
    await row.waitFor({ state: 'detached', timeout: 15_000 });
    await page.close();
  }, TEST_TIMEOUT);

  it('starts an initial sync and shows its progress bar until done', async () => {
    const page = await signIn('admin');
    await mapRow(page).waitFor({ timeout: 20_000 });
    // It asks first; Escape cancels and nothing starts.
    await page.getByRole('button', { name: `Start initial sync: ${MAP}` }).click();
    const title = page.getByText(`Start the initial sync of ${MAP}?`);
    const confirm = page.getByRole('button', { name: EN.InitialSync_Start, exact: true });
    await confirm.waitFor();
    await title.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    expect((await adminGet<{ maps: { name: string; state: string }[] }>('/maps')).body.maps.find((m) => m.name === MAP)?.state).toBe('running');
    await page.getByRole('button', { name: `Start initial sync: ${MAP}` }).click();
    await confirm.click();
    const progress = page.locator(`[data-initial-sync="${MAP}"]`);
    await progress.waitFor({ timeout: 10_000 });
    const bar = progress.getByRole('progressbar');
    await bar.waitFor();
    await page.locator(`[data-initial-sync="${MAP}"][data-progress-state="done"]`).waitFor({ timeout: 60_000 });
    expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    const text = normalizeSpaces((await progress.textContent()) ?? '');
    expect(text).toContain(EN.InitialSync_State_done);
    const done = await adminGet<{ state: string; done: number; total: number }>(`/maps/${MAP}/initial-sync`);
    expect(done.body.state).toBe('done');
    expect(text).toContain(`${done.body.done} of ${done.body.total} records`);
    await page.close();
  }, TEST_TIMEOUT);

  it('lists the records an initial sync could not write, and reruns only those once fixed', async () => {
    // Dataverse refuses an e-mail longer than its 100 characters: the row fails in the initial sync (and live).
    await api.fnoChange('CustomersV3', { dataAreaId: 'nlmf', CustomerAccount: 'NL-004', PrimaryContactEmail: `${'a'.repeat(110)}@example.com` });
    const token = await world.sandbox.getToken('admin', 'bridge');
    const start = await fetch(`${world.bridgeUrl}/api/v1/admin/maps/${MAP}/initial-sync`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(start.status).toBe(202);
    type Lists = { initialSync: { map: string; recordKey: string; reason: string }[] };
    const failure = await eventually(async () => (await adminGet<Lists>(`/errors?map=${MAP}`)).body.initialSync.find((i) => i.recordKey.includes('NL-004')), 60_000, 200);
    await eventually(async () => (await adminGet<{ state: string }>(`/maps/${MAP}/initial-sync`)).body.state !== 'running', 60_000, 200);

    const page = await signIn('admin');
    await page.getByRole('tab', { name: EN.Errors_Title }).click();
    const table = page.getByRole('table', { name: EN.InitialSync_Failures });
    await table.waitFor({ timeout: 20_000 });
    const row = table.locator('tr[data-initial-failure]', { hasText: 'customer NL-004 in company NLMF' });
    expect(normalizeSpaces((await row.textContent()) ?? '')).toContain(failure.reason.slice(0, 40));
    expect(await axeViolations(page)).toEqual([]);

    // Fixed in F&O, then the rerun of the failed records only: the list empties.
    await api.fnoChange('CustomersV3', { dataAreaId: 'nlmf', CustomerAccount: 'NL-004', PrimaryContactEmail: 'ap@nl-004.example' });
    await page.getByRole('button', { name: `${EN.InitialSync_RerunFailed}: ${MAP}` }).click();
    await page.getByRole('status').getByText(`The initial sync of ${MAP} has started.`).waitFor({ timeout: 10_000 });
    await eventually(async () => (await adminGet<Lists>(`/errors?map=${MAP}`)).body.initialSync.length === 0, 60_000, 200);
    await table.waitFor({ state: 'detached', timeout: 20_000 });
    await eventually(async () => (await adminGet<{ maps: { name: string; state: string }[] }>('/maps')).body.maps.find((m) => m.name === MAP)?.state === 'running', 30_000, 200);
    await page.close();
  }, TEST_TIMEOUT);

  it('shows the audit row of a finance edit just made in the preview, and the notifications', async () => {
    const account = DATAVERSE_ANCHORS.nlApostrophe;
    const token = await world.sandbox.getToken('controller', 'bridge');
    const finance = `${world.bridgeUrl}/api/v1/accounts/${account}/finance`;
    const summary = await json<{ creditLimit: number }>(await fetch(finance, { headers: { authorization: `Bearer ${token}` } }));
    const target = summary.creditLimit + 4321;
    // The controller's edit, made as a user makes it: the finance panel on the preview's account form.
    const { page: form } = await newPage(browser);
    form.on('pageerror', (e) => pageErrors.push(`preview: ${e.message}`));
    await form.goto(previewUrl(world.bridgeUrl, { user: 'controller', lcid: 1033, account }));
    await form.getByRole('button', { name: EN_FIN.Edit_Button }).waitFor({ timeout: 20_000 });
    await editCreditLimit(form, String(target));
    await form.getByText(EN_FIN.Result_Saved).waitFor({ timeout: 20_000 });
    await form.close();

    const page = await signIn('admin');
    await page.getByRole('tab', { name: EN.Audit_Title }).click();
    await page.getByLabel(EN.Audit_AccountFilter).fill(account);
    const row = page.locator(`tr[data-account-id="${account}"]`).first();
    await row.waitFor({ timeout: 20_000 });
    const text = normalizeSpaces((await row.textContent()) ?? '');
    const fmt = (n: number) => normalizeSpaces(new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n));
    expect(text).toContain(`${EN.Audit_Field_CreditLimit}: ${fmt(summary.creditLimit)} → ${fmt(target)}`);
    expect(text).toContain('Lars');
    expect(text).toContain(EN.Audit_Result_applied);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('tab', { name: EN.Notifications_Title }).click();
    await page.getByRole('button', { name: EN.Common_Refresh }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  }, TEST_TIMEOUT);

  it('speaks English, Dutch and Swedish (screenshots), with no axe violation', async () => {
    for (const lang of LANGUAGES) {
      const s = consoleStrings(lang.lcid);
      const page = await signIn('admin', lang.lcid);
      await mapRow(page).waitFor({ timeout: 20_000 });
      expect(await page.evaluate('document.documentElement.lang')).toBe(lang.locale);
      await page.getByRole('heading', { name: s.Console_Title, level: 1 }).waitFor();
      await page.getByRole('table', { name: s.Maps_Title }).getByRole('columnheader', { name: s.Maps_Parked }).waitFor();
      expect(normalizeSpaces((await mapRow(page).textContent()) ?? '')).toContain(s.MapState_running);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(ARTIFACTS, `admin-console-maps-${lang.code}.png`), fullPage: true });
      // At 800 px the page does not scroll sideways (a wide table scrolls in its own region).
      await page.setViewportSize({ width: 800, height: 900 });
      expect(await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth')).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await page.setViewportSize({ width: 1400, height: 950 });
      await page.getByRole('tab', { name: s.Audit_Title }).click();
      await page.getByRole('table', { name: s.Audit_Title }).waitFor({ timeout: 20_000 });
      await page.screenshot({ path: path.join(ARTIFACTS, `admin-console-audit-${lang.code}.png`), fullPage: true });
      await page.close();
    }
    for (const lang of LANGUAGES) {
      expect(fs.statSync(path.join(ARTIFACTS, `admin-console-maps-${lang.code}.png`)).size).toBeGreaterThan(5_000);
    }
  }, TEST_TIMEOUT);
});
