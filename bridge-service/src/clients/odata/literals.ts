// OData v4 literal formatting shared by the F&O and Dataverse clients. User data never reaches a URL
// except through these functions: quotes doubled, then percent-encoded.

/** A string literal for keys and $filter: 'O''Brien'. Not yet URL-encoded. */
export function stringLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A key or filter value as OData text: strings quoted, numbers and booleans bare. */
export function literal(value: string | number | boolean): string {
  if (typeof value === 'string') return stringLiteral(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
    return String(value);
  }
  return value ? 'true' : 'false';
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Entity set, property and enum member names come from our code, but we check them anyway. */
export function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new TypeError(`not an OData identifier: ${JSON.stringify(name)}`);
  return name;
}

/** `(dataAreaId='usmf',CustomerAccount='US%20001')`, every value escaped and encoded. */
export function compoundKey(key: Record<string, string | number | boolean>): string {
  const parts = Object.entries(key).map(([k, v]) => `${identifier(k)}=${encodeURIComponent(literal(v))}`);
  if (parts.length === 0) throw new TypeError('a key needs at least one field');
  return `(${parts.join(',')})`;
}

/** `Field eq 'value'` for $filter (encode the whole filter with encodeQuery). */
export function eq(field: string, value: string | number | boolean): string {
  return `${identifier(field)} eq ${literal(value)}`;
}

/** `Field ne 'value'` */
export function ne(field: string, value: string | number | boolean): string {
  return `${identifier(field)} ne ${literal(value)}`;
}

/** Builds a query string from system options; values percent-encoded; undefined options dropped. */
export function encodeQuery(options: Record<string, string | number | boolean | undefined>): string {
  const parts = Object.entries(options)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}
