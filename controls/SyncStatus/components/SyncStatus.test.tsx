import { describe, it, expect, jest, afterEach } from '@jest/globals';
import * as React from 'react';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { SyncStatus, type SyncStatusProps } from './SyncStatus';
import { announceRecordChanged } from '../../common/record-events';
import { ACCOUNT_ID, SETTINGS, factoryWith, noWebApi, scriptedFetch, syncStatus, translator, type Reply } from '../../test/helpers';

const PATH = `/api/v1/sync/records/account/${ACCOUNT_ID}`;

function renderBadge(routes: Parameters<typeof scriptedFetch>[0], over: Partial<SyncStatusProps> = {}, lcid = 1033) {
  const f = scriptedFetch(routes);
  const props: SyncStatusProps = {
    table: 'account', recordId: ACCOUNT_ID, settings: SETTINGS, webAPI: noWebApi, userName: 'admin', locale: 'en-US',
    t: translator('SyncStatus', lcid), pollSeconds: 5, clientFactory: factoryWith(f.impl), ...over,
  };
  return { ...render(<SyncStatus {...props} />), calls: f.calls };
}
const get = (...replies: Reply[]) => ({ [`GET ${PATH}`]: replies });

afterEach(() => {
  jest.useRealTimers();
});

describe('SyncStatus', () => {
  it('shows a badge that opens the details panel from the keyboard', async () => {
    renderBadge(get({ status: 200, body: syncStatus() }));
    const badge = await screen.findByRole('button', { name: /In sync/ });
    expect(badge.getAttribute('aria-expanded')).toBe('false');
    badge.focus();
    fireEvent.click(badge);
    expect(badge.getAttribute('aria-expanded')).toBe('true');
    const panel = screen.getByRole('region', { name: 'Show sync details' });
    expect(panel.textContent).toContain('customer NL-001 in company NLMF');
    expect(panel.textContent).toContain('Finance and Operations to Dataverse');
    expect(screen.queryByRole('button', { name: 'Retry sync' })).toBeNull();
    // A flyout in a layer, not a block inside the control that pushes the form down.
    expect(panel.closest('.ms-Callout')).toBeTruthy();
    expect(badge.parentElement!.contains(panel)).toBe(false);
    expect(document.querySelector('[data-icon-name]')).toBeNull();
    fireEvent.keyDown(panel, { key: 'Escape', which: 27, keyCode: 27 });
    expect(screen.queryByRole('region', { name: 'Show sync details' })).toBeNull();
    expect(document.activeElement).toBe(badge);
  });

  it.each([
    ['pending', 'Pending'], ['error', 'Error'], ['conflict', 'Conflict'], ['not_linked', 'Not linked'],
  ] as const)('labels the %s state', async (state, label) => {
    renderBadge(get({ status: 200, body: syncStatus({ state }) }));
    expect((await screen.findByRole('button', { name: new RegExp(`: ${label}\\.`) })).getAttribute('data-state')).toBe(state);
  });

  it('polls while pending and stops once in sync', async () => {
    jest.useFakeTimers();
    const { calls } = renderBadge(get({ status: 200, body: syncStatus({ state: 'pending', pendingChanges: 1 }) }, { status: 200, body: syncStatus() }));
    await act(async () => { await Promise.resolve(); });
    expect(await screen.findByRole('button', { name: /Pending/ })).toBeTruthy();
    await act(async () => { jest.advanceTimersByTime(5000); });
    expect(await screen.findByRole('button', { name: /In sync/ })).toBeTruthy();
    await act(async () => { jest.advanceTimersByTime(20000); });
    expect(calls).toHaveLength(2);
  });

  it('follows a saved edit without a reload: refreshes from the bridge and keeps polling until the record has synced', async () => {
    jest.useFakeTimers();
    const before = syncStatus({ lastSyncedAt: '2026-11-20T10:15:00Z' });
    const { calls } = renderBadge(get(
      { status: 200, body: before }, { status: 200, body: before },
      { status: 200, body: syncStatus({ state: 'pending', pendingChanges: 1, lastSyncedAt: '2026-11-20T10:15:00Z' }) },
      { status: 200, body: syncStatus({ lastSyncedAt: '2026-11-20T10:20:00Z' }) },
    ));
    await act(async () => { await Promise.resolve(); });
    expect(await screen.findByRole('button', { name: /In sync/ })).toBeTruthy();
    await act(async () => { announceRecordChanged({ table: 'account', id: ACCOUNT_ID.toUpperCase() }); });
    await act(async () => { await Promise.resolve(); });
    expect(calls).toHaveLength(2);
    await act(async () => { jest.advanceTimersByTime(5000); });
    expect(await screen.findByRole('button', { name: /Pending/ })).toBeTruthy();
    await act(async () => { jest.advanceTimersByTime(5000); });
    expect(await screen.findByRole('button', { name: /In sync/ })).toBeTruthy();
    await act(async () => { jest.advanceTimersByTime(30000); });
    expect(calls).toHaveLength(4);
    expect(calls.map((c) => c.cache)).toEqual([undefined, 'no-cache', 'no-cache', 'no-cache']);
  });

  it('ignores changes of other records', async () => {
    const { calls } = renderBadge(get({ status: 200, body: syncStatus() }));
    await screen.findByRole('button', { name: /In sync/ });
    await act(async () => { announceRecordChanged({ table: 'account', id: 'another' }); });
    expect(calls).toHaveLength(1);
  });

  it('lets an admin retry a failed sync and shows the error in plain words', async () => {
    const { calls } = renderBadge({
      ...get({ status: 200, body: syncStatus({ state: 'error', canRetry: true, lastError: 'Customer group 99 does not exist in Finance and Operations.' }) }, { status: 200, body: syncStatus({ state: 'pending', pendingChanges: 1 }) }),
      [`POST /api/v1/admin/sync/records/account/${ACCOUNT_ID}/retry`]: [{ status: 202, body: {} }],
    });
    fireEvent.click(await screen.findByRole('button', { name: /Error/ }));
    expect(screen.getByText('Customer group 99 does not exist in Finance and Operations.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retry sync' }));
    expect(await screen.findByText('The sync has been queued again.')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(true);
  });

  it('says the bridge\'s last error in the user language when it comes with a code (Swedish)', async () => {
    renderBadge(get({ status: 200, body: syncStatus({
      state: 'error', lastError: 'Dataverse could not be reached (ECONNREFUSED). The bridge will retry on its own.',
      lastErrorCode: 'SYNC_UNREACHABLE', lastErrorParams: { side: 'dataverse', networkCode: 'ECONNREFUSED' },
    }) }), {}, 1053);
    fireEvent.click(await screen.findByRole('button', { name: /Fel/ }));
    expect(screen.getByText('Det gick inte att nå Dataverse (ECONNREFUSED). Bryggan försöker igen automatiskt.')).toBeTruthy();
    expect(screen.queryByText(/could not be reached/)).toBeNull();
  });

  it.each([403, 404])('shows a guest only a quiet badge, not a second refusal bar (%i)', async (status) => {
    renderBadge(get({ status, body: { error: { code: status === 403 ? 'FB_FORBIDDEN' : 'FB_NOT_FOUND', message: 'no' } } }));
    const badge = await screen.findByRole('status', { name: /Not available/ });
    expect(badge.getAttribute('data-state')).toBe('no_access');
    expect(document.querySelector('.ms-MessageBar')).toBeNull();
  });

  it.each([
    [{ status: 503 }, /cannot be reached right now/],
  ])('explains a failed load (%#)', async (reply, text) => {
    renderBadge(get(reply));
    expect(await screen.findByText(text)).toBeTruthy();
  });

  it('asks to save a new record first', () => {
    renderBadge({}, { recordId: null });
    expect(screen.getByText(/Save the record first/)).toBeTruthy();
  });

  it.each([[1043, /Gesynchroniseerd/], [1053, /Synkroniserad/]])('speaks language %i', async (lcid, label) => {
    renderBadge(get({ status: 200, body: syncStatus() }), {}, lcid);
    expect(await screen.findByRole('button', { name: label })).toBeTruthy();
  });
});
