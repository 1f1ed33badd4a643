import { describe, expect, it } from '@jest/globals';
import { cdsExchangeRateOf, distinctProductOf } from './derived';
import { handleOData, type ODataRequest } from './handlers';
import { loadFnoSchema } from './schema';
import { FnoStore, type ChangeEvent } from './store';

const schema = loadFnoSchema();
const released = schema.entities.get('ReleasedProductsV2')!;
const distinct = schema.entities.get('CDSReleasedDistinctProducts')!;

function world(): { store: FnoStore; events: ChangeEvent[] } {
  const events: ChangeEvent[] = [];
  const store = new FnoStore(schema, (e) => events.push(...e));
  store.load({ ReleasedProductsV2: [{ dataAreaId: 'usmf', ItemNumber: 'I-1', ProductNumber: 'P-1', SearchName: 'Speaker', ProductType: 'Item', SalesPrice: 10, UnitCost: 6 }] });
  return { store, events };
}
const row = (s: FnoStore, productNumber: string) => s.get(distinct, { dataAreaId: 'usmf', ProductNumber: productNumber })?.data;

describe('derived entities (CDSReleasedDistinctProducts, ExchangeRatesCDSEntity)', () => {
  it('computes a distinct product from a released product: its number as key, the company currency, no product master', () => {
    expect(distinctProductOf({ dataAreaId: 'USMF', ItemNumber: 'I-1', ProductNumber: 'P-1', SearchName: 'Speaker', ProductType: 'Service', SalesPrice: 5 })).toMatchObject({
      dataAreaId: 'usmf', ProductNumber: 'P-1', ItemNumber: 'I-1', ProductName: 'Speaker', CurrencyCode: 'USD', ProductType: 'Service', SalesPrice: 5, UnitCost: 0,
    });
    expect(distinctProductOf({ dataAreaId: 'usmf', ItemNumber: 'I-1', ProductNumber: 'P-1', ProductSubType: 'ProductMaster' })).toBeNull();
    expect(distinctProductOf({ dataAreaId: 'usmf', ItemNumber: 'I-1' })).toBeNull();
    expect(cdsExchangeRateOf({ RateTypeName: 'Default', FromCurrency: 'EUR', ToCurrency: 'USD', StartDate: '2026-01-01T12:00:00Z', EndDate: '2154-12-31T23:59:59Z', Rate: 1.1 }))
      .toEqual({ ExchangeRateTypeName: 'Default', FromCurrencyCode: 'EUR', ToCurrencyCode: 'USD', ValidFrom: '2026-01-01T12:00:00Z', ValidTo: '2154-12-31T23:59:59Z', Rate: 1.1 });
  });

  it('follows every write to the source, with its own data events, and rolls back with it', async () => {
    const { store, events } = world();
    expect(row(store, 'P-1')).toMatchObject({ ItemNumber: 'I-1', ProductName: 'Speaker' });
    store.insert(released, { dataAreaId: 'usmf', ItemNumber: 'I-2', ProductNumber: 'P-2', SearchName: 'Cable', SalesPrice: 2 }, 'u');
    expect(events.map((e) => `${e.kind} ${e.entitySet}`)).toEqual(['Create ReleasedProductsV2', 'Create CDSReleasedDistinctProducts']);
    store.update(released, store.get(released, { dataAreaId: 'usmf', ItemNumber: 'I-1' })!, { SalesPrice: 12 }, 'u');
    expect(row(store, 'P-1')).toMatchObject({ SalesPrice: 12 });
    expect(events.at(-1)).toMatchObject({ kind: 'Update', entitySet: 'CDSReleasedDistinctProducts', changed: ['SalesPrice'] });
    store.remove(released, store.get(released, { dataAreaId: 'usmf', ItemNumber: 'I-2' })!, 'u');
    expect(row(store, 'P-2')).toBeUndefined();
    await expect(store.atomic(async () => {
      store.insert(released, { dataAreaId: 'usmf', ItemNumber: 'I-3', ProductNumber: 'P-3' }, 'u');
      throw new Error('changeset failed');
    })).rejects.toThrow('changeset failed');
    expect(row(store, 'P-3')).toBeUndefined();
  });

  it('refuses writes to a derived entity set: the source is written instead', () => {
    const { store } = world();
    const req: ODataRequest = {
      method: 'POST', path: 'CDSReleasedDistinctProducts', search: new URLSearchParams(), headers: {},
      body: JSON.stringify({ dataAreaId: 'usmf', ProductNumber: 'P-9' }), userOid: 'u', defaultCompany: 'usmf',
    };
    expect(() => handleOData(schema, store, req, 'http://fno')).toThrow(/computes it from ReleasedProductsV2/);
    expect(row(store, 'P-9')).toBeUndefined();
  });
});
