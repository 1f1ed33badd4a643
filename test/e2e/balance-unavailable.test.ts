// The panel's figures on a standard F&O, which has no balance entity (FinOpsBridgeCustomerBalances is the bridge's
// own, deployed by the customer): balance and overdue amount are unavailable with the reason, never 0, and every
// other figure is still there. Real HTTP: the sandbox's F&O without that entity set, the bridge's finance route.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DATAVERSE_ANCHORS, type Sandbox } from '@finops-bridge/sandbox';
import { FinanceSummary } from '@finops-bridge/bridge-service/contracts';
import { json, startBridge, startWorld, type Bridge } from './support/harness';

let sandbox: Sandbox;
let bridge: Bridge;

const fnoFaults = (body: unknown) => fetch(`${sandbox.urls.fno}/_sandbox/faults`, { method: 'POST', body: JSON.stringify(body) });
async function summary(): Promise<FinanceSummary> {
  const sales = await sandbox.getToken('sales', 'bridge');
  const r = await fetch(`${bridge.url}/api/v1/accounts/${DATAVERSE_ANCHORS.usOrg}/finance`, { headers: { authorization: `Bearer ${sales}` } });
  return FinanceSummary.parse(await json(r));
}

beforeAll(async () => {
  sandbox = await startWorld();
  bridge = await startBridge(sandbox);
}, 60_000);

afterAll(async () => {
  await bridge?.close();
  await sandbox?.close();
});

describe('balance and overdue amount', () => {
  it('come from the balance entity where it is deployed', async () => {
    const s = await summary();
    expect(s.balanceUnavailable).toBeNull();
    expect(typeof s.balance).toBe('number');
    expect(typeof s.overdueAmount).toBe('number');
  });

  it('are unavailable, with the reason and never as 0, on an F&O without it; the other figures are unchanged', async () => {
    const before = await summary();
    await fnoFaults({ missingEntitySets: ['FinOpsBridgeCustomerBalances'] });
    try {
      const s = await summary();
      expect({ balance: s.balance, overdueAmount: s.overdueAmount, balanceUnavailable: s.balanceUnavailable }).toEqual({ balance: null, overdueAmount: null, balanceUnavailable: 'no_record' });
      expect({ creditLimit: s.creditLimit, openOrders: s.openOrders, invoices: s.invoices, paymentTerms: s.paymentTerms })
        .toEqual({ creditLimit: before.creditLimit, openOrders: before.openOrders, invoices: before.invoices, paymentTerms: before.paymentTerms });
    } finally {
      await fnoFaults({ missingEntitySets: [] });
    }
  });
});
