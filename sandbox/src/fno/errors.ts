// F&O's OData error body: the readable text is in error.innererror.message (the Infolog), as in
// test/fixtures/real/fo-odata-error-custcustomerv3-write-failed.json.
export class FnoHttpError extends Error {
  constructor(readonly status: number, readonly infolog: string, readonly type: string = WRITE_EXCEPTION,
    readonly topMessage = 'An error has occurred.') {
    super(infolog);
  }
}

export const WRITE_EXCEPTION = 'Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataWriteException';

/** The stack F&O prints for a write that failed inside a $batch changeset (test/fixtures/real/fo-odata-batch-changeset-error-response.http). */
const BATCH_WRITE_STACK = [
  'Microsoft.Dynamics.Platform.Integration.Services.OData.Update.UpdateProcessor.CreateEntity_Save(ChangeOperationContext context, ChangeInfo changeInfo)',
  'Microsoft.Dynamics.Platform.Integration.Services.OData.Update.UpdateManager.<>c__DisplayClass6_0.<CreateEntity>b__1(ChangeOperationContext context)',
  'Microsoft.Dynamics.Platform.Integration.Services.OData.Update.ChangeInfo.ExecuteActionsInCompanyContext(IEnumerable`1 actionList, ChangeOperationContext operationContext)',
  'Microsoft.Dynamics.Platform.Integration.Services.OData.Update.ChangeInfo.TrySave(ChangeOperationContext operationContext)',
  'Microsoft.Dynamics.Platform.Integration.Services.OData.Update.UpdateManager.SaveChanges()',
  'Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataBatchHandler.<ExecuteRequestMessagesAsync>d__8.MoveNext()',
].map((l) => `   at ${l}`).join('\r\n');

export function errorBody(e: FnoHttpError, inChangeset = false): string {
  return JSON.stringify({ error: { code: '', message: e.topMessage, innererror: {
    message: e.infolog, type: e.type,
    stacktrace: inChangeset && e.type === WRITE_EXCEPTION ? BATCH_WRITE_STACK : '   at Microsoft.Dynamics.Platform.Integration.Services.OData.Update.UpdateProcessor.CreateEntity_Save(...)',
  } } });
}

/** How F&O names the table behind an entity in "Cannot create a record in ..." (label, table, key label). */
const TABLE_LABELS: Record<string, [string, string, string]> = {
  CustomerGroups: ['Customer groups', 'CustGroup', 'Customer group'], CustomersV3: ['Customers', 'CustTable', 'Customer account'],
  VendorsV2: ['Vendors', 'VendTable', 'Vendor account'], PaymentTerms: ['Terms of payment', 'PaymTerm', 'Terms of payment'],
  VendorGroups: ['Vendor groups', 'VendGroup', 'Vendor group'],
};

/** A create of a row whose key exists, worded as the real capture words it. */
export function alreadyExists(set: string, keyValues: string[]): FnoHttpError {
  const [label, table, keyLabel] = TABLE_LABELS[set] ?? [set, set, 'Key'];
  return new FnoHttpError(409, `Write failed for table row of type '${tableTypeOf(set)}'. Infolog: Info: Cannot create a record in ${label} (${table}). ${keyLabel}: ${keyValues.join(', ')}.\nThe record already exists..`);
}

/** Table names F&O prints in write errors ("Write failed for table row of type 'CustCustomerV3Entity'"). */
const TABLE_TYPES: Record<string, string> = {
  CustomersV3: 'CustCustomerV3Entity', VendorsV2: 'VendVendorV2Entity', CustomerGroups: 'CustCustomerGroupEntity',
  PaymentTerms: 'PaymentTermEntity', ReleasedProductsV2: 'EcoResReleasedProductV2Entity', SalesOrderHeadersV2: 'SalesOrderHeaderV2Entity',
  SalesInvoiceHeadersV2: 'SalesInvoiceHeaderV2Entity', LegalEntities: 'OMLegalEntity', VendorGroups: 'VendVendorGroupEntity',
};
export const tableTypeOf = (set: string): string => TABLE_TYPES[set] ?? `${set}Entity`;

export const writeFailed = (set: string, warnings: string[], status = 400): FnoHttpError =>
  new FnoHttpError(status, `Write failed for table row of type '${tableTypeOf(set)}'. Infolog: ${warnings.map((w) => `Warning: ${w}`).join('; ')}`);

export const badRequest = (message: string): FnoHttpError =>
  new FnoHttpError(400, message, 'Microsoft.OData.ODataException', message);

export const notFound = (message: string): FnoHttpError =>
  new FnoHttpError(404, message, 'Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataObjectNotFoundException', message);

/** A write to an entity the sandbox computes from another (derived.ts). */
export const readOnlyDerived = (set: string, from: string, method: string): FnoHttpError =>
  new FnoHttpError(405, `${method} is not allowed on ${set}: the sandbox computes it from ${from}; write the ${from} record instead.`, 'Microsoft.OData.ODataException', 'Method not allowed.');
