// Released products -> Dataverse products, as Microsoft's dual-write map "CDS released distinct products to products"
// (EcoResReleasedDistinctProductCDSEntity-products.md in MicrosoftDocs/dynamics-365-unified-operations-public,
// articles/fin-ops-core/dev-itpro/data-entities/dual-write/includes/) has it.
//
// Names verified: the entity's public collection is CDSReleasedDistinctProducts, keyed by (dataAreaId, ProductNumber),
// with ItemNumber, ProductName, ProductDescription, CurrencyCode, ProductType (EcoResProductType), SalesPrice, UnitCost
// and SalesUnitSymbol, in code generated from a real $metadata (SAP Cloud SDK client, ntrtd/d365-agent
// packages/client/src/CdsReleasedDistinctProducts.ts, the source of test/fixtures/real/reference/fo-metadata).
// producttypecode's options (1 Sales Inventory, 2 Miscellaneous Charges, 3 Services, 4 Flat Fees) are those of
// Microsoft's Product table reference; the dual-write page names the value map but not its pairs, so Item -> Sales
// Inventory and Service -> Services are chosen by their labels.
import { DATAVERSE_INACTIVE, type TableMap, type ValueMapTransform } from '../types';
import { CURRENCY_LOOKUP } from './customers';

/** F&O EcoResProductType -> Dataverse product.producttypecode. */
export const PRODUCT_TYPE: ValueMapTransform = {
  kind: 'valueMap', fnoEnum: 'EcoResProductType',
  pairs: [{ fno: 'Item', dataverse: 1 }, { fno: 'Service', dataverse: 3 }],
};

export const releasedProducts: TableMap = {
  name: 'released-products',
  description: 'F&O released distinct products -> Dataverse products (one way)',
  direction: 'fno_to_dataverse',
  fno: { entitySet: 'CDSReleasedDistinctProducts', keys: ['dataAreaId', 'ProductNumber'], companyField: 'dataAreaId' },
  dataverse: { entitySet: 'products', table: 'product', primaryId: 'productid', alternateKey: ['msdyn_productnumber'], modifiedField: 'modifiedon' },
  fields: [
    // Dataverse products are global (no company column) while F&O releases a product per company, so the product
    // number alone is the key...
    { fno: 'ProductNumber', dataverse: 'msdyn_productnumber', dir: '>', key: true, required: true },
    // ...and it also fills CE's own product ID (productnumber, which quotes and the product form show). Not a line of
    // Microsoft's map: kept from the bridge's earlier map so products stay findable by the ID CE users know.
    { fno: 'ProductNumber', dataverse: 'productnumber', dir: '>', required: true },
    { fno: 'ItemNumber', dataverse: 'msdyn_itemnumber', dir: '>' },
    { fno: 'ProductName', dataverse: 'name', dir: '>', required: true },
    { fno: 'ProductDescription', dataverse: 'description', dir: '>' },
    { fno: 'SalesPrice', dataverse: 'price', dir: '>' },
    { fno: 'UnitCost', dataverse: 'currentcost', dir: '>' },
    { fno: 'ProductType', dataverse: 'producttypecode', dir: '>', transform: PRODUCT_TYPE },
    { fno: 'CurrencyCode', dataverse: 'transactioncurrencyid', dir: '>', transform: CURRENCY_LOOKUP },
    // SALESUNITSYMBOL -> defaultuomid.msdyn_symbol is left out: a product's unit must belong to its unit group
    // (defaultuomscheduleid), which Microsoft's map does not write, and the sandbox has neither uom nor uomschedule
    // to check that against, so the line could not be proven honestly (sync README).
  ],
  // ...and the map is scoped to one legal entity, so two companies' releases of the same product never overwrite
  // each other in the one global product row (dual-write writes every company's release into it).
  legalEntities: ['usmf'],
  dependsOn: ['legal-entities', 'currencies'],
  conflictPolicy: { kind: 'primary', side: 'fno' },
  // A product may be on quotes and orders in CE: retired (inactive), not deleted.
  deletes: { fnoDeleted: 'deactivate', deactivate: { dataverse: DATAVERSE_INACTIVE } },
};
