// Test helpers: real resx text, a scripted fetch for the bridge, sample payloads.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FinanceSummary, RecordSyncStatus } from '../../bridge-service/src/contracts';
import { BridgeClient } from '../common/bridge-client';
import type { ClientFactory } from '../common/use-bridge';
import type { Translate } from '../common/strings';

export const LANGUAGES = [1033, 1043, 1053] as const;

export function readResx(control: string, lcid: number): Record<string, string> {
  const xml = fs.readFileSync(path.join(__dirname, '..', control, 'strings', `${control}.${lcid}.resx`), 'utf8');
  const out: Record<string, string> = {};
  for (const m of xml.matchAll(/<data name="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g)) {
    out[m[1]] = m[2].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  }
  return out;
}

/** Like context.resources.getString: a missing key shows up as the key itself, so tests catch it. */
export function translator(control: string, lcid: number): Translate {
  const table = readResx(control, lcid);
  return (key) => table[key] ?? `!!${key}!!`;
}

export interface Call { method: string; url: string; headers: Record<string, string>; body: unknown; cache?: RequestCache }
export type Reply = { status: number; body?: unknown } | Error;

/** A fetch that answers from a queue per "METHOD path" and records every call. */
export function scriptedFetch(routes: Record<string, Reply[] | ((call: Call) => Reply)>) {
  const calls: Call[] = [];
  const impl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? 'GET';
    const call: Call = { method, url, headers: (init?.headers ?? {}) as Record<string, string>, body: parseBody(init?.body), cache: init?.cache };
    calls.push(call);
    const key = `${method} ${new URL(url).pathname}`;
    const route = routes[key];
    const reply = typeof route === 'function' ? route(call) : route?.length ? (route.length > 1 ? route.shift()! : route[0]) : { status: 599, body: { error: { code: 'NO_ROUTE', message: key } } };
    if (reply instanceof Error) throw reply;
    const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
    return { ok: reply.status >= 200 && reply.status < 300, status: reply.status, text: async () => text, json: async () => JSON.parse(text) as unknown } as Response;
  }) as typeof fetch;
  return { impl, calls };
}

function parseBody(body: unknown): unknown {
  if (body === undefined || body === null) return undefined;
  try {
    return JSON.parse(body as string);
  } catch {
    return body;
  }
}

export const staticTokens = { getToken: async () => 'test-token' };

export function factoryWith(fetchImpl: typeof fetch): ClientFactory {
  return (config) => new BridgeClient(config.bridgeUrl, staticTokens, fetchImpl);
}

export const ACCOUNT_ID = '6f3c1f2e-5b7a-4c19-9e3f-1a2b3c4d5e6f';
export const SETTINGS = { bridgeUrl: 'http://127.0.0.1:4000', bridgeAppId: '3f6b2a1e-9c4d-4e8f-a7b2-5d1c0e9f8a71', bridgeScope: 'api://finops-bridge/user_impersonation' };

export function summary(over: Partial<FinanceSummary> = {}): FinanceSummary {
  return {
    accountId: ACCOUNT_ID, company: 'nlmf', customerAccount: 'NL-001', name: 'Fietsenfabriek Utrecht', currency: 'EUR',
    creditLimit: 25000, creditLimitIsMandatory: true, balance: 12345.67, overdueAmount: 1500, balanceUnavailable: null, onHoldStatus: 'No',
    paymentTerms: 'Net30', paymentTermsName: null, customerGroup: '10', customerGroupName: null,
    openOrders: [{ salesOrderNumber: 'SO-000123', orderedOn: '2026-11-02T09:00:00Z', requestedShipDate: null, status: 'Backorder', amount: 4200.5, currency: 'EUR', customerReference: null }],
    invoices: [{ invoiceNumber: 'INV-0042', invoiceDate: '2026-10-15T00:00:00Z', dueDate: '2026-11-14T00:00:00Z', amount: 980, currency: 'EUR', salesOrderNumber: 'SO-000100' }],
    etag: 'W/"1"', retrievedAt: new Date().toISOString(), editableFields: ['creditLimit', 'onHoldStatus'],
    ...over,
  };
}

export function syncStatus(over: Partial<RecordSyncStatus> = {}): RecordSyncStatus {
  return {
    table: 'account', id: ACCOUNT_ID, state: 'in_sync', map: 'customers-accounts', linkedKey: { dataAreaId: 'nlmf', CustomerAccount: 'NL-001' },
    lastSyncedAt: '2026-11-20T10:15:00Z', lastDirection: 'fno_to_dataverse', lastError: null, pendingChanges: 0, canRetry: false,
    ...over,
  };
}

export const noWebApi = {} as ComponentFramework.WebApi;

/** The preview's stand-in for CE's formatting (controls/preview-host/ce-formatting.js, also a CommonJS module). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const ceFormatting = require('../preview-host/ce-formatting.js') as {
  numberFormattingInfo(locale: string): ComponentFramework.UserSettingApi.NumberFormattingInfo;
  dateFormattingInfo(locale: string): ComponentFramework.UserSettingApi.DateFormattingInfo;
  createFormatting(n: object, d: object): CeFormattingMethods;
};

/** The four methods of context.formatting that the controls call (as properties: they do not use `this`). */
export interface CeFormattingMethods {
  formatCurrency: (value: number, precision?: number, symbol?: string) => string;
  formatDecimal: (value: number, precision?: number) => string;
  formatInteger: (value: number) => string;
  formatDateShort: (value: Date, includeTime?: boolean) => string;
}

interface StubbedContext {
  formatting: Record<'formatCurrency' | 'formatDecimal' | 'formatInteger' | 'formatDateShort', { callsFake(fn: (...args: never[]) => unknown): unknown }>;
  userSettings: { numberFormattingInfo: unknown; dateFormattingInfo: unknown };
}

/** Makes a componentframework-mock context format as CE does for a user whose personal format is `format`. */
export function applyCeFormatting(context: unknown, format: string): void {
  const c = context as StubbedContext;
  const numbers = ceFormatting.numberFormattingInfo(format);
  const dates = ceFormatting.dateFormattingInfo(format);
  const f = ceFormatting.createFormatting(numbers, dates);
  c.formatting.formatCurrency.callsFake(f.formatCurrency);
  c.formatting.formatDecimal.callsFake(f.formatDecimal);
  c.formatting.formatInteger.callsFake(f.formatInteger);
  c.formatting.formatDateShort.callsFake(f.formatDateShort);
  c.userSettings.numberFormattingInfo = numbers;
  c.userSettings.dateFormattingInfo = dates;
}
