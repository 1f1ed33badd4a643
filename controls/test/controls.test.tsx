// The real control classes (index.ts) inside a mocked PCF context: parameters, user settings, resx,
// form mode and the Dataverse Web API come from @shko.online/componentframework-mock.
import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fireEvent, render, screen } from '@testing-library/react';
import { ComponentFrameworkMockGeneratorReact, StringPropertyMock, WholeNumberPropertyMock, type PropertyMap } from '@shko.online/componentframework-mock';
import { FinancePanel } from '../FinancePanel';
import { SyncStatus } from '../SyncStatus';
import type { IInputs as SyncInputs, IOutputs as SyncOutputs } from '../SyncStatus/generated/ManifestTypes';
import { ACCOUNT_ID, scriptedFetch, summary, syncStatus, applyCeFormatting } from './helpers';

const resx = (control: string, lcid: number) => fs.readFileSync(path.join(__dirname, '..', control, 'strings', `${control}.${lcid}.resx`), 'utf8');
const realFetch = globalThis.fetch;
let calls: ReturnType<typeof scriptedFetch>['calls'];
// The local preview hands its demo users' tokens to the controls through the page (jsdom's page is localhost).
let tokenRequests: Array<{ scope: string; userName: string }>;
const host = window as unknown as Record<string, unknown>;

beforeEach(() => {
  const f = scriptedFetch({
    [`GET /api/v1/accounts/${ACCOUNT_ID}/finance`]: [{ status: 200, body: summary({ currency: 'SEK', creditLimit: 100000 }) }],
    [`GET /api/v1/sync/records/account/${ACCOUNT_ID}`]: [{ status: 200, body: syncStatus({ state: 'pending', pendingChanges: 2 }) }],
  });
  calls = f.calls;
  globalThis.fetch = f.impl;
  tokenRequests = [];
  host.finOpsBridgeHost = { getToken: async (r: { scope: string; userName: string }) => { tokenRequests.push(r); return 'sandbox-token'; } };
});
afterEach(() => {
  globalThis.fetch = realFetch;
  delete host.finOpsBridgeHost;
});

/** `format`: the user's personal number and date format in CE (defaults to the language's). */
function financeMock(lcid: number, disabled: boolean, envUrl: string | null, format?: string) {
  const mock = new ComponentFrameworkMockGeneratorReact(FinancePanel, {
    recordField: StringPropertyMock, tableName: StringPropertyMock, bridgeUrl: StringPropertyMock, bridgeAppId: StringPropertyMock, bridgeScope: StringPropertyMock,
    clientAppId: StringPropertyMock, tenantId: StringPropertyMock, staleAfterMinutes: WholeNumberPropertyMock,
  });
  mock.context._SetCanvasItems({
    recordField: ACCOUNT_ID,
    bridgeAppId: 'e1d2c3b4-a596-4877-8899-aabbccddeeff',
    bridgeScope: 'api://finops-bridge/user_impersonation',
    staleAfterMinutes: 5,
  });
  mock.context.userSettings.languageId = lcid;
  mock.context.userSettings.userName = 'sales';
  applyCeFormatting(mock.context, format ?? { 1033: 'en-US', 1043: 'nl-NL', 1053: 'sv-SE' }[lcid] ?? 'en-US');
  mock.context.mode.isControlDisabled = disabled;
  mock.SetControlResource(resx('FinancePanel', lcid));
  mock.context.webAPI.retrieveMultipleRecords.callsFake(async (_entity: string, options?: string) => ({
    entities: envUrl && options?.includes("'fob_BridgeUrl'") ? [{ defaultvalue: envUrl, environmentvariabledefinition_environmentvariablevalue: [] }] : [],
    nextLink: '',
  }));
  mock.ExecuteInit();
  return mock;
}

