// Headless Chromium (the Debian package) driven by playwright-core; only loopback requests are let through,
// so nothing waits on fonts or CDNs the machine cannot reach.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CONTROLS_DIR, CONTROLS_OUT } from './world';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A fresh page (own context: no shared token cache between users) that collects page errors. */
export async function newPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 950 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route('**/*', (route) => (LOOPBACK.has(new URL(route.request().url()).hostname) ? route.continue() : route.abort()));
  return { page, errors };
}

export function previewUrl(bridgeUrl: string, q: { user: string; lcid: number; account: string }): string {
  return `${bridgeUrl}/preview/?user=${q.user}&lcid=${q.lcid}&account=${q.account}`;
}

/** Builds the control bundles when they are missing (CI builds them before the tests anyway). */
export async function ensureControlsBuilt(): Promise<void> {
  const built = ['FinancePanel', 'SyncStatus', 'MsalLibrary'].every((c) => fs.existsSync(path.join(CONTROLS_OUT, c, 'bundle.js')));
  if (built) return;
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('npm', ['run', 'build', '-w', 'controls'], { cwd: path.join(CONTROLS_DIR, '..'), stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`npm run build -w controls exited with ${code}: fix the controls build, then run the browser tests again`);
}
