// F&O's OData error body: the readable text is in error.innererror.message (the Infolog), as in
// test/fixtures/real/fo-odata-error-custcustomerv3-write-failed.json.
export class FnoHttpError extends Error {
  constructor(readonly status: number, readonly infolog: string, readonly type = 'Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataWriteException',
    readonly topMessage = 'An error has occurred.') {
    super(infolog);
  }
}

export function errorBody(e: FnoHttpError): string {
  return JSON.stringify({ error: { code: '', message: e.topMessage, innererror: {
    message: e.infolog, type: e.type,
    stacktrace: '   at Microsoft.Dynamics.Platform.Integration.Services.OData.Update.UpdateProcessor.CreateEntity_Save(...)',
  } } });
}

/** Table names F&O prints in write errors ("Write failed for table row of type 'CustCustomerV3Entity'"). */
const TABLE_TYPES: Record<string, string> = {
  CustomersV3: 'CustCustomerV3Entity', VendorsV2: 'VendVendorV2Entity', CustomerGroups: 'CustCustomerGroupEntity',
  PaymentTerms: 'PaymentTermEntity', ReleasedProductsV2: 'EcoResReleasedProductV2Entity', SalesOrderHeadersV2: 'SalesOrderHeaderV2Entity',
  SalesInvoiceHeadersV2: 'SalesInvoiceHeaderV2Entity', LegalEntities: 'OMLegalEntity',
};
export const tableTypeOf = (set: string): string => TABLE_TYPES[set] ?? `${set}Entity`;

export const writeFailed = (set: string, warnings: string[], status = 400): FnoHttpError =>
  new FnoHttpError(status, `Write failed for table row of type '${tableTypeOf(set)}'. Infolog: ${warnings.map((w) => `Warning: ${w}`).join('; ')}`);

export const badRequest = (message: string): FnoHttpError =>
  new FnoHttpError(400, message, 'Microsoft.OData.ODataException', message);

export const notFound = (message: string): FnoHttpError =>
  new FnoHttpError(404, message, 'Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataObjectNotFoundException', message);