describe('FinancePanel control (index.ts) in a mocked PCF context', () => {
  it('reads the bridge address from the environment variable, takes the hosting page\'s token and shows Swedish text', async () => {
    const mock = financeMock(1053, false, 'http://127.0.0.1:4000');
    render(mock.ExecuteUpdateView());
    const label = await screen.findByText('Kreditgräns');
    expect(label.nextElementSibling!.textContent?.replace(/[\u00a0\u202f]/g, ' ')).toBe('100 000,00 kr');
    expect(screen.getByRole('button', { name: 'Ändra kreditinställningar' })).toBeTruthy();
    expect(mock.context.webAPI.retrieveMultipleRecords.called).toBe(true);
    expect(tokenRequests[0]).toMatchObject({ userName: 'sales', scope: 'api://finops-bridge/user_impersonation' });
    expect(calls.find((c) => c.url.includes('/finance'))!.headers.Authorization).toBe('Bearer sandbox-token');
  });

  it('on a Dynamics org, loads the MSAL library control through context.utils.loadDependency for its first token', async () => {
    delete host.finOpsBridgeHost;
    const mock = financeMock(1033, false, 'http://127.0.0.1:4000');
    const asked: string[] = [];
    const utils = mock.context.utils as unknown as { loadDependency?: (name: string) => Promise<unknown> };
    utils.loadDependency = async (name: string) => {
      asked.push(name);
      const client = { ssoSilent: async () => ({ accessToken: 'msal-token', account: {} }) };
      host.FinOpsBridgeMsalV1 = { apiVersion: 1, failureKind: () => 'failed', createClient: async () => client };
    };
    try {
      render(mock.ExecuteUpdateView());
      await screen.findByText('Credit limit');
      expect(asked).toEqual(['fob_FinOpsBridge.MsalLibrary']);
      expect(calls.find((c) => c.url.includes('/finance'))!.headers.Authorization).toBe('Bearer msal-token');
    } finally {
      delete host.FinOpsBridgeMsalV1;
    }
  });

  it('formats numbers and dates with the user personal settings (context.formatting), not the language', async () => {
    // English text, Dutch number and date format: what CE users set under Personalization settings.
    const mock = financeMock(1033, false, 'http://127.0.0.1:4000', 'nl-NL');
    render(mock.ExecuteUpdateView());
    const label = await screen.findByText('Credit limit');
    expect(label.nextElementSibling!.textContent?.replace(/[\u00a0\u202f]/g, ' ')).toBe('SEK 100.000,00');
    expect(screen.getByRole('table', { name: 'Recent invoices' }).textContent).toContain('14-11-2026');
    expect(mock.context.formatting.formatCurrency.called).toBe(true);
    expect(mock.context.formatting.formatDateShort.called).toBe(true);
    // The edit dialog offers and reads the amount in the same format.
    fireEvent.click(screen.getByRole('button', { name: 'Change credit settings' }));
    const amount = screen.getByLabelText<HTMLInputElement>(/Credit limit/);
    expect(amount.value).toBe('100.000,00');
    fireEvent.change(amount, { target: { value: '120.000,50' } });
    fireEvent.click(screen.getByRole('button', { name: 'Review change' }));
    expect((await screen.findByRole('list', { name: 'Confirm the change' })).textContent?.replace(/[\u00a0\u202f]/g, ' ')).toContain('SEK 100.000,00 → SEK 120.000,50');
  });

  it('works on the contact form too (person customers): the form table picks the bridge route', async () => {
    const f = scriptedFetch({ [`GET /api/v1/contacts/${ACCOUNT_ID}/finance`]: [{ status: 200, body: summary({ customerAccount: 'NL-P-007', currency: 'EUR' }) }] });
    globalThis.fetch = f.impl;
    const mock = financeMock(1033, false, 'http://127.0.0.1:4000');
    (mock.context.mode as unknown as { contextInfo: object }).contextInfo = { entityId: ACCOUNT_ID, entityTypeName: 'contact' };
    render(mock.ExecuteUpdateView());
    expect(await screen.findByText('NL-P-007 (NLMF)')).toBeTruthy();
    expect(f.calls.map((c) => new URL(c.url).pathname)).toEqual([`/api/v1/contacts/${ACCOUNT_ID}/finance`]);
  });

  it('shows no edit button on a disabled form (Dutch)', async () => {
    const mock = financeMock(1043, true, 'http://127.0.0.1:4000');
    render(mock.ExecuteUpdateView());
    expect(await screen.findByText(/Het formulier is alleen-lezen/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Kredietinstellingen wijzigen' })).toBeNull();
  });

  it('shows a message, not an exception, when the environment variable is missing', async () => {
    const mock = financeMock(1033, false, null);
    render(mock.ExecuteUpdateView());
    expect(await screen.findByText(/set the environment variable fob_BridgeUrl/)).toBeTruthy();
  });
});

describe('SyncStatus control (index.ts) in a mocked PCF context', () => {
  it('shows the pending badge for the bound record', async () => {
    // pcf-scripts refreshTypes merges the properties of every control of the project into each
    // generated IInputs, so the SyncStatus map is cast rather than padded with FinancePanel's properties.
    const mock = new ComponentFrameworkMockGeneratorReact<SyncInputs, SyncOutputs>(SyncStatus, {
      recordField: StringPropertyMock, tableName: StringPropertyMock, bridgeUrl: StringPropertyMock, bridgeAppId: StringPropertyMock,
      bridgeScope: StringPropertyMock, clientAppId: StringPropertyMock, tenantId: StringPropertyMock,
      pollSeconds: WholeNumberPropertyMock,
    } as unknown as PropertyMap<SyncInputs>);
    mock.context._SetCanvasItems({
      recordField: ACCOUNT_ID.toUpperCase(),
      tableName: 'account',
      bridgeUrl: 'http://127.0.0.1:4000',
      bridgeAppId: 'e1d2c3b4-a596-4877-8899-aabbccddeeff',
      pollSeconds: 60,
    });
    mock.context.userSettings.languageId = 1033;
    mock.SetControlResource(resx('SyncStatus', 1033));
    mock.ExecuteInit();
    const { unmount } = render(mock.ExecuteUpdateView());
    expect(await screen.findByRole('button', { name: /Pending/ })).toBeTruthy();
    expect(calls.some((c) => c.url.endsWith(`/sync/records/account/${ACCOUNT_ID}`))).toBe(true);
    unmount();
  });
});
