// axe-core in the page: its source is injected with playwright-core (no CDN, no extra runner), then run
// against the whole document. Only impacts that block or hinder people count as failures here.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The impacts a test refuses: critical and serious (blockers) and moderate (hindrances). */
export const REFUSED_IMPACTS = ['critical', 'serious', 'moderate'];

export interface AxeFinding { id: string; impact: string | null; help: string; targets: string[] }

interface AxeResultsLike {
  violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[];
}

/** Runs axe on the page as it is now and returns the violations whose impact is refused, one line per rule. */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  // Evaluated rather than added as a <script>: a page with a strict Content-Security-Policy (the admin console)
  // refuses inline scripts, and evaluation by the driver is not subject to it.
  if (!(await page.evaluate("'axe' in window"))) await page.evaluate(AXE_SOURCE);
  // A flyout or dialog fading in is half transparent: axe would measure its contrast mid-animation.
  // (Page code as strings: this workspace is typed for Node, without the DOM library.)
  // A function, not a string: polling a string predicate needs eval, which a strict policy refuses.
  await page.waitForFunction(() => (globalThis as unknown as { document: { getAnimations(): { playState: string }[] } }).document
    .getAnimations().every((a) => a.playState !== 'running'), undefined, { timeout: 5_000 });
  const results = await page.evaluate<AxeResultsLike>("window.axe.run(document, { resultTypes: ['violations'] })");
  return results.violations
    .filter((v) => REFUSED_IMPACTS.includes(v.impact ?? ''))
    .map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, targets: v.nodes.map((n) => n.target.map(String).join(' ')) }));
}
