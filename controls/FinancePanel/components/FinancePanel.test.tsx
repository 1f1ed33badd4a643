import { describe, it, expect } from '@jest/globals';
import * as React from 'react';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { FinancePanel, type FinancePanelProps } from './FinancePanel';
import { ACCOUNT_ID, SETTINGS, factoryWith, noWebApi, scriptedFetch, summary, translator, type Reply } from '../../test/helpers';

const PATH = `/api/v1/accounts/${ACCOUNT_ID}/finance`;
const norm = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

function renderPanel(routes: Parameters<typeof scriptedFetch>[0], over: Partial<FinancePanelProps> = {}, lcid = 1033) {
  const f = scriptedFetch(routes);
  const locale = { 1033: 'en-US', 1043: 'nl-NL', 1053: 'sv-SE' }[lcid]!;
  const props: FinancePanelProps = {
    accountId: ACCOUNT_ID, settings: SETTINGS, webAPI: noWebApi, userName: 'sales', locale, t: translator('FinancePanel', lcid),
    formAllowsEdits: true, staleAfterMinutes: 5, clientFactory: factoryWith(f.impl), ...over,
  };
  return { ...render(<FinancePanel {...props} />), calls: f.calls };
}

const get = (...replies: Reply[]) => ({ [`GET ${PATH}`]: replies });


/** In an open edit dialog: on hold for all, review, save, and wait for the saved message. */
async function putOnHoldForAll(): Promise<void> {
    fireEvent.click(screen.getByRole('combobox'));
    fireEvent.click(within(screen.getByRole('listbox')).getByRole('option', { name: 'All' }));
    fireEvent.click(screen.getByRole('button', { name: 'Review change' }));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save change' }));
    });
    await screen.findByText('The change has been saved in Finance and Operations.');
}

