// Entities F&O computes over the tables of other entities: dual-write's CDS entities read the same released
// products and exchange rates as ReleasedProductsV2 and ExchangeRates. The sandbox keeps them as rows derived from
// those entity sets' rows, kept in step on every write (with their own data events), and refuses writes to them
// (see README: a real F&O may accept some; nothing in this repository writes them).
import { COMPANIES, type FnoRow } from '../demo-data/generate';

export interface DerivedEntity {
  entitySet: string;
  /** The entity set whose rows it is computed from. */
  from: string;
  /** The derived row of a source row, or null when the source row has none. */
  derive(row: FnoRow): FnoRow | null;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** The company's currency: F&O takes the price currency of a released product from its legal entity. */
function companyCurrency(dataAreaId: string): string {
  return COMPANIES.find((c) => c.id === dataAreaId.toLowerCase())?.currency ?? '';
}

/**
 * A released product as CDSReleasedDistinctProducts lists it: only distinct products (a product master is listed
 * through its variants, which the sandbox does not model, so a master is not listed at all). ReleasedProductsV2 has no
 * product name or description (F&O reads them from the shared product's translation): the sandbox takes the search
 * name as the name and leaves the description empty.
 */
export function distinctProductOf(p: FnoRow): FnoRow | null {
  const dataAreaId = text(p.dataAreaId).toLowerCase();
  const productNumber = text(p.ProductNumber);
  if (!dataAreaId || !productNumber || p.ProductSubType === 'ProductMaster') return null;
  return {
    dataAreaId, ProductNumber: productNumber, ItemNumber: text(p.ItemNumber), ProductName: text(p.SearchName), ProductDescription: '',
    CurrencyCode: companyCurrency(dataAreaId), ProductType: p.ProductType ?? 'Item', SalesPrice: num(p.SalesPrice), UnitCost: num(p.UnitCost),
    SalesUnitSymbol: text(p.SalesUnitSymbol), InventoryUnitSymbol: text(p.InventoryUnitSymbol),
  };
}

/** An exchange rate as ExchangeRatesCDSEntity names its fields. */
export function cdsExchangeRateOf(r: FnoRow): FnoRow | null {
  if (!r.RateTypeName || !r.FromCurrency || !r.ToCurrency || !r.StartDate) return null;
  return {
    ExchangeRateTypeName: r.RateTypeName, FromCurrencyCode: r.FromCurrency, ToCurrencyCode: r.ToCurrency, ValidFrom: r.StartDate,
    ValidTo: r.EndDate ?? '1900-01-01T12:00:00Z', Rate: num(r.Rate),
  };
}

export const DERIVED_ENTITIES: readonly DerivedEntity[] = [
  { entitySet: 'CDSReleasedDistinctProducts', from: 'ReleasedProductsV2', derive: distinctProductOf },
  { entitySet: 'ExchangeRatesCDSEntity', from: 'ExchangeRates', derive: cdsExchangeRateOf },
];

export const isDerived = (entitySet: string): DerivedEntity | undefined => DERIVED_ENTITIES.find((d) => d.entitySet === entitySet);
