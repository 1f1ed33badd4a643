// Checks a write body against the served schema: unknown properties, Edm types, enum member names,
// nullability, and (for customers) the references F&O validates through its table relations.
import { enumTypeOf, type EntitySchema, type FnoSchema } from './schema';
import { FnoHttpError, badRequest, tableTypeOf, writeFailed } from './errors';

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Returns the type problem of one value, or undefined when it fits. */
function typeProblem(schema: FnoSchema, entity: EntitySchema, name: string, value: unknown): string | undefined {
  const prop = entity.byName.get(name);
  if (!prop) return `The property '${name}' does not exist on type 'Microsoft.Dynamics.DataEntities.${entity.typeName}'. Make sure to only use property names that are defined by the type.`;
  if (value === null) return prop.nullable ? undefined : `The property '${name}' cannot be null.`;
  const en = enumTypeOf(prop);
  if (en) {
    const members = schema.enums.get(en)?.members ?? [];
    return typeof value === 'string' && members.some((m) => m.name === value) ? undefined
      : `The value ${JSON.stringify(value)} is not a member of enum type 'Microsoft.Dynamics.DataEntities.${en}' (property '${name}'); valid: ${members.map((m) => m.name).join(', ')}.`;
  }
  switch (prop.type) {
    case 'Edm.String': return typeof value === 'string' ? undefined : `The property '${name}' expects an Edm.String value.`;
    case 'Edm.Decimal': case 'Edm.Double': return typeof value === 'number' && Number.isFinite(value) ? undefined : `The property '${name}' expects an ${prop.type} value (a JSON number).`;
    case 'Edm.Int32': case 'Edm.Int64': return Number.isInteger(value) ? undefined : `The property '${name}' expects an ${prop.type} value (an integer).`;
    case 'Edm.Boolean': return typeof value === 'boolean' ? undefined : `The property '${name}' expects an Edm.Boolean value.`;
    case 'Edm.DateTimeOffset': return typeof value === 'string' && ISO_RE.test(value) && !Number.isNaN(Date.parse(value)) ? undefined
      : `The property '${name}' expects an Edm.DateTimeOffset value such as 2024-01-31T00:00:00Z.`;
    default: return undefined;
  }
}

/** Strips annotations (@odata.type ...) and throws a 400 for the first malformed property. */
export function validateBody(schema: FnoSchema, entity: EntitySchema, body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('The request body must be a JSON object with the properties to write.');
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k.includes('@')) continue;
    const problem = typeProblem(schema, entity, k, v);
    if (problem) throw badRequest(problem);
    out[k] = v;
  }
  return out;
}

type Lookup = (set: string, keys: Record<string, string>) => boolean;

/**
 * Fields F&O's table requires on create besides the key (the table field's Mandatory property; validateWrite says
 * "Field '<label>' must be filled in."). CustTable.CustGroup and VendTable.VendGroup are mandatory: a customer or
 * vendor created without its group is refused, whatever the data entity lets through. (A customer's currency is
 * mandatory too, but CustTable.initValue fills it with the company's currency, so it is not listed.)
 */
const MANDATORY_ON_CREATE: Record<string, { field: string; label: string }[]> = {
  CustomersV3: [{ field: 'CustomerGroupId', label: 'Customer group' }],
  VendorsV2: [{ field: 'VendorGroupId', label: 'Vendor group' }],
};

/** The refusal of a create that lacks a field F&O requires, or undefined. */
export function checkMandatory(set: string, row: Record<string, unknown>): FnoHttpError | undefined {
  const missing = (MANDATORY_ON_CREATE[set] ?? []).filter((m) => row[m.field] === undefined || row[m.field] === null || row[m.field] === '');
  return missing.length ? writeFailed(set, missing.map((m) => `Field '${m.label}' must be filled in.`)) : undefined;
}

