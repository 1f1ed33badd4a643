// What a user does in the preview's finance panel, shared by the browser suites.
import { expect } from '@jest/globals';
import type { Page } from 'playwright-core';
import { strings } from './strings';

const EN_FIN = strings('FinancePanel', 1033);

/** Edit button, amount, review, save: the path a user takes through the dialog (English UI). */
export async function editCreditLimit(page: Page, amount: string): Promise<void> {
  await page.getByRole('button', { name: EN_FIN.Edit_Button }).click();
  await page.getByLabel(new RegExp(EN_FIN.Finance_CreditLimit)).fill(amount);
  await page.getByRole('button', { name: EN_FIN.Edit_Next }).click();
  // The confirm step names the field being changed (Confirm_Row: "{0}: {1} → {2}").
  const confirm = page.getByRole('list', { name: EN_FIN.Confirm_Title });
  await confirm.waitFor({ timeout: 10_000 });
  expect(await confirm.textContent()).toMatch(new RegExp(`${EN_FIN.Finance_CreditLimit}: .+ → .+`));
  await page.getByRole('button', { name: EN_FIN.Confirm_Save }).click();
}
