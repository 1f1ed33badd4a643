import { describe, expect, it } from '@jest/globals';
import { loadFnoSchema } from './schema';
import { FnoStore } from './store';

const schema = loadFnoSchema();
const orders = schema.entities.get('SalesOrderHeadersV2')!;
const SET = 'SalesOrderHeadersV2';

function store(): FnoStore {
  const s = new FnoStore(schema, () => undefined);
  s.load({
    [SET]: [
      { dataAreaId: 'usmf', SalesOrderNumber: 'SO-1', OrderingCustomerAccountNumber: 'US-001' },
      { dataAreaId: 'usmf', SalesOrderNumber: 'SO-2', OrderingCustomerAccountNumber: 'US-002' },
    ],
  });
  return s;
}
const ofCustomer = (s: FnoStore, acct: string) => s.index(SET).lookup(['OrderingCustomerAccountNumber'], [acct]).map((r) => r.data.SalesOrderNumber);
const scanned = (s: FnoStore, acct: string) =>
  s.all(SET).filter((r) => String(r.data.OrderingCustomerAccountNumber).toLowerCase() === acct.toLowerCase()).map((r) => r.data.SalesOrderNumber);

describe('FnoStore equality index', () => {
  it('follows inserts, in-place updates and deletes', () => {
    const s = store();
    expect(ofCustomer(s, 'US-001')).toEqual(['SO-1']);
    s.insert(orders, { dataAreaId: 'usmf', SalesOrderNumber: 'SO-3', OrderingCustomerAccountNumber: 'US-001' }, 'u');
    expect(ofCustomer(s, 'us-001')).toEqual(['SO-1', 'SO-3']);
    s.update(orders, s.get(orders, { dataAreaId: 'usmf', SalesOrderNumber: 'SO-1' })!, { OrderingCustomerAccountNumber: 'US-002' }, 'u');
    expect(ofCustomer(s, 'US-001')).toEqual(['SO-3']);
    expect(ofCustomer(s, 'US-002')).toEqual(['SO-1', 'SO-2']);
    s.remove(orders, s.get(orders, { dataAreaId: 'usmf', SalesOrderNumber: 'SO-2' })!, 'u');
    expect(ofCustomer(s, 'US-002')).toEqual(['SO-1']);
  });

  it('is restored when an atomic block (a $batch changeset) throws', async () => {
    const s = store();
    expect(ofCustomer(s, 'US-001')).toEqual(['SO-1']);
    await expect(s.atomic(async () => {
      s.insert(orders, { dataAreaId: 'usmf', SalesOrderNumber: 'SO-9', OrderingCustomerAccountNumber: 'US-001' }, 'u');
      s.update(orders, s.get(orders, { dataAreaId: 'usmf', SalesOrderNumber: 'SO-1' })!, { OrderingCustomerAccountNumber: 'US-777' }, 'u');
      s.remove(orders, s.get(orders, { dataAreaId: 'usmf', SalesOrderNumber: 'SO-2' })!, 'u');
      throw new Error('fail the changeset');
    })).rejects.toThrow('fail the changeset');
    for (const acct of ['US-001', 'US-002', 'US-777']) expect(ofCustomer(s, acct)).toEqual(scanned(s, acct));
    expect([ofCustomer(s, 'US-001'), ofCustomer(s, 'US-002'), ofCustomer(s, 'US-777')]).toEqual([['SO-1'], ['SO-2'], []]);
  });

  it('starts over on load (the sandbox reset)', () => {
    const s = store();
    s.insert(orders, { dataAreaId: 'usmf', SalesOrderNumber: 'SO-3', OrderingCustomerAccountNumber: 'US-001' }, 'u');
    expect(ofCustomer(s, 'US-001')).toHaveLength(2);
    s.load({ [SET]: [] });
    expect(ofCustomer(s, 'US-001')).toEqual([]);
  });
});