describe('FinancePanel states', () => {
  it('shows a spinner, then the figures, orders and invoices', async () => {
    renderPanel(get({ status: 200, body: summary() }));
    expect(screen.getByText('Loading finance data…')).toBeTruthy();
    expect(norm((await screen.findByText('Credit limit')).nextElementSibling!.textContent)).toBe('€25,000.00');
    expect(screen.getByRole('table', { name: 'Open sales orders' }).textContent).toContain('SO-000123');
    expect(screen.getByRole('table', { name: 'Recent invoices' }).textContent).toContain('INV-0042');
    expect(screen.getByTestId('retrieved-at').textContent).toMatch(/^Retrieved /);
    expect(screen.queryByText(/may be out of date/)).toBeNull();
  });

  it.each([
    [{ status: 404, body: { error: { code: 'FB_ACCOUNT_NOT_LINKED', message: 'no link' } } }, /not linked to a customer/],
    [{ status: 403, body: { error: { code: 'FB_FORBIDDEN', message: 'no' } } }, /do not have permission/],
    [{ status: 503 }, /cannot be reached right now/],
    [{ status: 404, body: { error: { code: 'FB_ACCOUNT_NOT_FOUND', message: 'gone' } } }, /cannot be found, or you do not have access/],
    [{ status: 429, body: { error: { code: 'FB_RATE_LIMITED', message: 'slow down' } } }, /busy right now/],
    [{ status: 502, body: { error: { code: 'FB_UPSTREAM_FNO', message: 'F&O down' } } }, /not answering right now/],
    [new TypeError('Failed to fetch'), /cannot be reached right now/],
    [{ status: 500, body: { error: { code: 'FB_INTERNAL', message: 'Finance and Operations timed out.' } } }, /Something went wrong: Finance and Operations timed out\./],
  ])('explains a failed load (%#)', async (reply, text) => {
    renderPanel(get(reply));
    expect(await screen.findByText(text)).toBeTruthy();
  });

  it('lets the user try again after an error', async () => {
    const { calls } = renderPanel(get({ status: 503 }, { status: 200, body: summary() }));
    fireEvent.click(await screen.findByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Credit limit')).toBeTruthy();
    expect(calls).toHaveLength(2);
  });

  it('says when the figures are stale and refreshes them', async () => {
    const old = summary({ retrievedAt: '2026-11-20T08:00:00Z' });
    const { calls } = renderPanel(get({ status: 200, body: old }, { status: 200, body: summary() }), { now: () => Date.parse('2026-11-20T08:10:00Z') });
    expect(await screen.findByText('These figures were retrieved more than 5 minutes ago and may be out of date.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(calls).toHaveLength(2));
  });

  it('shows a configuration message instead of throwing when nothing is configured', async () => {
    const webAPI = { retrieveMultipleRecords: async () => ({ entities: [], nextLink: '' }) } as unknown as ComponentFramework.WebApi;
    renderPanel({}, { settings: {}, webAPI });
    expect(await screen.findByText(/Ask your administrator to set the environment variable fob_BridgeUrl/)).toBeTruthy();
  });

  it('offers no edits on a disabled form or when the bridge allows none', async () => {
    renderPanel(get({ status: 200, body: summary() }), { formAllowsEdits: false });
    expect(await screen.findByText(/The form is read-only/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Change credit settings' })).toBeNull();
  });

  it('offers no edits to a user without write permission', async () => {
    renderPanel(get({ status: 200, body: summary({ editableFields: [] }) }));
    await screen.findByText('Credit limit');
    expect(screen.queryByRole('button', { name: 'Change credit settings' })).toBeNull();
  });

  it('asks for a sign-in button when the token needs interaction', async () => {
    renderPanel(get({ status: 401 }, { status: 401 }));
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeTruthy();
  });
});

describe('FinancePanel figures', () => {
  it('shows available credit, the over-limit warning, overdue invoices and translated order statuses', async () => {
    renderPanel(get({ status: 200, body: summary({ creditLimit: 45000, balance: 47177, retrievedAt: '2026-12-01T10:00:00Z' }) }));
    expect(norm((await screen.findByText('Available credit')).nextElementSibling!.textContent)).toBe('-€2,177.00');
    expect(norm(screen.getByText(/is over the credit limit/).textContent)).toBe('The balance of €47,177.00 is over the credit limit of €45,000.00 by €2,177.00.');
    const invoices = screen.getByRole('table', { name: 'Recent invoices' });
    expect(within(invoices).getByText('Overdue')).toBeTruthy();
    expect(screen.getByRole('table', { name: 'Open sales orders' }).textContent).toContain('Open order');
  });

  it('says a balance is unavailable and why, never 0', async () => {
    renderPanel(get({ status: 200, body: summary({ balance: null, overdueAmount: null, balanceUnavailable: 'no_record' }) }));
    const dd = (await screen.findByText('Balance')).nextElementSibling!;
    expect(dd.textContent).toMatch(/^Unavailable.*no balance for this customer/);
    expect(screen.queryByText(/€0\.00/)).toBeNull();
  });
});

describe('FinancePanel status that follows', () => {
  it('loads from the cache automatically but makes a user refresh reach the bridge', async () => {
    const { calls } = renderPanel(get({ status: 200, body: summary() }, { status: 200, body: summary() }));
    await screen.findByText('Credit limit');
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls.map((c) => c.cache)).toEqual([undefined, 'no-cache']);
  });

  it('keeps the last known figures, marked stale with their time, when the bridge becomes unreachable', async () => {
    renderPanel(get({ status: 200, body: summary({ retrievedAt: '2026-11-20T08:00:00Z' }) }, new TypeError('Failed to fetch')));
    await screen.findByText('Credit limit');
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByText(/cannot be reached right now/)).toBeTruthy();
    expect(norm(screen.getByText(/Showing the last known figures/).textContent)).toMatch(/^Showing the last known figures, retrieved Nov 20, 2026, \d+:\d+ [AP]M\. They may be out of date\.$/);
    expect(norm(screen.getByText('Credit limit').nextElementSibling!.textContent)).toBe('€25,000.00');
    expect(screen.queryByRole('button', { name: 'Change credit settings' })).toBeNull();
  });

  it('tells the other controls on the form that the record changed after a save', async () => {
    const seen: unknown[] = [];
    const listener = (e: Event) => seen.push((e as CustomEvent).detail);
    window.addEventListener('finops-bridge:record-changed', listener);
    renderPanel({ ...get({ status: 200, body: summary() }), [`PATCH ${PATH}`]: [{ status: 200, body: summary({ onHoldStatus: 'All' }) }] });
    fireEvent.click(await screen.findByRole('button', { name: 'Change credit settings' }));
    await putOnHoldForAll();
    window.removeEventListener('finops-bridge:record-changed', listener);
    expect(seen).toEqual([{ table: 'account', id: ACCOUNT_ID }]);
  });
});

describe('FinancePanel keyboard and icons', () => {
  it('submits the amount with Enter and returns focus to the edit button after Escape', async () => {
    renderPanel(get({ status: 200, body: summary() }));
    const edit = await screen.findByRole('button', { name: 'Change credit settings' });
    fireEvent.click(edit);
    expect(screen.getByRole('button', { name: 'Close' }).querySelector('svg[data-icon="clear"]')).toBeTruthy();
    const field = screen.getByLabelText('Credit limit (EUR)');
    fireEvent.change(field, { target: { value: '30,000' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(norm(screen.getByRole('list', { name: 'Confirm the change' }).textContent)).toBe('Credit limit: €25,000.00 → €30,000.00');
    fireEvent.keyDown(screen.getByRole('list', { name: 'Confirm the change' }), { key: 'Escape', which: 27, keyCode: 27 });
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Confirm the change' })).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Change credit settings' })));
  });

  it('draws its icons inline, without the icon font', async () => {
    renderPanel(get({ status: 200, body: summary({ creditLimit: 1000 }) }));
    await screen.findByText('Credit limit');
    expect(document.querySelector('[data-icon-name]')).toBeNull();
    expect(document.querySelectorAll('svg[data-icon]').length).toBeGreaterThanOrEqual(3);
  });
});

describe('FinancePanel edit flow', () => {
  it('confirms before -> after, handles a conflict with the new values and succeeds on retry', async () => {
    const current = summary({ creditLimit: 27000, etag: 'W/"2"' });
    const { calls } = renderPanel({
      ...get({ status: 200, body: summary() }),
      [`PATCH ${PATH}`]: [
        { status: 412, body: { error: { code: 'FB_CONFLICT_ETAG', message: 'changed', details: current } } },
        { status: 200, body: summary({ creditLimit: 30000, etag: 'W/"3"' }) },
      ],
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Change credit settings' }));
    const field = screen.getByLabelText('Credit limit (EUR)');
    fireEvent.change(field, { target: { value: '30,000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Review change' }));
    const list = screen.getByRole('list', { name: 'Confirm the change' });
    expect(norm(list.textContent)).toBe('Credit limit: €25,000.00 → €30,000.00');
    fireEvent.click(screen.getByRole('button', { name: 'Save change' }));

    expect(await screen.findByText(/Someone changed this customer/)).toBeTruthy();
    expect(norm(screen.getByText('Credit limit').nextElementSibling!.textContent)).toBe('€27,000.00');
    const patch1 = calls.filter((c) => c.method === 'PATCH')[0];
    expect(patch1.headers['If-Match']).toBe('W/"1"');
    expect(patch1.body).toEqual({ creditLimit: 30000 });

    fireEvent.click(screen.getByRole('button', { name: 'Try my change again' }));
    expect(screen.getByLabelText<HTMLInputElement>('Credit limit (EUR)').value).toBe('30,000.00');
    fireEvent.click(screen.getByRole('button', { name: 'Review change' }));
    expect(norm(screen.getByRole('list', { name: 'Confirm the change' }).textContent)).toBe('Credit limit: €27,000.00 → €30,000.00');
    fireEvent.click(screen.getByRole('button', { name: 'Save change' }));
    expect(await screen.findByText('The change has been saved in Finance and Operations.')).toBeTruthy();
    const patches = calls.filter((c) => c.method === 'PATCH');
    expect(patches[1].headers['If-Match']).toBe('W/"2"');
    expect(patches[1].headers['Idempotency-Key']).not.toBe(patches[0].headers['Idempotency-Key']);
    expect(norm(screen.getByText('Credit limit').nextElementSibling!.textContent)).toBe('€30,000.00');
  });

  it('refuses an invalid amount and an unchanged form without calling the bridge', async () => {
    const { calls } = renderPanel(get({ status: 200, body: summary() }));
    fireEvent.click(await screen.findByRole('button', { name: 'Change credit settings' }));
    fireEvent.click(screen.getByRole('button', { name: 'Review change' }));
    expect(await screen.findByText('Nothing has changed yet.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Credit limit (EUR)'), { target: { value: 'lots' } });
    fireEvent.click(screen.getByRole('button', { name: 'Review change' }));
    expect(await screen.findByText('Enter an amount of zero or more, for example 2,500.00.')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(0);
  });

  it('changes the on-hold status through the dropdown', async () => {
    const { calls } = renderPanel({ ...get({ status: 200, body: summary() }), [`PATCH ${PATH}`]: [{ status: 200, body: summary({ onHoldStatus: 'All' }) }] });
    fireEvent.click(await screen.findByRole('button', { name: 'Change credit settings' }));
    fireEvent.click(screen.getByRole('combobox'));
    fireEvent.click(within(screen.getByRole('listbox')).getByRole('option', { name: 'All' }));
    fireEvent.click(screen.getByRole('button', { name: 'Review change' }));
    expect(screen.getByRole('list', { name: 'Confirm the change' }).textContent).toBe('On hold: No → All');
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save change' }));
    });
    await screen.findByText('The change has been saved in Finance and Operations.');
    expect(calls.find((c) => c.method === 'PATCH')!.body).toEqual({ onHoldStatus: 'All' });
  });

  it('labels the close button of the saved message in the user language', async () => {
    renderPanel({ ...get({ status: 200, body: summary() }), [`PATCH ${PATH}`]: [{ status: 200, body: summary({ onHoldStatus: 'All' }) }] }, {}, 1053);
    fireEvent.click(await screen.findByRole('button', { name: 'Ändra kreditinställningar' }));
    fireEvent.click(screen.getByRole('combobox'));
    fireEvent.click(within(screen.getByRole('listbox')).getByRole('option', { name: 'Alla' }));
    fireEvent.click(screen.getByRole('button', { name: 'Granska ändringen' }));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Spara ändringen' }));
    });
    await screen.findByText('Ändringen har sparats i Finance and Operations.');
    expect(screen.getByRole('button', { name: 'Stäng' })).toBeTruthy();
  });
});

describe('FinancePanel languages', () => {
  it.each([
    [1043, 'Kredietlimiet', '€ 25.000,00', 'Openstaande verkooporders'],
    [1053, 'Kreditgräns', '25 000,00 €', 'Öppna försäljningsorder'],
  ])('renders in language %i', async (lcid, label, amount, orders) => {
    renderPanel(get({ status: 200, body: summary() }), {}, lcid);
    expect(norm((await screen.findByText(label)).nextElementSibling!.textContent)).toBe(amount);
    expect(screen.getByRole('table', { name: orders })).toBeTruthy();
  });
});

describe('FinancePanel on the contact form (person customers)', () => {
  const CONTACT_PATH = `/api/v1/contacts/${ACCOUNT_ID}/finance`;

  it('reads and saves through the contact route and tells the form the contact changed', async () => {
    const seen: unknown[] = [];
    const listener = (e: Event) => seen.push((e as CustomEvent).detail);
    window.addEventListener('finops-bridge:record-changed', listener);
    const { calls } = renderPanel({
      [`GET ${CONTACT_PATH}`]: [{ status: 200, body: summary({ customerAccount: 'NL-P-007' }) }],
      [`PATCH ${CONTACT_PATH}`]: [{ status: 200, body: summary({ customerAccount: 'NL-P-007', onHoldStatus: 'All' }) }],
    }, { table: 'contact' });
    expect(await screen.findByText('NL-P-007 (NLMF)')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Change credit settings' }));
    await putOnHoldForAll();
    window.removeEventListener('finops-bridge:record-changed', listener);
    expect(calls.map((c) => `${c.method} ${new URL(c.url).pathname}`)).toEqual([`GET ${CONTACT_PATH}`, `PATCH ${CONTACT_PATH}`]);
    expect(seen).toEqual([{ table: 'contact', id: ACCOUNT_ID }]);
  });

  it.each([
    [1033, 'This contact is not linked to a customer'],
    [1043, 'Deze contactpersoon is niet gekoppeld'],
    [1053, 'Den här kontakten är inte kopplad'],
  ])('names the contact when it is not linked (%i)', async (lcid, text) => {
    renderPanel({ [`GET ${CONTACT_PATH}`]: [{ status: 404, body: { error: { code: 'FB_CONTACT_NOT_LINKED', message: 'no link' } } }] }, { table: 'contact' }, lcid);
    expect(await screen.findByText(new RegExp(text))).toBeTruthy();
  });

  it('asks to save a new contact first', async () => {
    renderPanel({}, { table: 'contact', accountId: null });
    expect(await screen.findByText('Save the contact first; finance data appear once it exists.')).toBeTruthy();
  });

  it('says it does not work on other tables, without calling the bridge', async () => {
    const { calls } = renderPanel({}, { table: 'lead' });
    expect(await screen.findByText(/works on accounts and contacts only, not on lead/)).toBeTruthy();
    expect(calls).toHaveLength(0);
  });
});