/** Relations F&O validates on write (validateField): the value must exist in the related table. */
const RELATIONS: Record<string, { field: string; label: string; set: string; table: string; key: string; perCompany: boolean }[]> = {
  CustomersV3: [
    { field: 'CustomerGroupId', label: 'Customer group', set: 'CustomerGroups', table: 'Customer groups', key: 'CustomerGroupId', perCompany: true },
    { field: 'PaymentTerms', label: 'Terms of payment', set: 'PaymentTerms', table: 'Terms of payment', key: 'Name', perCompany: true },
    { field: 'SalesCurrencyCode', label: 'Currency', set: 'Currencies', table: 'Currency', key: 'CurrencyCode', perCompany: false },
    { field: 'InvoiceAccount', label: 'Invoice account', set: 'CustomersV3', table: 'Customers', key: 'CustomerAccount', perCompany: true },
  ],
  VendorsV2: [
    { field: 'VendorGroupId', label: 'Vendor group', set: 'VendorGroups', table: 'Vendor groups', key: 'VendorGroupId', perCompany: true },
    { field: 'CurrencyCode', label: 'Currency', set: 'Currencies', table: 'Currency', key: 'CurrencyCode', perCompany: false },
  ],
  // VendGroup.PaymTermId and VendGroup.ClearingPeriod relate to PaymTerm of the group's company.
  VendorGroups: [
    { field: 'DefaultPaymentTermName', label: 'Terms of payment', set: 'PaymentTerms', table: 'Terms of payment', key: 'Name', perCompany: true },
    { field: 'ClearingPeriodPaymentTermName', label: 'Clearing period', set: 'PaymentTerms', table: 'Terms of payment', key: 'Name', perCompany: true },
  ],
};

export function checkReferences(set: string, entity: EntitySchema, row: Record<string, unknown>, exists: Lookup): FnoHttpError | undefined {
  const warnings: string[] = [];
  for (const rel of RELATIONS[set] ?? []) {
    const v = row[rel.field];
    if (typeof v !== 'string' || v === '') continue;
    const keys: Record<string, string> = { [rel.key]: v };
    if (rel.perCompany) keys.dataAreaId = String(row.dataAreaId);
    if (!exists(rel.set, keys)) {
      warnings.push(`The value '${v}' in field '${rel.label}' is not found in the related table '${rel.table}'.`,
        `validateField failed on field '${tableTypeOfEntity(set, entity)}.${rel.field}'.`);
    }
  }
  return warnings.length ? writeFailed(set, warnings) : undefined;
}

const tableTypeOfEntity = (set: string, _e: EntitySchema): string => tableTypeOf(set);

/**
 * F&O's delete actions (restricted): a record others still refer to is not deleted. A customer with open orders or
 * invoices, a customer group or terms of payment that customers use, a vendor group that vendors use. The wording follows F&O's infolog for a
 * restricted delete action; the exact text was not captured from a real environment.
 */
const DEPENDANTS: Record<string, { set: string; table: string; field: string; key: string }[]> = {
  CustomersV3: [
    { set: 'SalesOrderHeadersV2', table: 'Sales orders', field: 'OrderingCustomerAccountNumber', key: 'CustomerAccount' },
    { set: 'SalesOrderHeadersV2', table: 'Sales orders', field: 'InvoiceCustomerAccountNumber', key: 'CustomerAccount' },
    { set: 'SalesInvoiceHeadersV2', table: 'Customer invoice journal', field: 'InvoiceCustomerAccountNumber', key: 'CustomerAccount' },
  ],
  CustomerGroups: [{ set: 'CustomersV3', table: 'Customers', field: 'CustomerGroupId', key: 'CustomerGroupId' }],
  VendorGroups: [{ set: 'VendorsV2', table: 'Vendors', field: 'VendorGroupId', key: 'VendorGroupId' }],
  PaymentTerms: [{ set: 'CustomersV3', table: 'Customers', field: 'PaymentTerms', key: 'Name' }],
};

const DELETE_TABLES: Record<string, [string, string]> = {
  CustomersV3: ['Customers', 'CustTable'], CustomerGroups: ['Customer groups', 'CustGroup'], PaymentTerms: ['Terms of payment', 'PaymTerm'],
  VendorGroups: ['Vendor groups', 'VendGroup'],
};

/** The refusal of a delete that F&O's delete actions would restrict, or undefined. `rows` lists an entity set's rows. */
export function checkDependants(set: string, row: Record<string, unknown>, rows: (set: string) => Record<string, unknown>[]): FnoHttpError | undefined {
  for (const d of DEPENDANTS[set] ?? []) {
    const value = row[d.key];
    const companyOf = (r: Record<string, unknown>) => (typeof r.dataAreaId === 'string' ? r.dataAreaId.toLowerCase() : '');
    const used = rows(d.set).some((r) => r[d.field] === value && companyOf(r) === companyOf(row));
    if (!used) continue;
    const [label, table] = DELETE_TABLES[set];
    return new FnoHttpError(400, `Delete failed for table row of type '${tableTypeOf(set)}'. Infolog: Warning: Cannot delete a record in ${label} (${table}). ${d.key}: ${String(value)}. The record may not be deleted. Transactions exist in table '${d.table}'.`);
  }
  return undefined;
}
